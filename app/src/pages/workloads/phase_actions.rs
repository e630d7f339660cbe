//! Promote and demote: their own forms, each sending the revision the page showed. An island,
//! so a press cannot be sent twice while the first is on its way. Only what the caller may do
//! is offered (`service::phase::actions`); a promotion with open requirements asks the reason.

use crate::api::phase::ChangePhase;
use crate::components::submit_button::{locked, ActionError, SubmitButton};
use crate::domain::phase::REASON_MAX;
use crate::domain::Phase;
use crate::dto::Promote;
use leptos::prelude::*;
use leptos::server::ServerAction;

/// The phase buttons of a workload.
#[island]
pub fn PhaseActions(
    id: String,
    revision: i64,
    phase: Phase,
    promote: Promote,
    demote: bool,
) -> impl IntoView {
    // One action for both buttons: while either press is on its way, neither takes a press.
    let action = ServerAction::<ChangePhase>::new();
    let locked = locked(action);
    let button = move |id: String, direction: &'static str, to: Phase, reason: Option<usize>| {
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
        let reason_field = reason.map(|open| {
            let hint = format!("{open} controls would be open; the reason is kept in the history.");
            view! {
                <div class="field">
                    <label for="promote-reason">"Reason for promoting"</label>
                    <input id="promote-reason" type="text" name="reason" required=true
                        maxlength=REASON_MAX.to_string() aria-describedby="promote-reason-hint"/>
                    <p class="hint" id="promote-reason-hint">{hint}</p>
                </div>
            }
        });
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="revision" value=revision.to_string()/>
                <input type="hidden" name="direction" value=direction/>
                {reason_field}
                <SubmitButton label busy_label locked busy testid=direction/>
            </ActionForm>
        }
    };
    let (promotion, blocked) = match (promote, phase.next()) {
        (Promote::Directly, Some(to)) => (Some(button(id.clone(), "promote", to, None)), None),
        (Promote::WithReason { open }, Some(to)) => {
            (Some(button(id.clone(), "promote", to, Some(open))), None)
        }
        (Promote::Blocked(why), _) => (None, Some(why)),
        _ => (None, None),
    };
    let demotion = phase
        .previous()
        .filter(|_| demote)
        .map(|to| button(id, "demote", to, None));
    view! {
        <section class="phase-actions" aria-label="Phase">
            {promotion}
            {demotion}
            {blocked.map(|why| view! { <p class="hint" data-testid="promotion-needs-lead">{why}</p> })}
            <ActionError action/>
        </section>
    }
}
