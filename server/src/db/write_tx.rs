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

use super::errors::DbResult;
use super::Db;
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

/// What a committed write changed, and on whose behalf.
pub struct Change<'a> {
    pub actor: &'a Principal,
    /// `<entity>.<verb>`, e.g. `workload.create`.
    pub action: &'static str,
    /// The id of the changed record (or a description for bulk changes).
    pub entity: &'a str,
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
    /// Records `change` and commits. Every write of the store ends here, so that the audit
    /// event of a change will be written in the same transaction as the change itself (the
    /// audit log is the next issue; today the change is logged at debug level).
    pub async fn commit(self, change: Change<'_>) -> DbResult<()> {
        tracing::debug!(
            action = change.action,
            entity = change.entity,
            actor = change.actor.actor_label(),
            "change committed"
        );
        match self {
            WriteTx::Sqlite(t) => t.commit().await?,
            WriteTx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
