//! Server functions (forms and their JSON arguments, `/api/<name>`) get a small body limit of
//! their own, far below the server-wide one: a refused form is kept in the session, and nothing
//! a person can type in our forms comes near it. Past it the answer is 413 with a message that
//! says so — a page for a browser without JavaScript, else the encoded error. Other routes keep
//! the server-wide limit (`router.rs`); `/api/v1/…` is not a server function.

use crate::http_error::{back_link, error_response, wants_html};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;

/// Largest body of a server function call. The largest form our checks accept is about 76 KB
/// URL-encoded when every field is full of 4-byte characters (each written as 12 bytes,
/// `%XX%XX%XX%XX`); 128 KB leaves room.
pub const FORM_BODY_LIMIT: usize = 128 * 1024;

/// Most of a refused body that is still read (and dropped) before answering, so that the
/// client, still sending, reads our answer instead of a reset connection.
const DRAIN_LIMIT: usize = 2 * 1024 * 1024;

/// How long reading a server function's body may take.
#[derive(Clone, Copy)]
pub struct ReadTimeout(pub Duration);

/// True for a server function's endpoint: `/api/<name>`, one segment.
fn is_server_function(path: &str) -> bool {
    path.strip_prefix("/api/")
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Holds a server function call's body to `FORM_BODY_LIMIT`, whether it says its length up
/// front (`Content-Length`) or not; other routes pass through.
pub async fn small_forms(State(timeout): State<ReadTimeout>, req: Request, next: Next) -> Response {
    if !is_server_function(req.uri().path()) {
        return next.run(req).await;
    }
    let html = wants_html(req.headers());
    let back = back_link(req.headers());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (parts, body) = req.into_parts();
    if declared.is_some_and(|n| n > FORM_BODY_LIMIT as u64) {
        if declared.is_some_and(|n| n <= DRAIN_LIMIT as u64) {
            let _ = tokio::time::timeout(timeout.0, axum::body::to_bytes(body, DRAIN_LIMIT)).await;
        }
        return too_large(html, &back);
    }
    match tokio::time::timeout(timeout.0, axum::body::to_bytes(body, FORM_BODY_LIMIT)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        // Past the limit while reading (no length was declared), or a broken or stalled
        // upload: either way, nothing of it is used.
        Ok(Err(_)) => too_large(html, &back),
        Err(_) => {
            let err = AppError::BadRequest("the request body did not arrive in time".into());
            let mut res = error_response(&err, html, &back);
            *res.status_mut() = StatusCode::REQUEST_TIMEOUT;
            close(res)
        }
    }
}

fn too_large(html: bool, back: &str) -> Response {
    let err = AppError::BadRequest(format!(
        "it is larger than {} KB, more than any of our forms holds; nothing was saved",
        FORM_BODY_LIMIT / 1024
    ));
    let mut res = error_response(&err, html, back);
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    close(res)
}

/// The rest of the body may be unread: the connection cannot carry another request, and the
/// client must not try to reuse it.
fn close(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::is_server_function;

    #[test]
    fn only_server_function_endpoints_get_the_form_limit() {
        assert!(is_server_function("/api/create_workload"));
        for other in ["/api/", "/api/v1/workloads", "/workloads", "/apix/create"] {
            assert!(!is_server_function(other), "{other}");
        }
    }
}
