//! Test databases: a temporary SQLite file, or a fresh PostgreSQL database
//! `strata_test_<machine>_<pid>_<n>` on the server named by `STRATA_TEST_DATABASE_URL`.
//! Databases left by killed runs of this machine (whose process is gone) are dropped. PostgreSQL is required: without it the
//! tests fail, they never skip.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicUsize, Ordering};
use strata_server::db::Db;
use tokio::sync::OnceCell;

/// A control workload `id` requires now that nobody attested yet (the demo's history leaves
/// some alone), so that the records a test makes of it are its own.
pub async fn unattested_required(
    store: &app::ports::SharedStore,
    id: &app::domain::WorkloadId,
) -> Option<String> {
    let attested = store.attestations_of(id).await.expect("attestations");
    store
        .requirements(id)
        .await
        .expect("requirements")
        .into_iter()
        .find(|r| r.required && !attested.iter().any(|a| a.control_id == r.control_id))
        .map(|r| r.control_id)
}

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
        "{}{}_{}",
        own_prefix(),
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

/// Limits count attempts in fixed windows (`service::attempts::window_start`): a test whose
/// attempts must fall in one window waits for the next window when this one ends within
/// `margin` seconds, instead of failing now and then at a boundary.
pub async fn within_one_window(window_seconds: i64, margin: i64) {
    let now = chrono::Utc::now().timestamp();
    let left = window_seconds - now.rem_euclid(window_seconds);
    if left < margin {
        let wait = u64::try_from(left + 1).unwrap_or(1);
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
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

    /// Reads one integer directly, beside the store (to see what it keeps).
    pub async fn scalar(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        }
        .expect("query")
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

/// `strata_test_<machine>_`: the start of this machine's test database names. A PostgreSQL
/// server may serve several machines (or containers), and a process id says nothing of
/// another's processes, so the sweep below only ever considers names of this one: its machine
/// id (or, when that is empty or unset, its host name) and its process-id namespace.
fn own_prefix() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let machine = read("/etc/machine-id");
    let machine = match machine.trim() {
        "" | "uninitialized" => read("/proc/sys/kernel/hostname"),
        id => id.to_string(),
    };
    let namespace = std::fs::read_link("/proc/self/ns/pid")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    // FNV-1a: a short, stable tag of both.
    let tag = format!("{}|{namespace}", machine.trim())
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
    format!("strata_test_{tag:08x}_")
}

/// The process id in `name` when it is exactly `<own prefix><pid>_<n>`.
fn own_database_pid(name: &str, prefix: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(prefix)?.split_once('_')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(n))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Drops this machine's test databases whose process no longer runs.
async fn sweep_stale(admin: String) {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .expect("connect to PostgreSQL admin URL");
    let prefix = own_prefix();
    // A plain prefix comparison (in LIKE, `_` is a wildcard); each name is then matched exactly.
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where left(datname, length($1)) = $1")
            .bind(&prefix)
            .fetch_all(&pool)
            .await
            .unwrap_or_else(|e| {
                eprintln!("could not list stale test databases: {e}");
                Vec::new()
            });
    pool.close().await;
    for name in names {
        let Some(pid) = own_database_pid(&name, &prefix) else {
            continue;
        };
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            drop_database(&admin, &name).await;
        }
    }
}

#[test]
fn only_exact_names_of_this_machine_are_swept() {
    let prefix = "strata_test_0a1b2c3d_";
    assert_eq!(
        own_database_pid("strata_test_0a1b2c3d_4242_7", prefix),
        Some(4242)
    );
    for other in [
        "strata_test_0a1b2c3d_4242",
        "strata_test_0a1b2c3d_4242_7_x",
        "strata_test_0a1b2c3d_x_7",
        "strata_test_ffffffff_4242_7",
        "strataXtestX0a1b2c3dX4242_7",
        "strata_test_4242_7",
    ] {
        assert_eq!(own_database_pid(other, prefix), None, "{other}");
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
