//! The time limit of page renders and server functions: past it the request is answered 503
//! ("busy, nothing was changed") as an HTML page or as the encoded error, and its future is
//! dropped; its database work is bounded separately (`db/limits.rs`), so a dropped request
//! cannot keep a connection busy either. Routes that legitimately run long (uploads, exports,
//! chain verification) are mounted outside this layer with their own limit, or run as jobs.

use crate::http_error::{back_link, error_response, wants_html};
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;

/// The configured limit (`STRATA_REQUEST_TIMEOUT_MS`).
#[derive(Clone, Copy)]
pub struct RequestTimeout(pub Duration);

/// When a request's time is up, set by the first layer that spends any of it (reading a server
/// function's body, `body_limit.rs`), so that reading and handling share one limit.
#[derive(Clone, Copy, Debug)]
pub struct Deadline(pub tokio::time::Instant);

impl RequestTimeout {
    /// The request's deadline: the one already set on it, or the limit from now.
    pub fn deadline(self, req: &Request) -> tokio::time::Instant {
        req.extensions()
            .get::<Deadline>()
            .map_or_else(|| tokio::time::Instant::now() + self.0, |d| d.0)
    }
}

/// Answers 503 when the rest of the stack takes longer than the limit.
pub async fn limit(State(limit): State<RequestTimeout>, req: Request, next: Next) -> Response {
    let wants_html = wants_html(req.headers());
    let path = req.uri().path().to_string();
    let back = back_link(req.headers());
    let deadline = limit.deadline(&req);
    match tokio::time::timeout_at(deadline, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(
                path,
                limit_ms = limit.0.as_millis() as u64,
                "request ran past its time limit"
            );
            error_response(&AppError::Unavailable, wants_html, &back)
        }
    }
}
