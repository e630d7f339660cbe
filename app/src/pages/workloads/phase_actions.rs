//! Promote and demote: their own forms, each sending the revision the page showed.

use crate::api::phase::ChangePhase;
use crate::domain::Phase;
use leptos::prelude::*;

/// The phase buttons of a workload.
#[component]
pub fn PhaseActions(
    id: String,
    revision: i64,
    phase: Phase,
    action: ServerAction<ChangePhase>,
) -> impl IntoView {
    let button = |direction: &'static str, to: Phase| {
        let id = id.clone();
        let label = if direction == "promote" {
            format!("Promote to {to}")
        } else {
            format!("Demote to {to}")
        };
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="revision" value=revision.to_string()/>
                <input type="hidden" name="direction" value=direction/>
                <button type="submit" data-testid=direction>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="phase-actions" aria-label="Phase">
            {phase.next().map(|to| button("promote", to))}
            {phase.previous().map(|to| button("demote", to))}
        </section>
    }
}
