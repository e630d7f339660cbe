//! The SQLite and PostgreSQL implementations of the `Store` traits. The backend is chosen once
//! from the URL; store code is written once and expanded for each pool by `with_pool!` (reads)
//! or each transaction by `with_tx!` (writes, see `write_tx.rs`), with dialect SQL only where
//! behaviour differs. Store code returns `DbResult`; `?` maps sqlx errors (`errors.rs`).

mod accounts;
mod attempts;
mod attestations;
mod audit;
mod catalog;
mod counts;
mod demo;
pub mod errors;
mod limits;
mod requirement_states;
mod requirements;
mod rows;
mod scope;
mod second_factor;
mod settings;
mod teams;
mod users;
mod verifications;
mod workload_list;
mod workload_versions;
mod workloads;
pub(crate) mod write_tx;

pub use errors::{DbError, DbResult};
pub use limits::Limits;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Rows per index that SQLite's ANALYZE reads (`PRAGMA analysis_limit`); 400 is the value SQLite's
/// documentation suggests.
const SQLITE_ANALYSIS_LIMIT: u32 = 400;

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool: the same SQL text, compiled once per
/// backend, so there is one copy of every query.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Db {
    /// Connects with the default limits.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Self::connect_with(url, &Limits::default()).await
    }

    /// Connects to the database the URL names; SQLite files are created, in WAL mode. Every
    /// statement's work is bounded by `limits.statement_timeout` on both backends.
    pub async fn connect_with(url: &str, limits: &Limits) -> Result<Db, sqlx::Error> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                // Bounds what `PRAGMA optimize` analyzes, as SQLite recommends; with a limit,
                // ANALYZE also keeps no `sqlite_stat4` samples, whose presence makes SQLite
                // re-prepare every cached statement whose bound values could change its plan
                // (measured: a tenth of a workload page's instructions).
                .pragma("analysis_limit", SQLITE_ANALYSIS_LIMIT.to_string())
                // The wait for the write lock is bounded here, apart from the work's own limit
                // (which starts counting only once SQLite executes): a taking holds a
                // connection for at most about the two together.
                .busy_timeout((limits.statement_timeout / 2).min(Duration::from_secs(10)));
            let statement_timeout = limits.statement_timeout;
            let pool = SqlitePoolOptions::new()
                .max_connections(limits.pool_size.unwrap_or(8))
                .acquire_timeout(limits.acquire_timeout)
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        // What SQLite recommends for long-lived connections, at open and before
                        // the time limit is armed; sqlx reopens pooled connections every 30
                        // minutes (their lifetime), which repeats it.
                        sqlx::query("pragma optimize = 0x10002")
                            .execute(&mut *conn)
                            .await?;
                        limits::bound_sqlite(conn, statement_timeout).await
                    })
                })
                // A connection to a file cannot be lost the way a network connection can, and
                // the default ping before each taking is one more round trip to its thread. Should
                // a connection's thread die, the one request that takes it fails and release
                // closes it.
                .test_before_acquire(false)
                .after_release(move |conn, _| {
                    Box::pin(limits::keep_sqlite(conn, statement_timeout))
                })
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            let statement_timeout = limits.statement_timeout.as_millis().to_string();
            let options = PgConnectOptions::from_str(url)?
                .options([("statement_timeout", statement_timeout.as_str())]);
            let pool = PgPoolOptions::new()
                .max_connections(limits.pool_size.unwrap_or(10))
                .acquire_timeout(limits.acquire_timeout)
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        }
    }

    /// Applies the schema migrations of this backend, creates the session table, and chains
    /// audit events written before the chain existed (or re-chained by a migration); returns
    /// how many it chained.
    pub async fn migrate(&self) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
        match self {
            Db::Sqlite(pool) => {
                sqlx::migrate!("../migrations/sqlite").run(pool).await?;
                tower_sessions_sqlx_store::SqliteStore::new(pool.clone())
                    .migrate()
                    .await?;
            }
            Db::Postgres(pool) => {
                sqlx::migrate!("../migrations/postgres").run(pool).await?;
                tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
                    .migrate()
                    .await?;
            }
        }
        let chained = audit::chain_earlier_events(self).await?;
        if chained > 0 {
            tracing::info!(
                events = chained,
                "chained the audit events written before the chain"
            );
        }
        Ok(chained)
    }

    /// A cheap round trip, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query("select 1").execute(pool).await.map(|_| ()))
    }

    /// Closes every connection.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// Now, as stored: integer Unix microseconds, UTC, the same on both backends.
pub fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// A new id: UUIDv7 text, sortable by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
