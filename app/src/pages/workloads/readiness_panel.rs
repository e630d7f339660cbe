//! Promotion readiness: what the next phase adds, and whether promotion is blocked outright.

use crate::dto::ReadinessView;
use leptos::prelude::*;

/// The readiness panel; nothing at the last phase.
#[component]
pub fn ReadinessPanel(readiness: Option<ReadinessView>) -> impl IntoView {
    readiness.map(|r| {
        let count = r.added.len();
        view! {
            <section class="readiness" data-testid="readiness" aria-labelledby="readiness-title">
                <h2 id="readiness-title">{format!("Readiness for {}", r.next.label().to_lowercase())}</h2>
                {r.blocked_by.map(|b| view! { <p class="notice notice-error" data-testid="promotion-blocked">{b}</p> })}
                <p>{format!("Promotion adds {count} controls, none satisfied yet:")}</p>
                <ul class="added-controls">
                    {r.added.into_iter().map(|(id, title)| view! {
                        <li><span class="mono">{id}</span>" "{title}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
