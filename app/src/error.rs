//! `AppError`: the one error type of every server function. Each variant maps to an HTTP status;
//! internal causes are logged on the server with a reference and never sent to the browser.

use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Errors a page can show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
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
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Internal(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request itself was malformed: name it as bad input, not as our failure.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                let mut e = FieldErrors::default();
                e.add("request", format!("The request could not be read: {msg}"));
                let err = AppError::Validation(e);
                // Bad input is never answered as a server failure.
                #[cfg(feature = "ssr")]
                crate::api::context::set_status(err.status());
                err
            }
            ServerFnErrorErr::Request(_) => {
                AppError::Internal("the server could not be reached".into())
            }
            _ => AppError::Internal("request".into()),
        }
    }
}
