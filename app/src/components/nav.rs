//! The site navigation, with a marker that tells tests (and people debugging) that the page
//! has hydrated.

use leptos::prelude::*;

/// Top navigation bar.
#[component]
pub fn Nav() -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, so this flips once the wasm has taken over.
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <nav aria-label="Main">
                <a class="brand" href="/">"Strata"</a>
                <a href="/">"Overview"</a>
                <a href="/workloads">"Workloads"</a>
                <a href="/catalog">"Catalog"</a>
                <a href="/workloads/new">"Register a workload"</a>
            </nav>
            <span
                id="hydration"
                data-hydrated=move || if hydrated.get() { "yes" } else { "no" }
                hidden=true
            ></span>
        </header>
    }
}
