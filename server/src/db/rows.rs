//! Row structs as the database returns them, and their conversion to domain types. Rows never
//! leave the server.

use app::domain::workload::{ChangeKind, Workload, WorkloadDraft};
use app::domain::{Phase, TeamId, UserId, WorkloadId};
use app::dto::{Team, User};
use app::ports::StoreError;
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
    pub name: String,
    pub description: String,
    pub team_id: String,
    pub phase: String,
    pub primary_owner: String,
    pub other_owners: String,
    pub attributes: String,
    pub model_refs: String,
    pub dataset_refs: String,
    pub tags: String,
    pub is_demo: i64,
}

/// The select list matching `VersionRow`, for `workload_versions v join workloads w`.
pub const VERSION_COLUMNS: &str = "v.workload_id, v.revision, v.valid_from, v.valid_to, \
    v.changed_by, v.change_kind, v.name, v.description, v.team_id, v.phase, v.primary_owner, \
    v.other_owners, v.attributes, v.model_refs, v.dataset_refs, v.tags, w.is_demo";

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("stored {what} cannot be read: {detail}"))
}

/// Microseconds since the epoch to an instant.
pub fn instant(micros: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| corrupt("instant", micros))
}

fn json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

/// Serializes a value stored as JSON text.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))
}

impl TryFrom<VersionRow> for Workload {
    type Error = StoreError;

    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        let other: Vec<String> = json("owners", &r.other_owners)?;
        Ok(Workload {
            id: WorkloadId(r.workload_id),
            revision: r.revision,
            phase: Phase::from_code(&r.phase).ok_or_else(|| corrupt("phase", &r.phase))?,
            draft: WorkloadDraft {
                name: r.name,
                description: r.description,
                team_id: TeamId(r.team_id),
                primary_owner: UserId(r.primary_owner),
                other_owners: other.into_iter().map(UserId).collect(),
                attributes: json("attributes", &r.attributes)?,
                model_refs: json("model references", &r.model_refs)?,
                dataset_refs: json("dataset references", &r.dataset_refs)?,
                tags: json("tags", &r.tags)?,
            },
            valid_from: instant(r.valid_from)?,
            valid_to: r.valid_to.map(instant).transpose()?,
            changed_by: r.changed_by,
            change: ChangeKind::from_code(&r.change_kind)
                .ok_or_else(|| corrupt("change kind", &r.change_kind))?,
            is_demo: r.is_demo != 0,
        })
    }
}

/// A team row.
#[derive(sqlx::FromRow)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub is_demo: i64,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: TeamId(r.id),
            name: r.name,
            is_demo: r.is_demo != 0,
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

/// `$start, $start+1, …` for `n` values, for `in (…)` lists.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
