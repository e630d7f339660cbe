//! The HTTP surface: Leptos pages and server functions, static assets, the health check, the
//! session layer and the cross-origin check.

use crate::db::Db;
use crate::security::{same_origin_only, TrustedOrigin};
use crate::state::AppState;
use app::app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// Largest request body outside upload routes.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Builds the application router.
pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || state.provide()
    };
    let options = state.leptos_options.clone();
    let app = Router::new()
        .route("/health", get(health))
        .route(
            "/charts/workloads-by-phase-and-team.svg",
            get(crate::charts::phase_and_team),
        )
        .route(
            "/charts/workloads/{id}/required-by-layer.svg",
            get(crate::charts::required_by_layer),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(state.clone());
    let secure = state.config.is_https();
    let app = match &state.db {
        Db::Sqlite(pool) => with_sessions(app, SqliteStore::new(pool.clone()), secure),
        Db::Postgres(pool) => with_sessions(app, PostgresStore::new(pool.clone()), secure),
    };
    let origin = TrustedOrigin(crate::security::trusted_origins(&state.config.public_url).into());
    app.layer(axum::middleware::from_fn_with_state(
        origin,
        same_origin_only,
    ))
    .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
}

fn with_sessions<S: SessionStore + ExpiredDeletion + Clone>(
    app: Router,
    store: S,
    secure: bool,
) -> Router {
    // Expired sessions (and their one-shot flashes) are deleted hourly. Every instance may do
    // this: the delete is idempotent, so nothing needs to coordinate it.
    let sweeper = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = sweeper.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
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

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
        }
    }
}
