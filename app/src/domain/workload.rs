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
    /// Why, when the person had to say (a promotion with open requirements).
    pub change_note: Option<String>,
    pub is_demo: bool,
}

impl WorkloadDraft {
    /// The names of the fields that differ from `earlier`, as a person reads them.
    pub fn changed_since(&self, earlier: &WorkloadDraft) -> Vec<&'static str> {
        let a = &self.attributes;
        let b = &earlier.attributes;
        let checks: [(&'static str, bool); 9] = [
            ("name", self.name != earlier.name),
            ("purpose", self.description != earlier.description),
            ("team", self.team_id != earlier.team_id),
            ("primary owner", self.primary_owner != earlier.primary_owner),
            ("other owners", self.other_owners != earlier.other_owners),
            ("attributes", a != b),
            ("model", self.model_refs != earlier.model_refs),
            ("dataset", self.dataset_refs != earlier.dataset_refs),
            ("tags", self.tags != earlier.tags),
        ];
        checks
            .iter()
            .filter(|(_, changed)| *changed)
            .map(|(n, _)| *n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attributes::AiType;

    #[test]
    fn changed_fields_are_named() {
        let d = WorkloadDraft {
            name: "Bot".into(),
            description: "d".into(),
            team_id: TeamId("t".into()),
            primary_owner: UserId("u".into()),
            other_owners: vec![],
            attributes: Attributes::default(),
            model_refs: vec![],
            dataset_refs: vec![],
            tags: vec![],
        };
        assert!(d.changed_since(&d).is_empty());
        let mut e = d.clone();
        e.description = "other".into();
        e.attributes.ai_type = AiType::Predictive;
        e.tags = vec!["x".into()];
        assert_eq!(e.changed_since(&d), vec!["purpose", "attributes", "tags"]);
    }
}
