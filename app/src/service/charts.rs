//! Charts of the organization and of one workload, drawn from store data by the pure chart
//! functions; pages embed them and the standalone SVG routes serve them.

use super::authorize::require;
use super::workloads::load;
use crate::domain::policy::Action;
use crate::domain::{Layer, Principal, WorkloadId};
use crate::dto::ChartView;
use crate::error::AppError;
use crate::ports::Store;

/// Workloads by team and phase.
#[tracing::instrument(skip_all)]
pub async fn phase_and_team(store: &dyn Store, caller: &Principal) -> Result<ChartView, AppError> {
    let reach = require(caller, Action::ReadWorkloads)?;
    let counts = store.count_by_team_and_phase(&reach).await?;
    Ok(crate::charts::workloads_by_phase_and_team(&counts))
}

/// The controls a workload requires now, per layer; not found for an unknown workload.
#[tracing::instrument(skip_all, fields(workload.id = %id))]
pub async fn required_by_layer(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
) -> Result<ChartView, AppError> {
    load(store, caller, id).await?;
    let rows = store.requirements(id).await?;
    Ok(layer_chart(rows.iter().map(|r| (r.required, r.layer))))
}

/// The chart of required controls per layer, from (required now, layer) of each requirement.
pub(super) fn layer_chart(requirements: impl Iterator<Item = (bool, Layer)>) -> ChartView {
    let layers: Vec<Layer> = requirements
        .filter(|(required, _)| *required)
        .map(|(_, l)| l)
        .collect();
    crate::charts::required_by_layer(&layers)
}
