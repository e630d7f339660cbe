//! A workload: one AI system, its team, owners, phase, attributes, references and tags.

use super::{Attributes, Phase, TeamId, UserId, WorkloadId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A model or dataset the workload uses, pinned by version and optionally by digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRef {
    pub name: String,
    pub version: String,
    pub digest: String,
}

/// Everything a person sets on a workload (the phase is changed by its own action).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadDraft {
    pub name: String,
    pub description: String,
    pub team_id: TeamId,
    pub primary_owner: UserId,
    pub other_owners: Vec<UserId>,
    pub attributes: Attributes,
    pub model_refs: Vec<ArtifactRef>,
    pub dataset_refs: Vec<ArtifactRef>,
    pub tags: Vec<String>,
}

/// Why a version of a workload was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Edited,
    Promoted,
    Demoted,
}

impl ChangeKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Edited => "edited",
            ChangeKind::Promoted => "promoted",
            ChangeKind::Demoted => "demoted",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Created, Self::Edited, Self::Promoted, Self::Demoted]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One version of a workload: its content during [valid_from, valid_to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    pub id: WorkloadId,
    /// Increases by one with every change; forms send it back to detect concurrent edits.
    pub revision: i64,
    pub phase: Phase,
    pub draft: WorkloadDraft,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub changed_by: String,
    pub change: ChangeKind,
    pub is_demo: bool,
}
