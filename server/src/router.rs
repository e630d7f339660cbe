//! The HTTP surface: Leptos pages and server functions, the SVG chart routes, static assets,
//! the health check, sessions, the host and cross-origin checks, body limits, the client's
//! address, request ids, tracing and compression.

use crate::client_address::TrustedProxies;
use crate::headers::Https;
use crate::hosts::{own_hosts_only, AllowedHosts};
use crate::security::same_origin_only;
use crate::state::AppState;
use app::app::{shell, App};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state, map_response_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest request body outside upload routes (server functions have their own, smaller one:
/// `body_limit.rs`).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The page routes, generated once per process. Generating them renders the app with resource
/// loading suppressed by a process-wide flag (leptos_server's `SuppressResourceLoad`): a
/// resource of another server in the same process that starts loading meanwhile would wait
/// forever. That was the stall of tests running in parallel (leptos-rs/leptos#4773).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The server's own routes besides pages, server functions and static files (the
/// authorization matrix reads this list; `app::api::guards` says what each one asks).
pub const HEALTH: &str = "/health";
pub const PHASE_TEAM_CHART: &str = "/charts/workloads-by-phase-and-team.svg";
pub const LAYER_CHART: &str = "/charts/workloads/{id}/required-by-layer.svg";
pub const AUDIT_EXPORT: &str = "/audit/export.jsonl";
pub const ROUTES: [&str; 4] = [HEALTH, PHASE_TEAM_CHART, LAYER_CHART, AUDIT_EXPORT];
/// The server's own form routes (POST, multipart: forms that will carry files).
pub const ATTEST: &str = "/workloads/{id}/attestations";
pub const FORM_ROUTES: [&str; 1] = [ATTEST];

/// The paths of the page routes, as Leptos lists them (`/workloads/:id`).
pub fn page_paths() -> Vec<String> {
    routes().iter().map(|r| r.path().to_string()).collect()
}

/// Builds the application router.
pub fn build(state: AppState) -> Router {
    let context = {
        let state = state.clone();
        move || state.provide()
    };
    let options = state.leptos_options.clone();
    let app = Router::new()
        .merge(crate::assets::routes(
            &state.config.site_root,
            &state.asset_version,
        ))
        .route(HEALTH, get(health))
        .route(PHASE_TEAM_CHART, get(crate::charts::phase_and_team))
        .route(LAYER_CHART, get(crate::charts::required_by_layer))
        .route(AUDIT_EXPORT, get(crate::audit_export::export))
        .route(ATTEST, post(crate::attest::submit))
        .leptos_routes_with_context(&state, routes(), context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(state.clone())
        .layer(from_fn(crate::http_error::html_for_failed_forms))
        // Inside the session layer, whose session it reads.
        .layer(from_fn_with_state(state.clone(), crate::identity::attach));
    let app = crate::sessions::layer(
        app,
        &state.db,
        state.config.is_https(),
        state.config.session_idle,
    )
    .layer(from_fn_with_state(
        crate::time_limit::RequestTimeout(state.config.request_timeout),
        crate::time_limit::limit,
    ));
    // Our host names decide both which requests are answered and which pages may post.
    let hosts = AllowedHosts::new(&state.config.public_url, &state.config.allowed_hosts);
    let proxies = TrustedProxies(std::sync::Arc::new(state.config.trusted_proxies.clone()));
    app.layer(from_fn_with_state(proxies, crate::client_address::attach))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Outside the server-wide limit, so that a server function's oversized body always
        // gets the form limit's clear answer; inside the host and origin checks, so that
        // nothing of a request they refuse is read.
        .layer(from_fn_with_state(
            crate::time_limit::RequestTimeout(state.config.request_timeout),
            crate::body_limit::small_forms,
        ))
        .layer(from_fn_with_state(hosts.clone(), own_hosts_only))
        .layer(from_fn_with_state(hosts, same_origin_only))
        .layer(from_fn(with_request_id))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = req.uri().path(), request_id = id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(from_fn(forget_client_request_id))
        // br or gzip when the client accepts it; level 4 keeps a page's compression well under
        // a millisecond while taking most of the gain (a list page shrinks from 24 KB to 4 KB).
        // Not the wasm: brotli over it on every download took 0.3 s (release) to 2.4 s (debug);
        // it is compressed once, at build time (assets.rs).
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(DefaultPredicate::new().and(NotForContentType::new("application/wasm"))),
        )
        // Outermost, so that every answer of every layer above carries them.
        .layer(map_response_with_state(
            Https(state.config.is_https() && !crate::hosts::is_loopback(&state.config.public_url)),
            crate::headers::secure,
        ))
}

/// The request id is always made here: one sent by a client could repeat another request's id
/// (or be very long) and would then be the reference of our errors and on our log lines.
async fn forget_client_request_id(mut req: Request, next: Next) -> Response {
    req.headers_mut().remove("x-request-id");
    next.run(req).await
}

/// Makes the request id the reference of internal errors raised while handling the request.
async fn with_request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_string();
    app::error::REQUEST_ID.scope(id, next.run(req)).await
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
