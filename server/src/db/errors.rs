//! Maps sqlx errors to `StoreError`, by constraint, keeping internals out of messages.

use app::ports::StoreError;

/// Turns a database error into what a caller can act on.
pub fn map_err(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
            // PostgreSQL names the constraint; SQLite puts the index or columns in the message.
            let constraint = db
                .constraint()
                .map(String::from)
                .unwrap_or_else(|| db.message().to_string());
            StoreError::Conflict { constraint }
        }
        _ => StoreError::Other(err.to_string()),
    }
}
