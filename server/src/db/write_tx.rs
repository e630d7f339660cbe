//! Write transactions as a value: `Db::begin_write` returns a `WriteTx` over either backend's
//! transaction, helpers that run inside it are plain `async fn(&mut WriteTx, …)`, and
//! `WriteTx::commit` is the one way a write ends, given the change it records (the audit
//! append goes there). This is also the one place where the dialects differ in how a
//! transaction starts:
//!
//! - SQLite: `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads before
//!   it writes waits (busy timeout) instead of failing with "database is locked".
//! - PostgreSQL: workload writes take a shared advisory lock and catalog-wide rewrites an
//!   exclusive one, so a catalog load never interleaves with a workload's requirement rewrite, and
//!   two catalog loads never race for the same version number.

use super::errors::{DbError, DbResult};
use super::{now_micros, Db};
use app::domain::audit::Details;
use app::domain::Principal;
use sqlx::{Postgres, Sqlite, Transaction};

/// Advisory lock key for "requirements of all workloads" (any fixed number works).
const REQUIREMENTS_LOCK: i64 = 0x5354_5241_5441; // "STRATA"

/// How much of the database a write transaction needs to itself.
#[derive(Clone, Copy)]
pub enum Scope {
    /// One record (a workload, a team, a person): may run beside other such writes.
    Record,
    /// Every workload (catalog load, rematerialization, demo removal): runs alone.
    AllWorkloads,
}

/// An open write transaction on either backend.
pub enum WriteTx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut SqliteConnection` or
/// `&mut PgConnection`): the same SQL text, compiled once per backend.
macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut *$tx {
            $crate::db::write_tx::WriteTx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::write_tx::WriteTx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

/// What a committed write changed, and on whose behalf: its audit event.
pub struct Change<'a> {
    pub actor: &'a Principal,
    /// `<entity>.<verb>`, e.g. `workload.create`.
    pub action: &'static str,
    /// The id of the changed record (or a description for bulk changes).
    pub entity: &'a str,
    /// The team the record belongs to, for reading events by team.
    pub team: Option<&'a str>,
    pub details: Details,
}

impl<'a> Change<'a> {
    pub fn new(actor: &'a Principal, action: &'static str, entity: &'a str) -> Self {
        Change {
            actor,
            action,
            entity,
            team: None,
            details: Details::new(),
        }
    }

    /// The team of the changed record.
    pub fn team(mut self, team: &'a str) -> Self {
        self.team = Some(team);
        self
    }

    pub fn details(mut self, details: Details) -> Self {
        self.details = details;
        self
    }
}

impl Db {
    /// Starts a write transaction that serializes with the writes it must not interleave with.
    pub async fn begin_write(&self, scope: Scope) -> DbResult<WriteTx> {
        Ok(match self {
            Db::Sqlite(pool) => WriteTx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let lock = match scope {
                    Scope::Record => "select pg_advisory_xact_lock_shared($1)",
                    Scope::AllWorkloads => "select pg_advisory_xact_lock($1)",
                };
                sqlx::query(lock)
                    .bind(REQUIREMENTS_LOCK)
                    .execute(&mut *tx)
                    .await?;
                WriteTx::Postgres(tx)
            }
        })
    }
}

impl WriteTx {
    /// Records `change` as an audit event and commits: every write of the store ends here, so
    /// the event is written in the same transaction as the change, or neither is.
    pub async fn commit(mut self, change: Change<'_>) -> DbResult<()> {
        let actor_id = change.actor.person().map(|p| p.id.as_str());
        let event = Event {
            actor_id,
            actor: change.actor.actor_label(),
            action: change.action,
            entity: change.entity,
            team: change.team,
            details: &change.details,
        };
        append_event(&mut self, &event).await?;
        self.commit_appended().await
    }

    /// Commits a transaction whose audit events the caller appended itself (`append_event`):
    /// events of their own, the chain's upkeep and the bench's fill.
    pub async fn commit_appended(self) -> DbResult<()> {
        match self {
            WriteTx::Sqlite(t) => t.commit().await?,
            WriteTx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// An audit event as written.
pub struct Event<'a> {
    /// The signed-in person who acted, if a person did.
    pub actor_id: Option<&'a str>,
    /// Whoever acted, as people read it.
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub team: Option<&'a str>,
    pub details: &'a Details,
}

/// Appends `event` inside the transaction, as the next link of the chain: one more than the
/// head's sequence, hashed onto the head's hash. The head is read locked (PostgreSQL `for
/// update`; SQLite's `BEGIN IMMEDIATE` holds the write lock already) until the transaction
/// ends, so concurrent appends queue here and the chain never forks. Appends come last in a
/// transaction (`commit`), so the lock is held only until the commit. The event's time is
/// taken once the lock is held, so times rise with sequence numbers.
pub async fn append_event(tx: &mut WriteTx, event: &Event<'_>) -> DbResult<()> {
    use app::domain::audit_chain::{body, digest, hex, link, unhex, ChainContent};
    let details = event.details.to_json();
    let head_sql = match tx {
        WriteTx::Sqlite(_) => "select seq, hash from audit_head where id = 1",
        WriteTx::Postgres(_) => "select seq, hash from audit_head where id = 1 for update",
    };
    let (head_seq, head_hash): (i64, String) = with_tx!(tx, conn => {
        sqlx::query_as(head_sql).fetch_one(&mut *conn).await?
    });
    let previous = unhex(&head_hash).ok_or_else(|| DbError::corrupt("audit head", &head_hash))?;
    let seq = head_seq + 1;
    let at = now_micros();
    // The chain names a person by id, anyone else by name.
    let actor = event.actor_id.unwrap_or(event.actor);
    let content = ChainContent {
        seq,
        at_micros: at,
        actor,
        action: event.action,
        entity: event.entity,
        team: event.team,
        actor_name: event.actor_id.map(|_| event.actor),
        details: &details,
    };
    // A change whose event cannot be chained is not made.
    let body = body(&content).map_err(|e| DbError::corrupt("audit event", &e.0))?;
    let d = digest(&body);
    let h = link(&previous, &d);
    let (digest_hex, hash_hex) = (hex(&d), hex(&h));
    with_tx!(tx, conn => {
        sqlx::query(
            "insert into audit_events \
             (seq, at, actor_id, actor, action, entity, team_id, details, digest, hash) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(at)
        .bind(event.actor_id)
        .bind(event.actor)
        .bind(event.action)
        .bind(event.entity)
        .bind(event.team)
        .bind(&details)
        .bind(&digest_hex)
        .bind(&hash_hex)
        .execute(&mut *conn)
        .await?;
        sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
            .bind(seq)
            .bind(&hash_hex)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
