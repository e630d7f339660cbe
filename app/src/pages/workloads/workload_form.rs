//! The workload form as an island: the one part of the create and edit pages that runs in the
//! browser. Without JavaScript it is a plain form posting to the same server function.
//!
//! The fields come in as `children`: the server renders them and the browser leaves them as
//! they are, so neither the values nor the form's choices (every team and person) travel a
//! second time as the island's serialized props. Only the action and its button hydrate.

use crate::api::workload_edit::{CreateWorkload, UpdateWorkload};
use crate::components::submit_button::{locked, ActionError, SubmitButton};
use leptos::prelude::*;
use leptos::server::ServerAction;

/// The new-workload form around `children`, its fields.
#[island]
pub fn NewWorkloadForm(children: Children) -> impl IntoView {
    let action = ServerAction::<CreateWorkload>::new();
    let locked = locked(action);
    view! {
        <ActionForm action=action attr:class="workload-form" attr:data-testid="workload-form">
            {children()}
            <SubmitButton label="Register workload" busy_label="Registering…" locked busy=locked/>
            <ActionError action/>
        </ActionForm>
    }
}

/// The edit form of workload `id` around `children`, its fields.
#[island]
pub fn EditWorkloadForm(id: String, children: Children) -> impl IntoView {
    let action = ServerAction::<UpdateWorkload>::new();
    let locked = locked(action);
    let cancel = format!("/workloads/{id}");
    view! {
        <ActionForm action=action attr:class="workload-form" attr:data-testid="workload-form">
            <input type="hidden" name="id" value=id/>
            {children()}
            <SubmitButton label="Save changes" busy_label="Saving…" locked busy=locked/>
            " "
            <a href=cancel>"Cancel"</a>
            <ActionError action/>
        </ActionForm>
    }
}
