//! Bounds on database work, so that one slow request cannot hold the pool: the pool size, how
//! long a request waits for a connection, and how long a connection's work may run once taken.
//! PostgreSQL enforces the last with `statement_timeout`; SQLite, whose statements go on running
//! when the future waiting for them is dropped, gets a progress handler that interrupts the
//! work of one taking of a connection once it has run for longer than the limit.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Pool size and time bounds (configuration: `STRATA_DB_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections in the pool; `None` picks the backend's default (SQLite 8, PostgreSQL 10).
    pub pool_size: Option<u32>,
    /// Longest wait for a free connection before the request is answered "busy".
    pub acquire_timeout: Duration,
    /// Longest a statement (PostgreSQL) or a taken connection's work (SQLite) may run.
    pub statement_timeout: Duration,
}

impl Limits {
    /// For command-line tasks (migrate, catalog loads, rematerialize, demo, bench seeding):
    /// their transactions legitimately rewrite every workload, so they get minutes, not seconds.
    pub fn for_tasks() -> Self {
        Limits {
            pool_size: None,
            acquire_timeout: Duration::from_secs(60),
            statement_timeout: Duration::from_secs(30 * 60),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            pool_size: None,
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(10),
        }
    }
}

/// SQLite virtual-machine instructions between two looks at the clock (cheap: a few thousand
/// instructions take microseconds).
const CHECK_EVERY_OPS: i32 = 10_000;

/// Connections whose work was interrupted, by the address of their SQLite handle. SQLite rolls
/// back an interrupted transaction itself, which leaves sqlx's idea of the connection's
/// transaction out of step; such a connection is closed when it goes back to the pool.
static INTERRUPTED: Mutex<Option<HashSet<usize>>> = Mutex::new(None);

fn key(handle: &mut sqlx::sqlite::LockedSqliteHandle<'_>) -> usize {
    handle.as_raw_handle().as_ptr() as usize
}

/// Installs a progress handler that interrupts the connection's work once it has run for
/// `limit`, counted from the handler's first call after it was installed (within the first
/// `CHECK_EVERY_OPS` instructions of the taking's work; SQLite counts a cached statement's
/// instructions across its runs, so short statements may start the clock too). It is
/// installed when a connection opens and again each time it goes back to the pool, so every
/// taking of the connection gets a fresh limit. Re-arming on release rather than on acquire
/// costs no extra round trip: release already takes the handle to see whether the work was
/// interrupted, and every round trip to a connection is a hop to its worker thread (measured:
/// the hops were a quarter of a workload page's time).
pub async fn bound_sqlite(
    conn: &mut sqlx::SqliteConnection,
    limit: Duration,
) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    arm(&mut handle, limit);
    Ok(())
}

fn arm(handle: &mut sqlx::sqlite::LockedSqliteHandle<'_>, limit: Duration) {
    let connection = key(handle);
    let mut deadline: Option<Instant> = None;
    handle.set_progress_handler(CHECK_EVERY_OPS, move || {
        let now = Instant::now();
        let in_time = now < *deadline.get_or_insert(now + limit);
        if !in_time {
            if let Ok(mut set) = INTERRUPTED.lock() {
                set.get_or_insert_with(HashSet::new).insert(connection);
            }
        }
        in_time
    });
}

/// Whether a connection going back to the pool may be kept: not when its work was interrupted.
/// A kept connection is armed again for its next taking.
pub async fn keep_sqlite(
    conn: &mut sqlx::SqliteConnection,
    limit: Duration,
) -> Result<bool, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let connection = key(&mut handle);
    let interrupted = INTERRUPTED
        .lock()
        .map(|mut set| set.get_or_insert_with(HashSet::new).remove(&connection))
        .unwrap_or(true);
    if !interrupted {
        arm(&mut handle, limit);
    }
    Ok(!interrupted)
}
