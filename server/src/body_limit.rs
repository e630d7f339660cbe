//! Server functions (forms and their JSON arguments, `/api/<name>`) get a small body limit of
//! their own, far below the server-wide one: a refused form is kept in the session, and nothing
//! a person can type in our forms comes near it. Past it the answer is 413 with a message that
//! says so — a page for a browser without JavaScript, else the encoded error. Other routes keep
//! the server-wide limit (`router.rs`); `/api/v1/…` is not a server function.

use crate::http_error::{back_link, error_page, wants_html};
use crate::time_limit::{Deadline, RequestTimeout};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// Largest body of a server function call. The largest form our checks accept is about 76 KB
/// URL-encoded when every field is full of 4-byte characters (each written as 12 bytes,
/// `%XX%XX%XX%XX`); 128 KB leaves room.
pub const FORM_BODY_LIMIT: usize = 128 * 1024;

/// Most of a refused body that is still read, and dropped as it arrives, before answering, so
/// that a client still sending reads our answer instead of a reset connection.
const DRAIN_LIMIT: u64 = 2 * 1024 * 1024;

/// True for a server function's endpoint: `/api/<name>`, one segment.
fn is_server_function(path: &str) -> bool {
    path.strip_prefix("/api/")
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Holds a server function call's body to `FORM_BODY_LIMIT`, whether it says its length up
/// front (`Content-Length`) or not; other routes pass through. Reading counts against the
/// request's time limit: the deadline set here is the one `time_limit` keeps.
pub async fn small_forms(
    State(timeout): State<RequestTimeout>,
    mut req: Request,
    next: Next,
) -> Response {
    if !is_server_function(req.uri().path()) {
        return next.run(req).await;
    }
    let deadline = timeout.deadline(&req);
    req.extensions_mut().insert(Deadline(deadline));
    let html = wants_html(req.headers());
    let back = back_link(req.headers());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (parts, body) = req.into_parts();
    if declared.is_some_and(|n| n > FORM_BODY_LIMIT as u64) {
        // A client that waits for `100 Continue` has sent nothing yet: nothing to drain.
        if declared.is_some_and(|n| n <= DRAIN_LIMIT) && !expects_continue(&parts.headers) {
            let _ = tokio::time::timeout_at(deadline, drain(body)).await;
        }
        return too_large(html, &back);
    }
    match tokio::time::timeout_at(deadline, read_within_limit(body)).await {
        Ok(Read::Whole(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Read::TooLarge) => too_large(html, &back),
        Ok(Read::Broken) => refused(
            StatusCode::BAD_REQUEST,
            "the request body could not be read",
            html,
            &back,
        ),
        Err(_) => refused(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time",
            html,
            &back,
        ),
    }
}

/// What reading a server function's body came to.
enum Read {
    Whole(Vec<u8>),
    /// Past the limit; the rest was read and dropped (up to `DRAIN_LIMIT` in all).
    TooLarge,
    /// The upload broke off or was malformed.
    Broken,
}

/// Reads frame by frame, keeping at most `FORM_BODY_LIMIT` bytes; past it, goes on reading and
/// dropping up to `DRAIN_LIMIT`, so that a client that sent no length also reads our answer.
async fn read_within_limit(mut body: Body) -> Read {
    let mut kept = Vec::new();
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Read::Broken;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len() as u64;
        if seen > DRAIN_LIMIT {
            return Read::TooLarge;
        }
        if seen <= FORM_BODY_LIMIT as u64 {
            kept.extend_from_slice(&data);
        }
    }
    if seen > FORM_BODY_LIMIT as u64 {
        Read::TooLarge
    } else {
        Read::Whole(kept)
    }
}

fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

/// Reads and drops a body frame by frame, keeping nothing.
async fn drain(mut body: Body) {
    while let Some(Ok(_)) = body.frame().await {}
}

fn too_large(html: bool, back: &str) -> Response {
    let why = format!(
        "it is larger than {} KB, more than any of our forms holds; nothing was saved",
        FORM_BODY_LIMIT / 1024
    );
    refused(StatusCode::PAYLOAD_TOO_LARGE, &why, html, back)
}

/// A refusal with `status`: the HTML page, or the encoded `BadRequest` a server function's
/// caller decodes. The rest of the body may be unread, so the connection is closed after it and
/// the client must not reuse it.
pub fn refused(status: StatusCode, why: &str, html: bool, back: &str) -> Response {
    let err = AppError::BadRequest(why.to_string());
    let mut res = if html {
        error_page(status, &err.to_string(), back)
    } else {
        let body = serde_json::to_string(&err).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    res.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    res
}

/// A request body that its reader may give up on midway (a form refused at its first bad
/// part), and that can then be read to its end and dropped, so that a client still sending
/// reads our answer instead of a reset connection.
#[derive(Clone)]
pub struct Resumable(std::sync::Arc<tokio::sync::Mutex<Body>>);

impl Resumable {
    /// The body to hand to its reader, and the handle that drains what it leaves.
    pub fn new(body: Body) -> (Body, Resumable) {
        let shared = Resumable(std::sync::Arc::new(tokio::sync::Mutex::new(body)));
        let stream = futures_util::stream::unfold(shared.clone(), |r| async move {
            let next = {
                let mut body = r.0.lock().await;
                loop {
                    match body.frame().await {
                        None => break None,
                        Some(Err(e)) => break Some(Err(e)),
                        Some(Ok(frame)) => {
                            if let Ok(data) = frame.into_data() {
                                break Some(Ok(data));
                            }
                        }
                    }
                }
            };
            next.map(|n| (n, r))
        });
        (Body::from_stream(stream), shared)
    }

    /// Reads what is left and drops it: up to `DRAIN_LIMIT` bytes, until `deadline`.
    pub async fn drain(self, deadline: tokio::time::Instant) {
        let mut body = self.0.lock().await;
        let mut seen: u64 = 0;
        let rest = async {
            while let Some(Ok(frame)) = body.frame().await {
                seen += frame.data_ref().map_or(0, |d| d.len() as u64);
                if seen > DRAIN_LIMIT {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout_at(deadline, rest).await;
    }
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
