//! Test databases: a temporary SQLite file, or a fresh PostgreSQL database
//! `strata_test_<pid>_<n>` on the server named by `STRATA_TEST_DATABASE_URL`. Databases left by
//! killed runs (whose process is gone) are dropped. PostgreSQL is required: without it the
//! tests fail, they never skip.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicUsize, Ordering};
use strata_server::db::Db;
use tokio::sync::OnceCell;

/// A caller recorded under `name`, for store calls in tests.
pub fn by(name: &str) -> app::domain::Principal {
    app::domain::Principal::System(name.into())
}

/// A migrated database that is removed by `cleanup`.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// A new, migrated database.
    pub async fn open(self) -> TestDb {
        let t = self.open_empty().await;
        t.db.migrate().await.expect("migrate");
        t
    }

    /// A new database without any table (for migration tests).
    pub async fn open_empty(self) -> TestDb {
        match self {
            Backend::Sqlite => sqlite().await,
            Backend::Postgres => postgres().await,
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static SWEPT: OnceCell<()> = OnceCell::const_new();

fn admin_url() -> String {
    std::env::var("STRATA_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "STRATA_TEST_DATABASE_URL is not set: PostgreSQL tests need a server \
             (`make test` finds or starts one)"
        )
    })
}

/// An empty SQLite database in a temporary folder.
async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("strata.db").display());
    let db = Db::connect(&url).await.expect("open sqlite");
    TestDb {
        db,
        url,
        pg_name: None,
        _dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database.
async fn postgres() -> TestDb {
    let admin = admin_url();
    SWEPT.get_or_init(|| sweep_stale(admin.clone())).await;
    let name = format!(
        "strata_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("connect to PostgreSQL admin URL");
    sqlx::query(&format!("create database {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    conn.close().await.ok();
    let url = strata_server::bench::with_database(&admin, &name);
    let db = Db::connect(&url).await.expect("open postgres");
    TestDb {
        db,
        url,
        pg_name: Some(name),
        _dir: None,
    }
}

impl TestDb {
    /// Runs one SQL statement directly, beside the store (to break stored data on purpose).
    pub async fn exec(&self, sql: &str) {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .expect("statement");
    }

    /// Closes the pool and drops the PostgreSQL database.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some(name) = self.pg_name {
            drop_database(&admin_url(), &name).await;
        }
    }
}

async fn drop_database(admin: &str, name: &str) {
    if let Ok(mut conn) = PgConnection::connect(admin).await {
        let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
    }
}

/// Drops `strata_test_<pid>_*` databases whose process no longer runs.
async fn sweep_stale(admin: String) {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .expect("connect to PostgreSQL admin URL");
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname like 'strata_test_%'")
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
    pool.close().await;
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            drop_database(&admin, &name).await;
        }
    }
}

/// Runs a test body once on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let t = $crate::support::Backend::Sqlite.open().await;
                // A hang becomes a failure instead of stalling the whole run.
                tokio::time::timeout(std::time::Duration::from_secs(120), super::$name(&t))
                    .await
                    .expect("test timed out after 120 s");
                t.cleanup().await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let t = $crate::support::Backend::Postgres.open().await;
                // A hang becomes a failure instead of stalling the whole run.
                tokio::time::timeout(std::time::Duration::from_secs(120), super::$name(&t))
                    .await
                    .expect("test timed out after 120 s");
                t.cleanup().await;
            })*
        }
    };
}
