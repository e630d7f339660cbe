//! A workload's requirements as its page shows them: the materialized rows with their catalog
//! version's titles, and promotion readiness from the pure rules.

use crate::domain::applicability::readiness;
use crate::domain::workload::Workload;
use crate::dto::{ReadinessView, RequirementView};
use crate::error::AppError;
use crate::ports::Store;

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
    let requirements = records
        .into_iter()
        .map(|r| RequirementView {
            title: title(&r.control_id),
            control_id: r.control_id,
            layer: r.layer,
            applicable: r.applicable,
            required: r.required,
            effective_min_phase: r.effective_min_phase,
            reason: r.reason,
        })
        .collect();
    let readiness = catalog
        .as_ref()
        .and_then(|c| readiness(&workload.draft.attributes, workload.phase, c))
        .map(|r| ReadinessView {
            next: r.next,
            added: r.added.iter().map(|id| (id.clone(), title(id))).collect(),
            blocked_by: r.blocked_by,
        });
    Ok((requirements, readiness))
}

/// What promoting would leave open: every control required now and every one the next phase
/// adds (until attestations exist, none of them is satisfied; design §3.4).
pub fn open_for_promotion(
    requirements: &[RequirementView],
    readiness: Option<&ReadinessView>,
) -> usize {
    let now = requirements.iter().filter(|r| r.required).count();
    now + readiness.map_or(0, |r| r.added.len())
}
