//! Reading workloads: the list, one workload with its history, counts per phase.

use crate::domain::listing::WorkloadQuery;
use crate::dto::{ChartView, FormChoices, PhaseCount, WorkloadPage, WorkloadView};
use crate::error::AppError;
use leptos::prelude::*;

/// One page of the workload list.
#[server(endpoint = "list_workloads", input = server_fn::codec::Json)]
pub async fn list_workloads(query: WorkloadQuery) -> Result<WorkloadPage, AppError> {
    use crate::api::context::{from_store, store};
    // Callers other than the list page can send any numbers: apply the URL's bounds again.
    store()?
        .list_workloads(&query.clamped())
        .await
        .map_err(from_store)
}

/// One workload with team and owner names and its full history; 404 when unknown.
#[server(endpoint = "get_workload", input = server_fn::codec::Json)]
pub async fn get_workload(id: String) -> Result<WorkloadView, AppError> {
    use crate::api::context::{fail, from_store, store};
    use crate::domain::WorkloadId;
    let store = store()?;
    let id = WorkloadId(id);
    let Some(workload) = store.get_workload(&id).await.map_err(from_store)? else {
        return fail(AppError::NotFound("This workload".into()));
    };
    let team_name = store
        .get_team(&workload.draft.team_id)
        .await
        .map_err(from_store)?
        .map(|t| t.name)
        .unwrap_or_default();
    let mut owner_ids = vec![workload.draft.primary_owner.clone()];
    owner_ids.extend(workload.draft.other_owners.iter().cloned());
    let found = store.users_by_ids(&owner_ids).await.map_err(from_store)?;
    // Primary owner first, then the others in the order they were given.
    let owners = owner_ids
        .iter()
        .filter_map(|id| found.iter().find(|u| &u.id == id).cloned())
        .collect();
    let history = store.workload_history(&id).await.map_err(from_store)?;
    let (requirements, readiness) = super::requirements::for_workload(&*store, &workload).await?;
    let required: Vec<_> = requirements
        .iter()
        .filter(|r| r.required)
        .map(|r| r.layer)
        .collect();
    let layer_chart = crate::charts::required_by_layer(&required);
    Ok(WorkloadView {
        workload,
        team_name,
        owners,
        history,
        requirements,
        readiness,
        layer_chart,
    })
}

/// Workloads by team and phase, drawn and as a table.
#[server(endpoint = "phase_team_chart", input = server_fn::codec::Json)]
pub async fn phase_team_chart() -> Result<ChartView, AppError> {
    use crate::api::context::{from_store, store};
    let counts = store()?
        .count_by_team_and_phase()
        .await
        .map_err(from_store)?;
    Ok(crate::charts::workloads_by_phase_and_team(&counts))
}

/// How many workloads are in each phase.
#[server(endpoint = "phase_counts", input = server_fn::codec::Json)]
pub async fn phase_counts() -> Result<Vec<PhaseCount>, AppError> {
    use crate::api::context::{from_store, store};
    store()?.count_by_phase().await.map_err(from_store)
}

/// Teams and people the workload form and the list filters offer.
#[server(endpoint = "get_form_choices", input = server_fn::codec::Json)]
pub async fn get_form_choices() -> Result<FormChoices, AppError> {
    use crate::api::context::{from_store, store};
    let store = store()?;
    Ok(FormChoices {
        teams: store.list_teams().await.map_err(from_store)?,
        users: store.list_users().await.map_err(from_store)?,
    })
}
