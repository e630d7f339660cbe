//! Background verifications of the audit chain (`audit_verifications`): registered, renewed and
//! finished by the server that runs them, read by whichever server the page's next request
//! reaches. These rows record no change of the organization's data, so they are written
//! without an audit event (starting a check is a read).

use super::errors::DbResult;
use super::rows::instant;
use super::write_tx::{with_tx, Scope, WriteTx};
use super::{with_pool, Db};
use app::ports::{StoreResult, Verification, VerificationStart, VerificationStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Advisory lock key that serializes starts on PostgreSQL (SQLite's `BEGIN IMMEDIATE` does).
const START_LOCK: i64 = 0x5354_5241_5456; // "STRATV"

async fn start(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
    at_once: u32,
    forget_before: i64,
) -> DbResult<VerificationStart> {
    let mut tx: WriteTx = db.begin_write(Scope::Record).await?;
    if let WriteTx::Postgres(t) = &mut tx {
        sqlx::query("select pg_advisory_xact_lock($1)")
            .bind(START_LOCK)
            .execute(&mut **t)
            .await?;
    }
    let outcome = with_tx!(&mut tx, conn => {
        sqlx::query(
            "delete from audit_verifications \
             where finished_at is not null and finished_at < $1",
        )
        .bind(forget_before)
        .execute(&mut *conn)
        .await?;
        let running: Option<i64> = sqlx::query_scalar(
            "select id from audit_verifications \
             where owner = $1 and finished_at is null and lease_until > $2 order by id limit 1",
        )
        .bind(owner)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        let busy: i64 = sqlx::query_scalar(
            "select count(*) from audit_verifications \
             where finished_at is null and lease_until > $1",
        )
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        match running {
            Some(id) => VerificationStart::Running(id),
            None if busy >= i64::from(at_once) => VerificationStart::Busy,
            None => VerificationStart::Started(
                sqlx::query_scalar(
                    "insert into audit_verifications (owner, started_at, lease_until, checked) \
                     values ($1, $2, $3, 0) returning id",
                )
                .bind(owner)
                .bind(now)
                .bind(lease_until)
                .fetch_one(&mut *conn)
                .await?,
            ),
        }
    });
    tx.commit_appended().await?;
    Ok(outcome)
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn progress(db: &Db, id: i64, checked: u64, lease_until: i64) -> DbResult<()> {
    with_pool!(db, pool => {
        sqlx::query(
            "update audit_verifications set checked = $1, lease_until = $2 \
             where id = $3 and finished_at is null",
        )
        .bind(count(checked))
        .bind(lease_until)
        .bind(id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

async fn finish(
    db: &Db,
    id: i64,
    checked: u64,
    intact: bool,
    outcome: &str,
    now: i64,
) -> DbResult<()> {
    with_pool!(db, pool => {
        sqlx::query(
            "update audit_verifications \
             set checked = $1, intact = $2, outcome = $3, finished_at = $4 where id = $5",
        )
        .bind(count(checked))
        .bind(i64::from(intact))
        .bind(outcome)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// owner, checked, lease until, finished at, intact, outcome.
type VerificationRow = (String, i64, i64, Option<i64>, Option<i64>, Option<String>);

async fn read(db: &Db, id: i64) -> DbResult<Option<Verification>> {
    let row: Option<VerificationRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select owner, checked, lease_until, finished_at, intact, outcome \
             from audit_verifications where id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    let Some((owner, checked, lease_until, finished_at, intact, outcome)) = row else {
        return Ok(None);
    };
    Ok(Some(Verification {
        id,
        owner,
        checked: u64::try_from(checked).unwrap_or(0),
        lease_until: instant(lease_until)?,
        finished: finished_at.map(|_| (intact == Some(1), outcome.unwrap_or_default())),
    }))
}

#[async_trait]
impl VerificationStore for Db {
    async fn start_verification(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        at_once: u32,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<VerificationStart> {
        Ok(start(
            self,
            owner,
            now.timestamp_micros(),
            lease_until.timestamp_micros(),
            at_once,
            forget_before.timestamp_micros(),
        )
        .await?)
    }

    async fn verification_progress(
        &self,
        id: i64,
        checked: u64,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(progress(self, id, checked, lease_until.timestamp_micros()).await?)
    }

    async fn finish_verification(
        &self,
        id: i64,
        checked: u64,
        intact: bool,
        outcome: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(finish(self, id, checked, intact, outcome, now.timestamp_micros()).await?)
    }

    async fn verification(&self, id: i64) -> StoreResult<Option<Verification>> {
        Ok(read(self, id).await?)
    }
}
