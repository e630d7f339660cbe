//! A workload's requirements as its page shows them: the materialized rows with their catalog
//! version's titles, each applicable one with its state now (stored by the attestations'
//! writes) and its attestations, and promotion readiness from the pure rules.

use crate::domain::applicability::readiness;
use crate::domain::attestation::{attestable, AttestationStatus};
use crate::domain::requirement_state::RequirementState;
use crate::domain::workload::Workload;
use crate::dto::{AddedControl, AttestationView, ReadinessView, RequirementView};
use crate::error::AppError;
use crate::ports::{AttestationRecord, Store};

/// The requirement rows of `workload` and what its next phase adds.
pub async fn for_workload(
    store: &dyn Store,
    workload: &Workload,
) -> Result<(Vec<RequirementView>, Option<ReadinessView>), AppError> {
    let records = store.requirements(&workload.id).await?;
    // The version the rows were derived from: every catalog load rewrites them in its own
    // transaction, so it is the current one, and the server has it parsed already (no query).
    let catalog = match records.first() {
        Some(r) => Some(store.catalog_version(&r.catalog_version_id).await?),
        None => None,
    };
    let title = |id: &str| match catalog.as_ref().and_then(|c| c.control(id)) {
        Some(c) => c.title.clone(),
        None => {
            // Rows are written from their version's controls, so this means they are corrupt.
            tracing::warn!(
                control.id = id,
                "requirement of a control not in its catalog version"
            );
            id.to_string()
        }
    };
    // The stored states now (only requirements with attestations have any) and the history.
    let states = store.states_now(&workload.id, chrono::Utc::now()).await?;
    let attestations = store.attestations_of(&workload.id).await?;
    let requirements: Vec<RequirementView> = records
        .into_iter()
        .map(|r| {
            let state = r.applicable.then(|| {
                states
                    .iter()
                    .find(|s| s.control_id == r.control_id)
                    .map_or((RequirementState::Gap, NO_ATTESTATION.to_string()), |s| {
                        (s.state, s.reason.clone())
                    })
            });
            let history = attestations
                .iter()
                .filter(|a| a.control_id == r.control_id)
                .map(attestation_view)
                .collect();
            RequirementView {
                title: title(&r.control_id),
                control_id: r.control_id,
                layer: r.layer,
                applicable: r.applicable,
                required: r.required,
                attestable: attestable(workload.phase, r.applicable, r.effective_min_phase),
                effective_min_phase: r.effective_min_phase,
                reason: r.reason,
                state,
                attestations: history,
            }
        })
        .collect();
    let readiness = catalog
        .as_ref()
        .and_then(|c| readiness(&workload.draft.attributes, workload.phase, c))
        .map(|r| ReadinessView {
            next: r.next,
            added: r
                .added
                .iter()
                .map(|id| AddedControl {
                    control_id: id.clone(),
                    title: title(id),
                    state: requirements
                        .iter()
                        .find(|q| &q.control_id == id)
                        .and_then(|q| q.state.as_ref().map(|(s, _)| *s))
                        .unwrap_or(RequirementState::Gap),
                })
                .collect(),
            blocked_by: r.blocked_by,
        });
    Ok((requirements, readiness))
}

/// The reason of a requirement nobody attested yet (the rules' own words).
const NO_ATTESTATION: &str = "No approved attestation";

/// Whether a requirement's state now leaves it open.
fn is_open(r: &RequirementView) -> bool {
    !r.state.as_ref().is_some_and(|(s, _)| s.covers())
}

/// What promoting would leave open (design §3.4): the controls required now and those the next
/// phase adds that are not covered (satisfied, expiring, not applicable or excepted).
pub fn open_for_promotion(
    requirements: &[RequirementView],
    readiness: Option<&ReadinessView>,
) -> usize {
    let now = requirements
        .iter()
        .filter(|r| r.required && is_open(r))
        .count();
    let added = readiness.map_or(0, |next| {
        next.added.iter().filter(|a| !a.state.covers()).count()
    });
    now + added
}

fn day(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// An attestation as the workload page lists it.
pub(super) fn attestation_view(a: &AttestationRecord) -> AttestationView {
    let (review, decided_by, comment) = match &a.decision {
        None => ("submitted".to_string(), None, String::new()),
        Some(d) => (
            if d.approved { "approved" } else { "rejected" }.to_string(),
            a.decided_by_name.clone(),
            d.comment.clone(),
        ),
    };
    let because = match a.status {
        AttestationStatus::NotApplicable => a.justification.clone(),
        AttestationStatus::Inherited => format!("Inherited from {}", a.inherited_from),
        _ => String::new(),
    };
    AttestationView {
        id: a.id.clone(),
        status: a.status,
        statement: a.statement.clone(),
        because,
        effective: day(&a.effective),
        expiry: day(&a.expiry),
        artifact: a
            .artifact
            .as_ref()
            .map(|x| format!("{} {}", x.kind.label(), x.label())),
        submitted_by: a.submitted_by_name.clone(),
        submitted_at: a.submitted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        review,
        decided_by,
        comment,
        // A link is shown as one only if it still passes the form's rule (whatever wrote it).
        evidence: a
            .evidence
            .iter()
            .map(|e| {
                let url = e
                    .url
                    .clone()
                    .filter(|u| crate::domain::attestation_form::link_problem(u).is_none());
                let text = e.note.clone().unwrap_or_default();
                (e.title.clone(), url, text)
            })
            .collect(),
    }
}
