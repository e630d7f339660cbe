//! Editing a workload. The form carries the revision it started from, so a save on top of
//! someone else's change is refused instead of overwriting it.

use super::workload_form::EditWorkloadForm;
use crate::api::flash::take_flash;
use crate::api::workload_edit::edit_page;
use crate::api::workloads::{get_edit_form, get_form_choices};
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::components::workload_fields::WorkloadFields;
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The edit form of one workload.
#[component]
pub fn EditWorkloadPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let start = Resource::new_blocking(id, get_edit_form);
    let flash = Resource::new_blocking(id, |id| take_flash(edit_page(&id)));
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    view! {
        <Title text="Edit workload"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (start.await, choices.await, flash.await) {
                    (Ok(start), Ok(choices), Ok(flash)) => {
                        let (values, errors, message) = match flash {
                            Some(f) => (f.values.workload(), f.errors, f.message),
                            None => (start.form, FieldErrors::default(), None),
                        };
                        let id = start.id.0;
                        view! {
                            <h1>{format!("Edit {}", start.name)}</h1>
                            <p class="lead">"The phase is changed from the workload's page, not here."</p>
                            <FormMessage message/>
                            <EditWorkloadForm id><WorkloadFields values errors choices/></EditWorkloadForm>
                        }.into_any()
                    }
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
