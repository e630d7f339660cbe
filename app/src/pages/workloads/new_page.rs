//! Registering a workload.

use super::workload_form::NewWorkloadForm;
use crate::api::flash::take_flash;
use crate::api::workload_edit::NEW_PAGE;
use crate::api::workloads::get_form_choices;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::components::workload_fields::WorkloadFields;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos_meta::Title;

/// The new-workload form; a refused submit comes back here with what was typed.
#[component]
pub fn NewWorkloadPage() -> impl IntoView {
    let flash = Resource::new_blocking(|| (), |_| take_flash(NEW_PAGE.into()));
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    view! {
        <Title text="Register a workload"/>
        <h1>"Register a workload"</h1>
        <p class="lead">"New workloads start in the prototype phase; promote them from their page."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (choices.await, flash.await) {
                    (Ok(choices), Ok(flash)) => {
                        let (values, errors, message) = match flash {
                            Some(f) => (f.values.workload(), f.errors, f.message),
                            None => (WorkloadForm::blank(), FieldErrors::default(), None),
                        };
                        view! {
                            <FormMessage message/>
                            <NewWorkloadForm><WorkloadFields values errors choices/></NewWorkloadForm>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
