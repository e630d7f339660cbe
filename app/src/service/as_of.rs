//! A workload's requirements "as of" the end of a past day (design §3.5): the version current
//! then decides which controls applied and were required (under the catalog in force then), and
//! each state is recomputed by the pure rules from the records known then — submissions made
//! and decisions taken by that instant, and the model and dataset references of that time.

use super::requirements::attestation_view;
use super::state_records::{artifact_periods, evidence, submission};
use crate::domain::applicability::evaluate;
use crate::domain::as_of::{instant, NOT_A_DAY};
use crate::domain::requirement_state::{requirement_state, Records};
use crate::domain::workload::Workload;
use crate::domain::FieldErrors;
use crate::dto::{AsOfView, RequirementView};
use crate::error::AppError;
use crate::ports::{AttestationRecord, Store};
use chrono::{DateTime, Utc};

/// The requirements of `workload` (read by the caller already) as of `day` (YYYY-MM-DD, up to
/// today).
#[tracing::instrument(skip_all, fields(workload.id = %workload.id))]
pub async fn states_as_of(
    store: &dyn Store,
    workload: &Workload,
    day: &str,
) -> Result<AsOfView, AppError> {
    let Some(t) = instant(day, Utc::now()) else {
        let mut errors = FieldErrors::default();
        errors.add("as_of", NOT_A_DAY);
        return Err(AppError::Validation(errors));
    };
    let day = t.format("%Y-%m-%d").to_string();
    let Some(then) = store.workload_as_of(&workload.id, t).await? else {
        return Ok(AsOfView {
            day,
            phase: None,
            catalog_loaded_later: None,
            requirements: Vec::new(),
        });
    };
    // The catalog in force then; before the first was loaded, the first (and the page says so).
    let versions = store.catalog_versions().await?;
    let in_force = versions.iter().rev().find(|(_, loaded)| *loaded <= t);
    let Some((version, loaded)) = in_force.or(versions.first()) else {
        return Ok(AsOfView {
            day,
            phase: Some(then.phase),
            catalog_loaded_later: None,
            requirements: Vec::new(),
        });
    };
    let catalog_loaded_later = (*loaded > t).then(|| loaded.format("%Y-%m-%d").to_string());
    let catalog = store.catalog_version(version).await?;
    let mut versions = store.workload_history(&workload.id).await?;
    versions.retain(|v| v.valid_from <= t);
    let artifacts = artifact_periods(&versions);
    let attestations: Vec<AttestationRecord> = store
        .attestations_of(&workload.id)
        .await?
        .into_iter()
        .filter_map(|a| known_at(a, t))
        .collect();
    let requirements = evaluate(&then.draft.attributes, &catalog)
        .into_iter()
        .map(|d| {
            let of: Vec<&AttestationRecord> = attestations
                .iter()
                .filter(|a| a.control_id == d.control_id)
                .collect();
            let state = d.applies.then(|| {
                let submissions: Vec<_> = of.iter().map(|a| submission(a)).collect();
                let evidence = evidence(&of);
                let records = Records {
                    submissions: &submissions,
                    evidence: &evidence,
                    exceptions: &[],
                    artifacts: &artifacts,
                };
                let assessed = requirement_state(&records, t);
                (assessed.state, assessed.reason())
            });
            RequirementView {
                title: catalog
                    .control(&d.control_id)
                    .map_or_else(|| d.control_id.clone(), |c| c.title.clone()),
                required: d.required_at(then.phase),
                control_id: d.control_id,
                layer: d.layer,
                applicable: d.applies,
                effective_min_phase: d.effective_min_phase,
                reason: d.reason,
                // A past day is read, never attested.
                attestable: false,
                state,
                attestations: of.iter().map(|a| attestation_view(a)).collect(),
            }
        })
        .collect::<Vec<RequirementView>>();
    Ok(AsOfView {
        day,
        phase: Some(then.phase),
        catalog_loaded_later,
        requirements,
    })
}

/// The attestation as it was known at `t`: none if submitted later; still awaiting review if
/// decided later.
fn known_at(mut a: AttestationRecord, t: DateTime<Utc>) -> Option<AttestationRecord> {
    if a.submitted_at > t {
        return None;
    }
    if a.decision.as_ref().is_some_and(|d| d.at > t) {
        a.decision = None;
        a.decided_by = None;
        a.decided_by_name = None;
    }
    Some(a)
}
