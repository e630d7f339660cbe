//! Cross-origin protection for every state-changing request.

use crate::hosts::AllowedHosts;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses a state-changing request that a browser says comes from another site or origin.
/// Server functions are plain POST endpoints, so a cross-site form could otherwise call them.
pub async fn same_origin_only(
    State(ours): State<AllowedHosts>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !is_same_origin(&req, &ours) {
        return (StatusCode::FORBIDDEN, "Cross-origin request refused.").into_response();
    }
    next.run(req).await
}

fn is_same_origin(req: &Request, ours: &AllowedHosts) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return false;
        }
    }
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers send Origin on every POST; it must be one of ours. The Host header is not
        // consulted: a rebinding DNS name would make it say whatever the attacker wants.
        Some(origin) => ours.allows_origin(origin),
        // Non-browser clients (tests, scripts) send none; they cannot carry a victim's cookie.
        None => true,
    }
}
