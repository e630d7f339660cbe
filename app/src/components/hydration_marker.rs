//! A marker that tells tests (and people debugging) that the page's islands have come alive.

use leptos::prelude::*;

/// A hidden element whose `data-hydrated` turns from `no` to `yes` once the wasm runs. It is
/// an island of its own so that every page, even one without a form, reports it.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, so this flips once the wasm has taken over.
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <span
            id="hydration"
            data-hydrated=move || if hydrated.get() { "yes" } else { "no" }
            hidden=true
        ></span>
    }
}
