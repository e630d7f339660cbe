//! Server functions (forms and their JSON arguments) get a small body limit of their own, far
//! below the server-wide one: a refused form is kept in the session, and nothing a person can
//! type in our forms comes near it. Past it the answer is 413 with a message that says so.

use crate::http_error::{back_link, error_response, wants_html};
use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Largest body of a server function call. The largest valid workload form is about 40 KB
/// URL-encoded (a 2,000-character description of 3-byte characters, each written `%XX%XX%XX`,
/// and every other field full); 64 KB leaves room.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// Answers 413 for a server function call whose body is larger than `FORM_BODY_LIMIT`, whether
/// it says so up front (`Content-Length`) or only while being read.
pub async fn small_forms(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let html = wants_html(req.headers());
    let back = back_link(req.headers());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > FORM_BODY_LIMIT as u64) {
        return too_large(html, &back);
    }
    // Read here, within the limit, so that a body without a length is held to it too.
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, FORM_BODY_LIMIT).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => too_large(html, &back),
    }
}

fn too_large(html: bool, back: &str) -> Response {
    let err = AppError::BadRequest(format!(
        "it is larger than {} KB, more than any of our forms holds; nothing was saved",
        FORM_BODY_LIMIT / 1024
    ));
    let mut res = error_response(&err, html, back);
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    // The rest of the body is not read: the connection cannot carry another request, and the
    // client must not try to reuse it.
    res.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    res
}
