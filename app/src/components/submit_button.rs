//! The submit button of a form handled by a server action, and the action's failure. The button
//! cannot be pressed again while a press is on its way; a failure that never reached the form's
//! own answer (the network, or a refusal such as "too many attempts") is shown beside it.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::ServerAction;
use server_fn::ServerFn;

/// A submit button that is disabled, and says so, while `pending`.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    busy_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" data-testid=testid disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { busy_label.to_string() } else { label.clone() }}
        </button>
    }
}

/// The error the last run of `action` ended with, if any.
#[component]
pub fn ActionError<S>(action: ServerAction<S>) -> impl IntoView
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    move || {
        action.value().get().and_then(Result::err).map(|e| {
            view! { <p class="field-error" role="alert" data-testid="action-error">{e.to_string()}</p> }
        })
    }
}
