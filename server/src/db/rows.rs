//! Row structs as the database returns them, and their conversion to domain types. Rows never
//! leave the server; data that does not parse is an error, never a default.

use super::errors::{DbError, DbResult};
use super::requirements::parse_phase;
use app::domain::workload::{ChangeKind, Workload, WorkloadDraft};
use app::domain::{TeamId, UserId, WorkloadId};
use app::dto::{Team, User};
use chrono::{DateTime, Utc};

/// Columns selected for a workload version (keep in step with `VERSION_COLUMNS`).
#[derive(sqlx::FromRow)]
pub struct VersionRow {
    pub workload_id: String,
    pub revision: i64,
    pub valid_from: i64,
    pub valid_to: Option<i64>,
    pub changed_by: String,
    pub change_kind: String,
    pub change_note: Option<String>,
    pub name: String,
    pub description: String,
    pub team_id: String,
    pub phase: String,
    pub primary_owner: String,
    pub attributes: String,
    pub model_refs: String,
    pub dataset_refs: String,
    pub is_demo: i64,
}

/// The select list matching `VersionRow`, for `workload_versions v join workloads w`.
pub const VERSION_COLUMNS: &str = "v.workload_id, v.revision, v.valid_from, v.valid_to, \
    v.changed_by, v.change_kind, v.change_note, v.name, v.description, v.team_id, v.phase, v.primary_owner, \
    v.attributes, v.model_refs, v.dataset_refs, w.is_demo";

/// Microseconds since the epoch to an instant.
pub fn instant(micros: i64) -> DbResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| DbError::corrupt("instant", micros))
}

fn json<T: serde::de::DeserializeOwned>(what: &'static str, text: &str) -> DbResult<T> {
    serde_json::from_str(text).map_err(|e| DbError::corrupt(what, e))
}

/// Serializes a value stored as JSON text.
pub fn to_json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    serde_json::to_string(value).map_err(|e| DbError::corrupt("value to store", e))
}

/// A count as stored (never negative) to the count people see.
pub fn count(n: i64) -> DbResult<u64> {
    u64::try_from(n).map_err(|e| DbError::corrupt("count", e))
}

impl VersionRow {
    /// The version with its owners (primary first, as stored) and tags.
    pub fn into_workload(self, owners: Vec<UserId>, tags: Vec<String>) -> DbResult<Workload> {
        let primary = UserId(self.primary_owner);
        if owners.first() != Some(&primary) {
            return Err(DbError::corrupt(
                "owners",
                format!("{} has no primary", self.workload_id),
            ));
        }
        Ok(Workload {
            id: WorkloadId(self.workload_id),
            revision: self.revision,
            phase: parse_phase(&self.phase)?,
            draft: WorkloadDraft {
                name: self.name,
                description: self.description,
                team_id: TeamId(self.team_id),
                primary_owner: primary,
                other_owners: owners.into_iter().skip(1).collect(),
                attributes: json("attributes", &self.attributes)?,
                model_refs: json("model references", &self.model_refs)?,
                dataset_refs: json("dataset references", &self.dataset_refs)?,
                tags,
            },
            valid_from: instant(self.valid_from)?,
            valid_to: self.valid_to.map(instant).transpose()?,
            changed_by: self.changed_by,
            change: ChangeKind::from_code(&self.change_kind)
                .ok_or_else(|| DbError::corrupt("change kind", &self.change_kind))?,
            change_note: self.change_note,
            is_demo: self.is_demo != 0,
        })
    }
}

/// A team row.
#[derive(sqlx::FromRow)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub is_demo: i64,
    pub archived_at: Option<i64>,
}

/// The select list matching `TeamRow`.
pub const TEAM_COLUMNS: &str = "id, name, is_demo, archived_at";

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: TeamId(r.id),
            name: r.name,
            is_demo: r.is_demo != 0,
            archived: r.archived_at.is_some(),
        }
    }
}

/// A user row.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_demo: i64,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: UserId(r.id),
            name: r.name,
            email: r.email,
            is_demo: r.is_demo != 0,
        }
    }
}
