//! The "Register a workload" button, shown only to people who may register one.

use crate::api::accounts::current_person;
use leptos::prelude::*;

/// A button to the new-workload form, for people who may register workloads for a team.
#[component]
pub fn RegisterButton() -> impl IntoView {
    let person = Resource::new_blocking(|| (), |_| current_person());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                person.await.ok().flatten().filter(|p| p.may_register).map(|_| view! {
                    <a class="button" href="/workloads/new">"Register a workload"</a>
                })
            })}
        </Suspense>
    }
}
