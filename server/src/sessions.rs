//! Sessions in the application database (tower-sessions with the sqlx store of the backend in
//! use), and the task that deletes expired ones.

use crate::db::Db;
use axum::Router;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// How often expired sessions (and their one-shot flashes) are deleted.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Wraps `app` in the session layer of `db`'s backend.
pub fn layer(app: Router, db: &Db, secure: bool) -> Router {
    match db {
        Db::Sqlite(pool) => with_store(app, SqliteStore::new(pool.clone()), secure),
        Db::Postgres(pool) => with_store(app, PostgresStore::new(pool.clone()), secure),
    }
}

fn with_store<S: SessionStore + Clone>(app: Router, store: S, secure: bool) -> Router {
    // Lax, not the default Strict: the sign-in redirect back from an identity provider must
    // carry the cookie.
    let layer = SessionManagerLayer::new(store)
        .with_name(if secure { "__Host-strata" } else { "strata" })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(Duration::hours(8)));
    app.layer(layer)
}

/// Starts tower-sessions' own deletion task for `db`; `serve` aborts it on shutdown. Every
/// instance may run one: the delete is idempotent, so nothing needs to coordinate it.
pub fn spawn_sweeper(db: &Db) -> tokio::task::JoinHandle<()> {
    match db {
        Db::Sqlite(pool) => tokio::spawn(sweep(SqliteStore::new(pool.clone()))),
        Db::Postgres(pool) => tokio::spawn(sweep(PostgresStore::new(pool.clone()))),
    }
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
