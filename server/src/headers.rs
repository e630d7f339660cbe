//! The security headers of every response — pages, server functions, errors and refusals from
//! any layer, static files and SVG — set in one place, the outermost layer, so that no answer
//! (a 403 from the origin check, a 413 from the body limit, a 503 from the time limit) goes
//! out without them. A header a handler set itself (the pages' nonce CSP) is kept.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

/// SVG is opened as a document of its own (a chart URL in a tab): it may style itself and
/// nothing else, scripts included.
const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// A year, for this host only: other hosts of the same domain may not all speak https.
const HSTS: &str = "max-age=31536000";

/// Whether the server is reached over https at a name other than loopback (HSTS on `localhost`
/// would hold every other local server on that name to https too).
#[derive(Clone, Copy)]
pub struct Https(pub bool);

fn media_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
}

fn keep_or_set(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// Adds the headers to `res`.
pub async fn secure(State(https): State<Https>, mut res: Response) -> Response {
    let h = res.headers_mut();
    keep_or_set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Forms without JavaScript are sent back through the Referer, so keep it same-origin.
    keep_or_set(h, header::REFERRER_POLICY, "same-origin");
    keep_or_set(h, header::X_FRAME_OPTIONS, "DENY");
    match media_type(h) {
        "image/svg+xml" => keep_or_set(h, header::CONTENT_SECURITY_POLICY, SVG_POLICY),
        // Pages will show personal data: no cache, shared or private, keeps them.
        "text/html" => keep_or_set(h, header::CACHE_CONTROL, "no-store"),
        _ => {}
    }
    if https.0 {
        keep_or_set(h, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    res
}
