//! Cross-origin protection for every state-changing request, and the response headers every
//! page carries.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origin people reach the app at, e.g. `http://127.0.0.1:3000`.
#[derive(Clone)]
pub struct TrustedOrigin(pub Arc<str>);

/// Refuses a state-changing request that a browser says comes from another site or origin.
/// Server functions are plain POST endpoints, so a cross-site form could otherwise call them.
pub async fn same_origin_only(
    State(origin): State<TrustedOrigin>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !is_same_origin(&req, &origin.0) {
        return (StatusCode::FORBIDDEN, "Cross-origin request refused.").into_response();
    }
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Forms without JavaScript are sent back through the Referer, so keep it same-origin.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

fn is_same_origin(req: &Request, trusted: &str) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return false;
        }
    }
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers send Origin on every POST; it must be ours (or our own listening address).
        Some(origin) => origin == trusted || host_matches(req, origin),
        // Non-browser clients (tests, scripts) send none; they cannot carry a victim's cookie.
        None => true,
    }
}

/// True when `origin` names the host the request was sent to (direct access on another port
/// or address than the public URL, e.g. in tests).
fn host_matches(req: &Request, origin: &str) -> bool {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    match (host, origin.split_once("://")) {
        (Some(host), Some(("http", rest))) => rest == host,
        _ => false,
    }
}
