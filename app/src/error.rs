//! `AppError`: the one error type of the use cases and of every server function. Each variant
//! has its HTTP status (`status`), which every path applies: server functions and page renders
//! through `api::context::call`, axum routes through the server's `ApiError`. Internal causes
//! are logged on the server with the request id as reference and never sent to the browser.

use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Errors a page can show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request itself cannot be read (malformed arguments, wrong shape).
    #[error("The request could not be read: {0}")]
    BadRequest(String),
    #[error("Sign in to continue.")]
    Unauthenticated,
    #[error("You may not do this.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("Check the highlighted fields: {}", .0.summary())]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("Something went wrong on our side (reference {0}).")]
    Internal(String),
    /// This client made too many attempts of something limited; nothing was changed.
    #[error(
        "Too many attempts from your address; nothing was changed. Wait a minute and try again."
    )]
    TooManyAttempts,
    /// Too busy to answer in time; nothing was changed.
    #[error(
        "Strata is busy and could not answer in time; nothing was changed. Try again in a moment."
    )]
    Unavailable,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Validation(_) => 422,
            AppError::TooManyAttempts => 429,
            AppError::Internal(_) => 500,
            AppError::Unavailable => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments could not be decoded (not JSON or a form, or of the wrong shape or
            // types): the request is bad, not our failure.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                let err = AppError::BadRequest(msg);
                // This error is made by the framework before our code runs: set its status here.
                #[cfg(feature = "ssr")]
                crate::api::context::set_status(err.status());
                err
            }
            ServerFnErrorErr::Request(_) => {
                AppError::Internal("the server could not be reached".into())
            }
            #[cfg(feature = "ssr")]
            other => AppError::Internal(log_internal(other)),
            #[cfg(not(feature = "ssr"))]
            _ => AppError::Internal("request".into()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use crate::ports::StoreError;

    tokio::task_local! {
        /// The id of the request being handled, set by the server around every request.
        pub static REQUEST_ID: String;
    }

    /// The id of the current request: from the page's or server function's request, or the
    /// task-local the server sets; "unknown" outside a request.
    pub fn request_id() -> String {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(String::from)
            })
            .or_else(|| REQUEST_ID.try_with(Clone::clone).ok())
            .unwrap_or_else(|| "unknown".into())
    }

    /// Logs an internal failure once and returns the reference the person can quote: the
    /// request id, which is also on every log line of the request.
    pub fn log_internal(cause: impl std::fmt::Display) -> String {
        let reference = request_id();
        tracing::error!(reference = %reference, error = %cause, "internal error");
        reference
    }

    impl From<tower_sessions::session::Error> for AppError {
        /// The session store failed (the database is away): ours to fix.
        fn from(err: tower_sessions::session::Error) -> Self {
            AppError::Internal(log_internal(format!("session store: {err}")))
        }
    }

    impl From<StoreError> for AppError {
        /// What the person can be told about a store failure. Constraint names and database
        /// messages stay in the logs.
        fn from(err: StoreError) -> Self {
            match err {
                StoreError::NotFound => AppError::NotFound("The record".into()),
                StoreError::Conflict { .. } => AppError::Conflict(
                    "This conflicts with data saved in the meantime; reload and try again.".into(),
                ),
                StoreError::StaleRevision { .. } => AppError::Conflict(
                    "Someone else changed this record while you were editing; reload and try \
                     again."
                        .into(),
                ),
                StoreError::Busy => AppError::Unavailable,
                StoreError::UnstorableText => {
                    AppError::BadRequest("it holds characters that cannot be stored".into())
                }
                StoreError::Other(cause) => AppError::Internal(log_internal(cause)),
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{log_internal, request_id, REQUEST_ID};

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One of each variant; the match makes a new variant fail to compile until it is added.
    pub(crate) fn one_of_each() -> Vec<AppError> {
        let all = vec![
            AppError::BadRequest("x".into()),
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound("x".into()),
            AppError::Validation(FieldErrors::default()),
            AppError::Conflict("x".into()),
            AppError::TooManyAttempts,
            AppError::Internal("r".into()),
            AppError::Unavailable,
        ];
        for e in &all {
            match e {
                AppError::BadRequest(_)
                | AppError::Unauthenticated
                | AppError::Forbidden
                | AppError::NotFound(_)
                | AppError::Validation(_)
                | AppError::Conflict(_)
                | AppError::TooManyAttempts
                | AppError::Internal(_)
                | AppError::Unavailable => {}
            }
        }
        all
    }

    #[test]
    fn every_variant_has_its_own_status() {
        let statuses: Vec<u16> = one_of_each().iter().map(AppError::status).collect();
        assert_eq!(statuses, vec![400, 401, 403, 404, 422, 409, 429, 500, 503]);
    }
}
