//! Attestations (design §2): a person's claim about one requirement, its review, and the rules
//! of its dates — the default expiry follows the control's re-attestation cadence for the
//! workload's phase, and a person may shorten it or extend it to at most twice the cadence.

use super::Phase;
use crate::coded_enum;
use chrono::{DateTime, TimeDelta, Utc};

coded_enum!(
    /// What the attestation claims.
    AttestationStatus {
        Implemented => ("implemented", "Implemented"),
        PartiallyImplemented => ("partially_implemented", "Partially implemented"),
        NotImplemented => ("not_implemented", "Not implemented"),
        NotApplicable => ("not_applicable", "Not applicable"),
        Inherited => ("inherited", "Inherited"),
    }
);

coded_enum!(
    /// Which of the workload's references an attestation speaks about.
    ArtifactKind {
        Model => ("model", "Model"),
        Dataset => ("dataset", "Dataset"),
    }
);

/// The artifact an attestation names: one of the workload's model or dataset references, as it
/// was when the claim was made.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArtifactClaim {
    pub kind: ArtifactKind,
    pub name: String,
    pub version: String,
    pub digest: String,
}

impl ArtifactClaim {
    /// `name version` (and the digest's start), as people compare them.
    pub fn label(&self) -> String {
        let digest: String = self.digest.chars().take(12).collect();
        match (self.version.is_empty(), digest.is_empty()) {
            (false, false) => format!("{} {} ({digest})", self.name, self.version),
            (false, true) => format!("{} {}", self.name, self.version),
            (true, false) => format!("{} ({digest})", self.name),
            (true, true) => self.name.clone(),
        }
    }

    /// Whether `other` is the same artifact at the same version and digest.
    pub fn same_as(&self, other: &ArtifactClaim) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.version == other.version
            && self.digest == other.digest
    }
}

/// The review of a submission: approved, or rejected with the reviewer's comment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub approved: bool,
    pub at: DateTime<Utc>,
    /// Required for a rejection.
    pub comment: String,
}

/// Whether a control can be attested on a workload at `phase` (design §3.4): it applies, and
/// the current or the next phase requires it (attesting ahead prepares a promotion).
pub fn attestable(phase: Phase, applicable: bool, effective_min_phase: Phase) -> bool {
    applicable && effective_min_phase <= phase.next().unwrap_or(phase)
}

/// Longest statement, justification or comment.
pub const TEXT_MAX: usize = 4_000;

/// The expiry a new attestation gets unless the person changes it: its effective date plus
/// the control's cadence for the workload's phase.
pub fn default_expiry(effective: DateTime<Utc>, cadence_days: u32) -> DateTime<Utc> {
    effective + TimeDelta::days(i64::from(cadence_days))
}

/// Why an expiry is refused, if it is: not after the effective date, or later than twice the
/// cadence.
pub fn expiry_problem(
    effective: DateTime<Utc>,
    expiry: DateTime<Utc>,
    cadence_days: u32,
) -> Option<String> {
    if expiry <= effective {
        return Some("The expiry must be after the effective date.".into());
    }
    let longest = effective + TimeDelta::days(2 * i64::from(cadence_days));
    (expiry > longest).then(|| {
        format!(
            "The expiry may be at most {} days after the effective date (twice the control's \
             re-attestation cadence of {cadence_days} days).",
            2 * cadence_days
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339(&format!("{d}T00:00:00Z"))
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_default_expiry_is_the_cadence_and_at_most_twice_it_is_allowed() {
        let from = day("2026-01-01");
        assert_eq!(default_expiry(from, 90), day("2026-04-01"));
        assert_eq!(expiry_problem(from, day("2026-02-01"), 90), None, "shorter");
        assert_eq!(
            expiry_problem(from, day("2026-06-30"), 90),
            None,
            "180 days"
        );
        let long = expiry_problem(from, day("2026-07-01"), 90).expect("too long");
        assert!(long.contains("180 days"), "{long}");
        assert!(expiry_problem(from, from, 90).is_some(), "not after");
        assert!(
            expiry_problem(from, day("2025-12-31"), 90).is_some(),
            "before"
        );
    }

    #[test]
    fn the_current_and_the_next_phase_can_be_attested_never_a_control_that_does_not_apply() {
        use Phase::{Production, Prototype, Scale};
        assert!(attestable(Prototype, true, Prototype));
        assert!(
            attestable(Prototype, true, Production),
            "ahead, for the promotion"
        );
        assert!(!attestable(Prototype, true, Scale), "two phases ahead");
        assert!(attestable(Scale, true, Scale), "the last phase has no next");
        assert!(attestable(Scale, true, Prototype));
        assert!(!attestable(Production, false, Prototype), "does not apply");
    }

    #[test]
    fn an_artifact_is_the_same_only_at_the_same_version_and_digest() {
        let a = ArtifactClaim {
            kind: ArtifactKind::Model,
            name: "scorer".into(),
            version: "1.2".into(),
            digest: "sha256:abcdef0123456789".into(),
        };
        assert!(a.same_as(&a.clone()));
        let b = ArtifactClaim {
            version: "1.3".into(),
            ..a.clone()
        };
        assert!(!a.same_as(&b));
        assert_eq!(a.label(), "scorer 1.2 (sha256:abcde)");
    }
}
