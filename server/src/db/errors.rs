//! `DbError`: what store code returns. `From<sqlx::Error>` lets `?` do the mapping, and
//! constraint violations are typed by the *name* of the constraint on both backends. PostgreSQL
//! reports the name; SQLite reports an index name or the constrained columns, which are read
//! here and nowhere else.

use app::ports::{Constraint, StoreError};

/// A store failure inside the server.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflict on {constraint:?} ({name})")]
    Conflict {
        constraint: Constraint,
        name: String,
    },
    #[error("stale revision: the record is now at revision {current}")]
    StaleRevision { current: i64 },
    /// Stored data that this server cannot read: never replaced by a default.
    #[error("stored {what} cannot be read: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// No connection came free in time, or the work ran past its time limit.
    #[error("database busy: {0}")]
    Busy(&'static str),
    /// PostgreSQL's character_not_in_repertoire (22021: NUL in text) or
    /// untranslatable_character (22P05).
    #[error("text the database cannot hold")]
    UnstorableText,
    #[error("database: {0}")]
    Sqlx(sqlx::Error),
}

/// Result of store code.
pub type DbResult<T> = Result<T, DbError>;

impl DbError {
    /// Stored data that does not parse.
    pub fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        DbError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }
}

/// Constraint names as the migrations declare them, with the rule each enforces.
const NAMED: [(&str, Constraint); 3] = [
    (
        "workload_versions_current_name_key",
        Constraint::WorkloadName,
    ),
    ("teams_name_key", Constraint::TeamName),
    ("users_email_key", Constraint::UserEmail),
];

/// SQLite names the columns of a unique index over plain columns instead of the index:
/// the column lists of our unique indexes, with their index names.
const SQLITE_COLUMNS: [(&str, &str); 2] = [
    (
        "workload_versions.team_id, workload_versions.name_key",
        "workload_versions_current_name_key",
    ),
    ("users.email", "users_email_key"),
];

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        let sqlx::Error::Database(db) = &err else {
            return match err {
                sqlx::Error::RowNotFound => DbError::NotFound,
                sqlx::Error::PoolTimedOut => DbError::Busy("no connection came free in time"),
                other => DbError::Sqlx(other),
            };
        };
        // SQLITE_INTERRUPT (our progress handler) and PostgreSQL's query_canceled
        // (statement_timeout): the work ran past its limit. SQLITE_BUSY (5, and 517 for a
        // snapshot): the write lock did not come free within the busy timeout.
        match db.code().as_deref() {
            Some("9") | Some("57014") => return DbError::Busy("the work ran past its time limit"),
            Some("5") | Some("517") => return DbError::Busy("the database stayed locked"),
            Some("22021") | Some("22P05") => return DbError::UnstorableText,
            _ => {}
        }
        if db.is_foreign_key_violation() {
            let name = db.constraint().unwrap_or("foreign key").to_string();
            return DbError::Conflict {
                constraint: Constraint::Reference,
                name,
            };
        }
        if !db.is_unique_violation() {
            return DbError::Sqlx(err);
        }
        let name = match db.constraint() {
            Some(name) => name.to_string(),
            None => sqlite_constraint_name(db.message()),
        };
        let constraint = NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Constraint::Other, |(_, c)| *c);
        DbError::Conflict { constraint, name }
    }
}

/// The constraint named by SQLite's message: `UNIQUE constraint failed: index 'NAME'` for an
/// index over expressions, `UNIQUE constraint failed: t.a, t.b` for one over columns.
fn sqlite_constraint_name(message: &str) -> String {
    let detail = message
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(message);
    if let Some(index) = detail
        .strip_prefix("index '")
        .and_then(|s| s.strip_suffix('\''))
    {
        return index.to_string();
    }
    SQLITE_COLUMNS
        .iter()
        .find(|(columns, _)| *columns == detail)
        .map_or_else(|| detail.to_string(), |(_, name)| name.to_string())
}

impl From<DbError> for StoreError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => StoreError::NotFound,
            DbError::Conflict { constraint, name } => {
                tracing::debug!(constraint = %name, "write refused by a constraint");
                StoreError::Conflict { constraint }
            }
            DbError::StaleRevision { current } => StoreError::StaleRevision { current },
            DbError::UnstorableText => {
                tracing::warn!("a text value the database cannot hold reached the store");
                StoreError::UnstorableText
            }
            DbError::Busy(why) => {
                tracing::warn!(why, "database busy");
                StoreError::Busy
            }
            other => StoreError::Other(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_constraint_name;

    #[test]
    fn sqlite_messages_name_the_index() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: index 'teams_name_key'"),
            "teams_name_key"
        );
        assert_eq!(
            sqlite_constraint_name(
                "UNIQUE constraint failed: workload_versions.team_id, workload_versions.name_key"
            ),
            "workload_versions_current_name_key"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: users.email"),
            "users_email_key"
        );
    }
}
