//! Promotion readiness: what the next phase adds, and whether promotion is blocked outright.

use crate::dto::ReadinessView;
use leptos::prelude::*;

/// The readiness panel; nothing at the last phase.
#[component]
pub fn ReadinessPanel(readiness: Option<ReadinessView>) -> impl IntoView {
    readiness.map(|r| {
        let count = r.added.len();
        let covered = r.added.iter().filter(|a| a.state.covers()).count();
        view! {
            <section class="readiness" data-testid="readiness" aria-labelledby="readiness-title">
                <h2 id="readiness-title">{format!("Readiness for {}", r.next.label().to_lowercase())}</h2>
                {r.blocked_by.map(|b| view! { <p class="notice notice-error" data-testid="promotion-blocked">{b}</p> })}
                <p data-testid="readiness-summary">{format!("Promotion adds {count} controls; {covered} of them are covered already:")}</p>
                <ul class="added-controls">
                    {r.added.into_iter().map(|a| {
                        let control = a.control_id.clone();
                        let class = format!("state state-{}", a.state.code());
                        view! {
                            <li data-control=control>
                                <span class="mono">{a.control_id}</span>" "{a.title}" "
                                <span class=class>{a.state.label()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
