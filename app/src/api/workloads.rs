//! Reading workloads: the list, one workload with its history, counts and charts.

use crate::domain::listing::WorkloadQuery;
use crate::dto::{ChartView, EditForm, FormChoices, PhaseCount, Team, WorkloadPage, WorkloadView};
use crate::error::AppError;
use leptos::prelude::*;

/// One page of the workload list.
#[server(endpoint = "list_workloads", input = server_fn::codec::Json)]
pub async fn list_workloads(query: WorkloadQuery) -> Result<WorkloadPage, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::workloads::list(&*c.store, &c.principal, query).await })
        .await
}

/// One workload with team and owner names and one page of its history (1 is the newest);
/// 404 when unknown.
#[server(endpoint = "get_workload", input = server_fn::codec::Json)]
pub async fn get_workload(
    id: String,
    // Optional for callers: the newest page.
    #[server(default)] history_page: u32,
    // Optional: a past day (YYYY-MM-DD) whose requirement states to show; empty for now.
    #[server(default)] as_of: String,
) -> Result<WorkloadView, AppError> {
    use crate::api::context::call;
    use crate::service::workloads::{view, workload_id};
    call(|c| async move {
        let as_of = (!as_of.is_empty()).then_some(as_of.as_str());
        view(
            &*c.store,
            &c.principal,
            &workload_id(&id)?,
            history_page,
            as_of,
        )
        .await
    })
    .await
}

/// The edit form's starting values for a workload; 404 when unknown.
#[server(endpoint = "get_edit_form", input = server_fn::codec::Json)]
pub async fn get_edit_form(id: String) -> Result<EditForm, AppError> {
    use crate::api::context::call;
    use crate::service::workloads::{edit_form, workload_id};
    call(|c| async move { edit_form(&*c.store, &c.principal, &workload_id(&id)?).await }).await
}

/// Workloads by team and phase, drawn and as a table.
#[server(endpoint = "phase_team_chart", input = server_fn::codec::Json)]
pub async fn phase_team_chart() -> Result<ChartView, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::charts::phase_and_team(&*c.store, &c.principal).await })
        .await
}

/// How many workloads are in each phase.
#[server(endpoint = "phase_counts", input = server_fn::codec::Json)]
pub async fn phase_counts() -> Result<Vec<PhaseCount>, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::workloads::phase_counts(&*c.store, &c.principal).await })
        .await
}

/// Teams, for the list's team filter.
#[server(endpoint = "get_teams", input = server_fn::codec::Json)]
pub async fn get_teams() -> Result<Vec<Team>, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::workloads::teams(&*c.store, &c.principal).await }).await
}

/// Teams and people the workload form offers.
#[server(endpoint = "get_form_choices", input = server_fn::codec::Json)]
pub async fn get_form_choices() -> Result<FormChoices, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::workloads::form_choices(&*c.store, &c.principal).await })
        .await
}
