//! Audit events that go with no other write (sign-in, a failed sign-in, sign-out), and reading
//! the newest events. Events of changes are appended by `WriteTx::commit`.

use super::errors::DbResult;
use super::rows::instant;
use super::write_tx::{append_event, Event, Scope, WriteTx};
use super::{now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::{TeamId, UserId};
use app::ports::{AuditEvent, AuditStore, StoreResult};
use async_trait::async_trait;

async fn record(
    db: &Db,
    actor_id: Option<&UserId>,
    actor: &str,
    action: &str,
    entity: &str,
    details: &Details,
) -> DbResult<()> {
    let mut tx: WriteTx = db.begin_write(Scope::Record).await?;
    let event = Event {
        actor_id: actor_id.map(UserId::as_str),
        actor,
        action,
        entity,
        team: None,
        details,
    };
    append_event(&mut tx, &event, now_micros()).await?;
    match tx {
        WriteTx::Sqlite(t) => t.commit().await?,
        WriteTx::Postgres(t) => t.commit().await?,
    }
    Ok(())
}

type EventRow = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    String,
);

async fn recent(db: &Db, limit: u32) -> DbResult<Vec<AuditEvent>> {
    let rows: Vec<EventRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select seq, at, actor_id, actor, action, entity, team_id, details \
             from audit_events order by seq desc limit $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(
            |(seq, at, actor_id, actor, action, entity, team_id, details)| {
                Ok(AuditEvent {
                    seq,
                    at: instant(at)?,
                    actor_id: actor_id.map(UserId),
                    actor,
                    action,
                    entity,
                    team_id: team_id.map(TeamId),
                    details,
                })
            },
        )
        .collect()
}

#[async_trait]
impl AuditStore for Db {
    async fn record_event(
        &self,
        actor_id: Option<&UserId>,
        actor: &str,
        action: &str,
        entity: &str,
        details: &Details,
    ) -> StoreResult<()> {
        Ok(record(self, actor_id, actor, action, entity, details).await?)
    }

    async fn recent_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        Ok(recent(self, limit).await?)
    }
}
