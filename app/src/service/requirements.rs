//! A workload's requirements as its page shows them: the materialized rows with the current
//! catalog's titles, and promotion readiness from the pure rules.

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
    let current = store.current_catalog().await?;
    let title = |id: &str| match current.as_ref().and_then(|v| v.catalog.control(id)) {
        Some(c) => c.title.clone(),
        None => {
            // Rows are rewritten with every catalog load, so this means they are out of step.
            tracing::warn!(
                control.id = id,
                "requirement of a control not in the current catalog"
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
    let readiness = current
        .as_ref()
        .and_then(|v| readiness(&workload.draft.attributes, workload.phase, &v.catalog))
        .map(|r| ReadinessView {
            next: r.next,
            added: r.added.iter().map(|id| (id.clone(), title(id))).collect(),
            blocked_by: r.blocked_by,
        });
    Ok((requirements, readiness))
}
