//! Sessions in the application database (tower-sessions with the sqlx store of the backend in
//! use), and the task that deletes expired ones.

use crate::db::Db;
use axum::Router;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// How often expired sessions are deleted: often, as a flash-only session lives 10 minutes and
/// its row should not outlive it by much (one delete over a table these limits keep small).
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(120);

/// How often old attempt counts are deleted.
const ATTEMPTS_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Wraps `app` in the session layer of `db`'s backend. A session's row and cookie expire after
/// `idle` without a save (a signed-in session saves at most once a minute, `identity.rs`);
/// the signed-in checks themselves read the instants stored in the session.
pub fn layer(app: Router, db: &Db, secure: bool, idle: std::time::Duration) -> Router {
    let idle = Duration::seconds(i64::try_from(idle.as_secs()).unwrap_or(i64::MAX));
    match db {
        Db::Sqlite(pool) => with_store(app, SqliteStore::new(pool.clone()), secure, idle),
        Db::Postgres(pool) => with_store(app, PostgresStore::new(pool.clone()), secure, idle),
    }
}

fn with_store<S: SessionStore + Clone>(
    app: Router,
    store: S,
    secure: bool,
    idle: Duration,
) -> Router {
    // Lax, not the default Strict: the sign-in redirect back from an identity provider must
    // carry the cookie.
    let layer = SessionManagerLayer::new(store)
        .with_name(if secure { "__Host-strata" } else { "strata" })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle));
    app.layer(layer)
}

/// How long attempt counts are kept: longer than any limit's window.
const ATTEMPTS_KEPT_SECONDS: i64 = 3600;

/// The deletion tasks of one server instance.
pub struct Sweeper(Vec<tokio::task::JoinHandle<()>>);

impl Sweeper {
    /// Stops every task.
    pub fn abort(&self) {
        self.0.iter().for_each(tokio::task::JoinHandle::abort);
    }
}

/// Starts the deletion of expired sessions (tower-sessions' own task) and of old attempt
/// counts for `db`; `serve` aborts them on shutdown. Every instance may run them: the deletes
/// are idempotent, so nothing needs to coordinate them.
pub fn spawn_sweeper(db: &Db) -> Sweeper {
    let sessions = match db {
        Db::Sqlite(pool) => tokio::spawn(sweep(SqliteStore::new(pool.clone()))),
        Db::Postgres(pool) => tokio::spawn(sweep(PostgresStore::new(pool.clone()))),
    };
    let db = db.clone();
    let attempts = tokio::spawn(async move {
        loop {
            let before = chrono::Utc::now().timestamp() - ATTEMPTS_KEPT_SECONDS;
            if let Err(e) = db.forget_attempts_before(before).await {
                tracing::warn!(error = %e, "could not delete old attempt counts");
            }
            tokio::time::sleep(ATTEMPTS_SWEEP_EVERY).await;
        }
    });
    Sweeper(vec![sessions, attempts])
}

async fn sweep<S: ExpiredDeletion + Clone>(store: S) {
    // The task ends at its first failure (a database that is briefly away): log and go on.
    loop {
        if let Err(e) = store.clone().continuously_delete_expired(SWEEP_EVERY).await {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
        tokio::time::sleep(SWEEP_EVERY).await;
    }
}
