//! Write transactions that serialize where they must, per backend (the one place where the
//! dialects differ in how a transaction starts).
//!
//! - SQLite: `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads before
//!   it writes waits (busy timeout) instead of failing with "database is locked".
//! - PostgreSQL: workload writes take a shared advisory lock and catalog-wide rewrites an
//!   exclusive one, so a catalog load never interleaves with a workload's requirement rewrite, and
//!   two catalog loads never race for the same version number.

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// Advisory lock key for "requirements of all workloads" (any fixed number works).
const REQUIREMENTS_LOCK: i64 = 0x5354_5241_5441; // "STRATA"

/// How much of the database a write transaction needs to itself.
#[derive(Clone, Copy)]
pub enum Scope {
    /// One workload: may run beside other workload writes.
    Workload,
    /// Every workload (catalog load, rematerialization): runs alone.
    AllWorkloads,
}

/// Starting a write transaction.
pub trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(
        &self,
        scope: Scope,
    ) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = Sqlite;
    async fn begin_write(
        &self,
        _scope: Scope,
    ) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = Postgres;
    async fn begin_write(
        &self,
        scope: Scope,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        let lock = match scope {
            Scope::Workload => "select pg_advisory_xact_lock_shared($1)",
            Scope::AllWorkloads => "select pg_advisory_xact_lock($1)",
        };
        sqlx::query(lock)
            .bind(REQUIREMENTS_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}
