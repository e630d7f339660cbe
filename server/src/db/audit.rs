//! Audit events that go with no other write (sign-in, a failed sign-in, sign-out), reading the
//! chain page by page, and chaining events written before the chain existed. Events of changes
//! are appended by `WriteTx::commit`.

use super::errors::{DbError, DbResult};
use super::rows::instant;
use super::scope::push_scope;
use super::write_tx::{append_event, with_tx, Event, Scope, WriteTx};
use super::{now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::audit_chain::{body, digest, hex, link, unhex, ChainContent, GENESIS};
use app::domain::policy::Reach;
use app::domain::{TeamId, UserId};
use app::ports::{AuditEvent, AuditStore, EventFilter, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

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
    append_event(&mut tx, &event).await?;
    tx.commit_appended().await?;
    Ok(())
}

/// seq, at, actor id, actor, action, entity, team, details, digest, hash.
type EventRow = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

const EVENT_COLUMNS: &str =
    "seq, at, actor_id, actor, action, entity, team_id, details, digest, hash";

fn event_of(row: EventRow) -> DbResult<AuditEvent> {
    let (seq, at, actor_id, actor, action, entity, team_id, details, digest, hash) = row;
    Ok(AuditEvent {
        seq,
        at: instant(at)?,
        actor_id: actor_id.map(UserId),
        actor,
        action,
        entity,
        team_id: team_id.map(TeamId),
        details,
        // An event not chained yet (only before `migrate` chains it) verifies as broken.
        digest: digest.unwrap_or_default(),
        hash: hash.unwrap_or_default(),
    })
}

async fn recent(db: &Db, limit: u32) -> DbResult<Vec<AuditEvent>> {
    let sql = format!("select {EVENT_COLUMNS} from audit_events order by seq desc limit $1");
    let rows: Vec<EventRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(i64::from(limit)).fetch_all(pool).await?
    });
    rows.into_iter().map(event_of).collect()
}

async fn chain_page(db: &Db, after: i64, limit: u32) -> DbResult<Vec<AuditEvent>> {
    let sql =
        format!("select {EVENT_COLUMNS} from audit_events where seq > $1 order by seq limit $2");
    let rows: Vec<EventRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    rows.into_iter().map(event_of).collect()
}

async fn chain_head(db: &Db) -> DbResult<(i64, String)> {
    Ok(with_pool!(db, pool => {
        sqlx::query_as("select seq, hash from audit_head where id = 1")
            .fetch_one(pool)
            .await?
    }))
}

async fn chain_range(db: &Db, from: i64, to: i64) -> DbResult<Option<(i64, i64)>> {
    let (low, high): (Option<i64>, Option<i64>) = with_pool!(db, pool => {
        sqlx::query_as(
            "select min(seq), max(seq) from audit_events where at >= $1 and at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await?
    });
    Ok(low.zip(high))
}

async fn event_hash(db: &Db, seq: i64) -> DbResult<Option<String>> {
    let hash: Option<Option<String>> = with_pool!(db, pool => {
        sqlx::query_scalar("select hash from audit_events where seq = $1")
            .bind(seq)
            .fetch_optional(pool)
            .await?
    });
    Ok(hash.flatten())
}

async fn list_events(
    db: &Db,
    filter: &EventFilter,
    reach: Option<&Reach>,
    before: Option<i64>,
    limit: u32,
) -> DbResult<Vec<AuditEvent>> {
    let rows: Vec<EventRow> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(format!(
            "select {EVENT_COLUMNS} from audit_events where 1 = 1"
        ));
        if let Some(seq) = before {
            q.push(" and seq < ").push_bind(seq);
        }
        if let Some(actor) = &filter.actor {
            q.push(" and (actor_id = ")
                .push_bind(actor.as_str())
                .push(" or actor = ")
                .push_bind(actor.as_str())
                .push(")");
        }
        if let Some(action) = &filter.action {
            q.push(" and action = ").push_bind(action.as_str());
        }
        if let Some(entity) = &filter.entity {
            q.push(" and entity = ").push_bind(entity.as_str());
        }
        if let Some(team) = &filter.team {
            q.push(" and team_id = ").push_bind(team.as_str());
        }
        if let Some(from) = filter.from {
            q.push(" and at >= ").push_bind(from.timestamp_micros());
        }
        if let Some(to) = filter.to {
            q.push(" and at < ").push_bind(to.timestamp_micros());
        }
        if let Some(reach) = reach {
            push_scope(&mut q, "team_id", reach);
        }
        q.push(" order by seq desc limit ").push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await?
    });
    rows.into_iter().map(event_of).collect()
}

/// seq, at, actor id, actor, action, entity, team, details of an event not chained yet.
type UnchainedRow = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    String,
);

/// Chains the events written before the chain existed (migration 0016), in sequence order,
/// numbering them on from the head without gaps. Runs once per database; a chained database
/// has nothing to do and costs one query.
pub(super) async fn chain_earlier_events(db: &Db) -> DbResult<u64> {
    let mut tx = db.begin_write(Scope::AllWorkloads).await?;
    let rows: Vec<UnchainedRow> = with_tx!(&mut tx, conn => {
        sqlx::query_as(
            "select seq, at, actor_id, actor, action, entity, team_id, details \
             from audit_events where hash is null order by seq",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    if rows.is_empty() {
        return Ok(0);
    }
    let (mut seq, head): (i64, String) = with_tx!(&mut tx, conn => {
        sqlx::query_as("select seq, hash from audit_head where id = 1")
            .fetch_one(&mut *conn)
            .await?
    });
    let mut previous = unhex(&head).unwrap_or(GENESIS);
    let count = rows.len() as u64;
    for (old_seq, at, actor_id, actor, action, entity, team, details) in rows {
        seq += 1;
        if old_seq < seq {
            return Err(DbError::corrupt(
                "audit events",
                format!("event {old_seq} is older than the chain's head"),
            ));
        }
        let content = ChainContent {
            seq,
            at_micros: at,
            actor: actor_id.as_deref().unwrap_or(&actor),
            action: &action,
            entity: &entity,
            team: team.as_deref(),
            actor_name: actor_id.as_ref().map(|_| actor.as_str()),
            details: &details,
        };
        let b = body(&content).map_err(|e| DbError::corrupt("audit event", &e.0))?;
        let d = digest(&b);
        previous = link(&previous, &d);
        with_tx!(&mut tx, conn => {
            sqlx::query("update audit_events set seq = $1, digest = $2, hash = $3 where seq = $4")
                .bind(seq)
                .bind(hex(&d))
                .bind(hex(&previous))
                .bind(old_seq)
                .execute(&mut *conn)
                .await?;
        });
    }
    with_tx!(&mut tx, conn => {
        sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
            .bind(seq)
            .bind(hex(&previous))
            .execute(&mut *conn)
            .await?;
    });
    tx.commit_appended().await?;
    Ok(count)
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

    async fn chain_page(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        Ok(chain_page(self, after, limit).await?)
    }

    async fn chain_head(&self) -> StoreResult<(i64, String)> {
        Ok(chain_head(self).await?)
    }

    async fn chain_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Option<(i64, i64)>> {
        Ok(chain_range(self, from.timestamp_micros(), to.timestamp_micros()).await?)
    }

    async fn event_hash(&self, seq: i64) -> StoreResult<Option<String>> {
        Ok(event_hash(self, seq).await?)
    }

    async fn list_events(
        &self,
        filter: &EventFilter,
        reach: Option<&Reach>,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEvent>> {
        Ok(list_events(self, filter, reach, before, limit).await?)
    }
}

impl Db {
    /// Appends `n` sign-in events through the chain's own append, `per_transaction` at a time:
    /// how the bench fills a chain of 100,000 events quickly (not used by the application).
    pub async fn append_bench_events(&self, n: u64, per_transaction: u64) -> DbResult<()> {
        let details = Details::new().with("bench", true);
        let mut left = n;
        while left > 0 {
            let batch = left.min(per_transaction.max(1));
            let mut tx = self.begin_write(Scope::Record).await?;
            for _ in 0..batch {
                let event = Event {
                    actor_id: None,
                    actor: "strata bench",
                    action: "session.sign_in_failed",
                    entity: "unknown account",
                    team: None,
                    details: &details,
                };
                append_event(&mut tx, &event).await?;
            }
            tx.commit_appended().await?;
            left -= batch;
        }
        Ok(())
    }

    /// The same row written `n` times, one transaction each, into a table without the chain
    /// (created here): the bench's baseline for what the chain costs a change.
    pub async fn append_plain_bench_events(&self, n: u64) -> DbResult<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "create table if not exists bench_plain_events (at bigint not null, \
                 actor_id text, actor text not null, action text not null, entity text not null, \
                 team_id text, details text not null)",
            )
            .execute(pool)
            .await?;
        });
        for _ in 0..n {
            let mut tx = self.begin_write(Scope::Record).await?;
            with_tx!(&mut tx, conn => {
                sqlx::query(
                    "insert into bench_plain_events \
                     (at, actor_id, actor, action, entity, team_id, details) \
                     values ($1, null, 'strata bench', 'session.sign_in_failed', \
                     'unknown account', null, '{\"bench\":true}')",
                )
                .bind(now_micros())
                .execute(&mut *conn)
                .await?;
            });
            tx.commit_appended().await?;
        }
        Ok(())
    }
}
