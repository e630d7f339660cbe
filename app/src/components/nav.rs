//! The site navigation.

use super::hydration_marker::HydrationMarker;
use leptos::prelude::*;

/// Top navigation bar: plain links (every page is rendered by the server).
#[component]
pub fn Nav() -> impl IntoView {
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
            <HydrationMarker/>
        </header>
    }
}
