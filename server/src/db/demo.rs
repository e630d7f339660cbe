//! Removing and detecting the demo organization's rows.

use super::attestations;
use super::counts;
use super::errors::DbResult;
use super::write_tx::{with_tx, Change, Scope};
use super::{with_pool, Db};
use app::domain::{Principal, WorkloadId};
use app::ports::{Actor, Decided, DemoStore, NewAttestation, StoreError, StoreResult, Submitted};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

async fn is_empty(db: &Db) -> DbResult<bool> {
    let n: i64 = with_pool!(db, pool => {
        sqlx::query_scalar(
            "select (select count(*) from teams) + (select count(*) from users) \
             + (select count(*) from workloads)",
        )
        .fetch_one(pool)
        .await?
    });
    Ok(n == 0)
}

async fn remove(db: &Db, actor: &Principal) -> DbResult<u64> {
    let mut tx = db.begin_write(Scope::AllWorkloads).await?;
    let gone = with_tx!(&mut tx, conn => {
        let gone = sqlx::query("delete from workloads where is_demo = 1")
            .execute(&mut *conn)
            .await?
            .rows_affected();
        // The demo's evidence, also where its team stays (used by the organization's own).
        sqlx::query("delete from evidence_items where is_demo = 1")
            .execute(&mut *conn)
            .await?;
        // Teams and people the organization's own workloads still use are kept.
        sqlx::query(
            "delete from teams where is_demo = 1 and not exists \
             (select 1 from workload_versions v where v.team_id = teams.id)",
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "delete from users where is_demo = 1 and not exists \
             (select 1 from workload_owners o where o.user_id = users.id)",
        )
        .execute(&mut *conn)
        .await?;
        // The demo people kept as owners keep no way in: not the documented password, not
        // their roles, not a session.
        for sql in [
            "delete from credentials where user_id in (select id from users where is_demo = 1)",
            "delete from role_grants where user_id in (select id from users where is_demo = 1)",
            "update users set session_epoch = session_epoch + 1 where is_demo = 1",
        ] {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        gone
    });
    counts::recount_all(&mut tx).await?;
    tx.commit(Change::new(actor, "demo.remove", "demo organization"))
        .await?;
    Ok(gone)
}

/// False, and nothing written, unless `starts` gives each version of the workload its start.
async fn backdate(db: &Db, id: &str, starts: &[i64], actor: &Principal) -> DbResult<bool> {
    if starts.windows(2).any(|w| w[0] >= w[1]) {
        return Ok(false);
    }
    let mut tx = db.begin_write(Scope::Record).await?;
    let revisions: Option<i64> = with_tx!(&mut tx, conn => {
        sqlx::query_scalar("select current_revision from workloads where id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    if revisions != Some(starts.len() as i64) {
        return Ok(false);
    }
    for (n, from) in starts.iter().enumerate() {
        let until = starts.get(n + 1).copied();
        with_tx!(&mut tx, conn => {
            sqlx::query(
                "update workload_versions set valid_from = $1, \
                 valid_to = case when valid_to is null then null else $2 end \
                 where workload_id = $3 and revision = $4",
            )
            .bind(from)
            .bind(until)
            .bind(id)
            .bind(n as i64 + 1)
            .execute(&mut *conn)
            .await?;
        });
    }
    tx.commit(Change::new(actor, "demo.backdate", id)).await?;
    Ok(true)
}

#[async_trait]
impl DemoStore for Db {
    async fn is_empty(&self) -> StoreResult<bool> {
        Ok(is_empty(self).await?)
    }

    async fn remove_demo(&self, actor: Actor<'_>) -> StoreResult<u64> {
        Ok(remove(self, actor).await?)
    }

    async fn backdate_versions(
        &self,
        id: &WorkloadId,
        starts: &[DateTime<Utc>],
        actor: Actor<'_>,
    ) -> StoreResult<()> {
        let starts: Vec<i64> = starts.iter().map(DateTime::timestamp_micros).collect();
        if backdate(self, id.as_str(), &starts, actor).await? {
            Ok(())
        } else {
            Err(StoreError::Other(format!(
                "workload {id}: one start per version, in order, is needed to backdate it"
            )))
        }
    }

    async fn submit_attestation_at(
        &self,
        a: &NewAttestation,
        actor: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<Submitted> {
        Ok(attestations::submit(self, a, actor, Some(at.timestamp_micros())).await?)
    }

    async fn decide_attestation_at(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        actor: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<Decided> {
        let at = Some(at.timestamp_micros());
        Ok(attestations::decide(self, id, approve, comment, actor, at).await?)
    }
}
