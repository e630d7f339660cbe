//! Changing a workload's phase: its own action, never a field of the edit form.

use crate::error::AppError;
use leptos::prelude::*;

/// Promotes (`direction = "promote"`) or demotes (`"demote"`) a workload by one phase;
/// `reason` says why when it is promoted with open requirements.
#[server(endpoint = "change_phase")]
pub async fn change_phase(
    id: String,
    revision: i64,
    direction: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer};
    use crate::domain::phase::PhaseDirection;
    use crate::domain::workload_form::WorkloadForm;
    call(|c| async move {
        let direction = PhaseDirection::from_field(&direction).map_err(AppError::Validation)?;
        let wid = crate::service::workloads::workload_id(&id)?;
        let page = format!("/workloads/{wid}");
        let outcome = crate::service::phase::change_phase(
            &*c.store,
            &c.principal,
            &wid,
            revision,
            direction,
            &reason,
        )
        .await?;
        answer(&*c.store, &page, WorkloadForm::default(), outcome, |()| {
            page.clone()
        })
        .await
    })
    .await
}
