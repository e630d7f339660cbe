//! The workload form as an island: the one part of the create and edit pages that runs in the
//! browser. Without JavaScript it is a plain form posting to the same server function.

use crate::api::workload_edit::{CreateWorkload, UpdateWorkload};
use crate::components::submit_button::{locked, ActionError, SubmitButton};
use crate::components::workload_fields::WorkloadFields;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::FieldErrors;
use crate::dto::FormChoices;
use leptos::prelude::*;
use leptos::server::ServerAction;

/// The new-workload form.
#[island]
pub fn NewWorkloadForm(
    values: WorkloadForm,
    errors: FieldErrors,
    choices: FormChoices,
) -> impl IntoView {
    let action = ServerAction::<CreateWorkload>::new();
    view! {
        <ActionForm action=action attr:class="workload-form" attr:data-testid="workload-form">
            <WorkloadFields values errors choices/>
            <SubmitButton label="Register workload" busy_label="Registering…"
                locked=locked(action) busy=locked(action)/>
            <ActionError action/>
        </ActionForm>
    }
}

/// The edit form of workload `id`.
#[island]
pub fn EditWorkloadForm(
    id: String,
    values: WorkloadForm,
    errors: FieldErrors,
    choices: FormChoices,
) -> impl IntoView {
    let action = ServerAction::<UpdateWorkload>::new();
    let cancel = format!("/workloads/{id}");
    view! {
        <ActionForm action=action attr:class="workload-form" attr:data-testid="workload-form">
            <input type="hidden" name="id" value=id/>
            <WorkloadFields values errors choices/>
            <SubmitButton label="Save changes" busy_label="Saving…"
                locked=locked(action) busy=locked(action)/>
            " "
            <a href=cancel>"Cancel"</a>
            <ActionError action/>
        </ActionForm>
    }
}
