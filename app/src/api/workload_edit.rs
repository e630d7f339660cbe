//! Creating and editing workloads. A refused form goes back to its page with what was typed and
//! a message per field (a one-shot session flash), with or without JavaScript.

use crate::domain::workload_form::WorkloadForm;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the page with the new-workload form.
pub const NEW_PAGE: &str = "/workloads/new";

/// Path of the page with the edit form of a workload.
pub fn edit_page(id: &str) -> String {
    format!("/workloads/{id}/edit")
}

/// Registers a workload (it starts at prototype) and opens its page.
#[server(endpoint = "create_workload")]
pub async fn create_workload(form: WorkloadForm) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer};
    call(|c| async move {
        let outcome = crate::service::workloads::create(&*c.store, &c.principal, &form).await?;
        answer(&*c.store, NEW_PAGE, form, outcome, |id| {
            format!("/workloads/{id}")
        })
        .await
    })
    .await
}

/// Saves an edit, unless someone else changed the workload since the form was opened.
#[server(endpoint = "update_workload")]
pub async fn update_workload(id: String, form: WorkloadForm) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer};
    call(|c| async move {
        let wid = crate::service::workloads::workload_id(&id)?;
        let outcome =
            crate::service::workloads::update(&*c.store, &c.principal, &wid, &form).await?;
        answer(&*c.store, &edit_page(wid.as_str()), form, outcome, |id| {
            format!("/workloads/{id}")
        })
        .await
    })
    .await
}
