//! The second factor for both backends: a TOTP secret per person, confirmed once a right code
//! proves the person's app holds it, and the digests of their recovery codes. Each code is
//! spent by one conditional update, so of two requests racing with the same code one wins.

use super::accounts::bump_epoch;
use super::errors::{DbError, DbResult};
use super::write_tx::{with_tx, Change, Scope, WriteTx};
use super::{now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::{Principal, UserId};
use app::ports::{Actor, SecondFactor, SecondFactorStore, StoreResult};
use async_trait::async_trait;

/// The secret, confirmation instant, last step and unused recovery codes of a person.
type FactorRow = (String, Option<i64>, Option<i64>, i64);

async fn second_factor(db: &Db, user: &UserId) -> DbResult<Option<SecondFactor>> {
    let row: Option<FactorRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select f.secret, f.confirmed_at, f.last_step, \
             (select count(*) from recovery_codes r where r.user_id = f.user_id \
              and r.used_at is null) \
             from second_factors f where f.user_id = $1",
        )
        .bind(user.as_str())
        .fetch_optional(pool)
        .await?
    });
    Ok(
        row.map(|(secret, confirmed, last_step, left)| SecondFactor {
            secret,
            confirmed: confirmed.is_some(),
            last_step,
            recovery_codes_left: u32::try_from(left).unwrap_or(0),
        }),
    )
}

/// Deletes the person's second factor and recovery codes inside `tx`; whether there was one.
pub(super) async fn clear(tx: &mut WriteTx, user: &UserId) -> DbResult<bool> {
    let removed = with_tx!(tx, conn => {
        sqlx::query("delete from recovery_codes where user_id = $1")
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?;
        sqlx::query("delete from second_factors where user_id = $1")
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(removed > 0)
}

async fn start(db: &Db, user: &UserId, secret: &str, actor: &Principal) -> DbResult<bool> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let exists: Option<String> = with_tx!(&mut tx, conn => {
        sqlx::query_scalar("select id from users where id = $1")
            .bind(user.as_str())
            .fetch_optional(&mut *conn)
            .await?
    });
    if exists.is_none() {
        return Err(DbError::NotFound);
    }
    // Replaces an unfinished enrolment, never a confirmed factor.
    let written = with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into second_factors (user_id, secret, created_at) values ($1, $2, $3) \
             on conflict (user_id) do update set secret = excluded.secret, \
             created_at = excluded.created_at where second_factors.confirmed_at is null",
        )
        .bind(user.as_str())
        .bind(secret)
        .bind(now_micros())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if written == 0 {
        return Ok(false);
    }
    tx.commit(Change::new(
        actor,
        "user.second_factor_started",
        user.as_str(),
    ))
    .await?;
    Ok(true)
}

async fn confirm(
    db: &Db,
    user: &UserId,
    secret: &str,
    step: i64,
    digests: &[String],
    actor: &Principal,
) -> DbResult<i64> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let confirmed = with_tx!(&mut tx, conn => {
        sqlx::query(
            "update second_factors set confirmed_at = $3, last_step = $4 \
             where user_id = $1 and secret = $2 and confirmed_at is null",
        )
        .bind(user.as_str())
        .bind(secret)
        .bind(now_micros())
        .bind(step)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if confirmed == 0 {
        return Err(DbError::NotFound);
    }
    with_tx!(&mut tx, conn => {
        sqlx::query("delete from recovery_codes where user_id = $1")
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?;
        for digest in digests {
            sqlx::query("insert into recovery_codes (user_id, digest) values ($1, $2)")
                .bind(user.as_str())
                .bind(digest)
                .execute(&mut *conn)
                .await?;
        }
    });
    // Whoever held a session of this account before it had a second factor signs in again.
    let epoch = bump_epoch(&mut tx, user).await?;
    let count = i64::try_from(digests.len()).unwrap_or(i64::MAX);
    let details = Details::new().with("recovery_codes", count);
    tx.commit(Change::new(actor, "user.second_factor_enabled", user.as_str()).details(details))
        .await?;
    Ok(epoch)
}

async fn use_code_step(db: &Db, user: &UserId, step: i64) -> DbResult<bool> {
    let done = with_pool!(db, pool => {
        sqlx::query(
            "update second_factors set last_step = $2 where user_id = $1 \
             and confirmed_at is not null and (last_step is null or last_step < $2)",
        )
        .bind(user.as_str())
        .bind(step)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

async fn use_recovery_code(
    db: &Db,
    user: &UserId,
    digest: &str,
    actor: &Principal,
) -> DbResult<Option<u32>> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let spent = with_tx!(&mut tx, conn => {
        sqlx::query(
            "update recovery_codes set used_at = $3 \
             where user_id = $1 and digest = $2 and used_at is null",
        )
        .bind(user.as_str())
        .bind(digest)
        .bind(now_micros())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if spent == 0 {
        return Ok(None);
    }
    let left: i64 = with_tx!(&mut tx, conn => {
        sqlx::query_scalar(
            "select count(*) from recovery_codes where user_id = $1 and used_at is null",
        )
        .bind(user.as_str())
        .fetch_one(&mut *conn)
        .await?
    });
    let details = Details::new().with("left", left);
    tx.commit(Change::new(actor, "user.recovery_code_used", user.as_str()).details(details))
        .await?;
    Ok(Some(u32::try_from(left).unwrap_or(0)))
}

async fn remove(db: &Db, user: &UserId, actor: &Principal) -> DbResult<i64> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let epoch = bump_epoch(&mut tx, user).await?;
    let removed = clear(&mut tx, user).await?;
    let details = Details::new().with("had_one", removed);
    tx.commit(Change::new(actor, "user.second_factor_removed", user.as_str()).details(details))
        .await?;
    Ok(epoch)
}

#[async_trait]
impl SecondFactorStore for Db {
    async fn second_factor(&self, user: &UserId) -> StoreResult<Option<SecondFactor>> {
        Ok(second_factor(self, user).await?)
    }

    async fn start_second_factor(
        &self,
        user: &UserId,
        secret: &str,
        actor: Actor<'_>,
    ) -> StoreResult<bool> {
        Ok(start(self, user, secret, actor).await?)
    }

    async fn confirm_second_factor(
        &self,
        user: &UserId,
        secret: &str,
        step: i64,
        recovery_digests: &[String],
        actor: Actor<'_>,
    ) -> StoreResult<i64> {
        Ok(confirm(self, user, secret, step, recovery_digests, actor).await?)
    }

    async fn use_code_step(&self, user: &UserId, step: i64) -> StoreResult<bool> {
        Ok(use_code_step(self, user, step).await?)
    }

    async fn use_recovery_code(
        &self,
        user: &UserId,
        digest: &str,
        actor: Actor<'_>,
    ) -> StoreResult<Option<u32>> {
        Ok(use_recovery_code(self, user, digest, actor).await?)
    }

    async fn remove_second_factor(&self, user: &UserId, actor: Actor<'_>) -> StoreResult<i64> {
        Ok(remove(self, user, actor).await?)
    }
}
