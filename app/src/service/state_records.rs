//! Stored records as the state rules (design §3.2) read them: one conversion, used by the
//! store when it writes the stored form of states and by the "as of" view that recomputes a
//! past day from the records.

use crate::domain::attestation::{ArtifactClaim, ArtifactKind};
use crate::domain::requirement_state::{ArtifactPeriod, EvidenceStanding, Submission};
use crate::domain::workload::Workload;
use crate::ports::AttestationRecord;

/// A stored attestation as the rules read it.
pub fn submission(a: &AttestationRecord) -> Submission {
    Submission {
        id: a.id.clone(),
        status: a.status,
        submitted_at: a.submitted_at,
        effective: a.effective,
        expiry: a.expiry,
        artifact: a.artifact.clone(),
        evidence: a.evidence.iter().map(|e| e.id.clone()).collect(),
        decision: a.decision.clone(),
    }
}

/// The standing of every evidence item the attestations cite, each once.
pub fn evidence(attestations: &[&AttestationRecord]) -> Vec<EvidenceStanding> {
    let mut out: Vec<EvidenceStanding> = attestations
        .iter()
        .flat_map(|a| a.evidence.iter())
        .map(|e| EvidenceStanding {
            id: e.id.clone(),
            withdrawn_at: e.withdrawn_at,
            expires_at: e.expires_at,
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The workload's model and dataset references over its versions: each reference of a version
/// holds from the version's start until its end.
pub fn artifact_periods(versions: &[Workload]) -> Vec<ArtifactPeriod> {
    let mut out = Vec::new();
    for v in versions {
        let kinds = [
            (ArtifactKind::Model, &v.draft.model_refs),
            (ArtifactKind::Dataset, &v.draft.dataset_refs),
        ];
        for (kind, refs) in kinds {
            out.extend(refs.iter().map(|r| ArtifactPeriod {
                artifact: ArtifactClaim {
                    kind,
                    name: r.name.clone(),
                    version: r.version.clone(),
                    digest: r.digest.clone(),
                },
                from: v.valid_from,
                until: v.valid_to,
            }));
        }
    }
    out
}
