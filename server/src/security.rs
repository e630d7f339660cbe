//! Cross-origin protection for every state-changing request.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origins people reach the app at, e.g. `http://127.0.0.1:3000`.
#[derive(Clone)]
pub struct TrustedOrigin(pub Arc<[String]>);

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
    next.run(req).await
}

fn is_same_origin(req: &Request, trusted: &[String]) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return false;
        }
    }
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers send Origin on every POST; it must be one of ours. The Host header is not
        // consulted: a rebinding DNS name would make it say whatever the attacker wants.
        Some(origin) => trusted.iter().any(|t| t == origin),
        // Non-browser clients (tests, scripts) send none; they cannot carry a victim's cookie.
        None => true,
    }
}

/// The origins forms may come from: the public URL's, and on loopback its alias (people type
/// `localhost` as often as `127.0.0.1`).
pub fn trusted_origins(public_url: &str) -> Vec<String> {
    let origin = match public_url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => public_url.to_string(),
    };
    let mut out = vec![origin.clone()];
    for (a, b) in [
        ("://127.0.0.1", "://localhost"),
        ("://localhost", "://127.0.0.1"),
    ] {
        if origin.contains(a) {
            out.push(origin.replacen(a, b, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::trusted_origins;

    #[test]
    fn loopback_has_both_names_and_paths_are_dropped() {
        assert_eq!(
            trusted_origins("http://127.0.0.1:3000"),
            vec!["http://127.0.0.1:3000", "http://localhost:3000"]
        );
        assert_eq!(
            trusted_origins("https://strata.example.org/base"),
            vec!["https://strata.example.org"]
        );
    }
}
