//! Registering a workload.

use crate::api::flash::take_flash;
use crate::api::workload_edit::{CreateWorkload, NEW_PAGE};
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
    let action = ServerAction::<CreateWorkload>::new();
    let flash = Resource::new_blocking(
        move || action.version().get(),
        |_| take_flash(NEW_PAGE.into()),
    );
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
                            Some(f) => (f.values, f.errors, f.message),
                            None => (WorkloadForm::blank(), FieldErrors::default(), None),
                        };
                        view! {
                            <FormMessage message/>
                            <ActionForm action=action attr:class="workload-form" attr:data-testid="workload-form">
                                <WorkloadFields values errors choices/>
                                <button type="submit">"Register workload"</button>
                            </ActionForm>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
