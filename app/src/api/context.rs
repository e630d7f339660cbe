//! Server-side helpers for server functions: the store from context, HTTP status, and turning
//! store failures into `AppError` (logged once, with a reference the person can quote).

use crate::error::AppError;
use crate::ports::{SharedStore, StoreError};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The store provided by the server for this request.
pub fn store() -> Result<SharedStore, AppError> {
    use_context::<SharedStore>().ok_or_else(|| internal("no store in context"))
}

/// Sets the response status of the current request.
pub fn set_status(code: u16) {
    if let (Some(opts), Ok(code)) = (
        use_context::<ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        opts.set_status(code);
    }
}

/// Answers with `err`, setting its status.
pub fn fail<T>(err: AppError) -> Result<T, AppError> {
    set_status(err.status());
    Err(err)
}

/// Logs an internal failure and returns an error carrying only a reference.
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    let reference = format!("{:x}", chrono::Utc::now().timestamp_micros());
    tracing::error!(reference = %reference, error = %cause, "internal error");
    AppError::Internal(reference)
}

/// Maps a store failure to what the person can be told, and sets its status. Constraint names
/// and database messages stay in the logs.
pub fn from_store(err: StoreError) -> AppError {
    let app = match err {
        StoreError::NotFound => AppError::NotFound("The record".into()),
        StoreError::Conflict { constraint } => {
            tracing::info!(constraint = %constraint, "write refused by a constraint");
            AppError::Conflict(
                "This conflicts with data saved in the meantime; reload and try again.".into(),
            )
        }
        StoreError::StaleRevision { .. } => AppError::Conflict(
            "Someone else changed this workload while you were editing; reload and try again."
                .into(),
        ),
        StoreError::Other(cause) => internal(cause),
    };
    set_status(app.status());
    app
}

/// The name recorded as the author of changes until identity exists.
pub const ANONYMOUS_ACTOR: &str = "web (no sign-in yet)";

/// The request's session, for one-shot flashes.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| internal(format!("session: {e}")))
}
