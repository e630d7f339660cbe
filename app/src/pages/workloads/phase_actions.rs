//! Promote and demote: their own forms, each sending the revision the page showed. An island,
//! so a press cannot be sent twice while the first is on its way.

use crate::api::phase::ChangePhase;
use crate::components::submit_button::{locked, ActionError, SubmitButton};
use crate::domain::Phase;
use leptos::prelude::*;
use leptos::server::ServerAction;

/// The phase buttons of a workload.
#[island]
pub fn PhaseActions(id: String, revision: i64, phase: Phase) -> impl IntoView {
    // One action for both buttons: while either press is on its way, neither takes a press.
    let action = ServerAction::<ChangePhase>::new();
    let locked = locked(action);
    let button = |id: String, direction: &'static str, to: Phase| {
        let label = if direction == "promote" {
            format!("Promote to {to}")
        } else {
            format!("Demote to {to}")
        };
        let busy_label = if direction == "promote" {
            "Promoting…"
        } else {
            "Demoting…"
        };
        // Only the pressed button says it is working; both refuse presses meanwhile.
        let busy = Signal::derive(move || {
            action
                .input()
                .get()
                .is_some_and(|i| i.direction == direction)
        });
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="revision" value=revision.to_string()/>
                <input type="hidden" name="direction" value=direction/>
                <SubmitButton label busy_label locked busy testid=direction/>
            </ActionForm>
        }
    };
    view! {
        <section class="phase-actions" aria-label="Phase">
            {phase.next().map(|to| button(id.clone(), "promote", to))}
            {phase.previous().map(|to| button(id, "demote", to))}
            <ActionError action/>
        </section>
    }
}
