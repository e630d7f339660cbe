//! The submit button of a form handled by a server action, and the action's failure. The button
//! takes no second press while a press is on its way; a failure that never reached the form's
//! own answer (the network, or a refusal such as "too many attempts") is shown beside it.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::ServerAction;
use server_fn::ServerFn;

/// True while `action` is on its way, and after it succeeded: every success redirects (to the
/// next page, or back with the refusal's flash), so the form stays locked until that page
/// replaces this one rather than taking a second press with what is now stale.
pub fn locked<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.pending().get() || matches!(action.value().get(), Some(Ok(()))))
}

/// A submit button that refuses presses while `locked` and says it is working while `busy`.
/// It is never `disabled`: that would drop the keyboard focus of whoever just pressed it.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    busy_label: &'static str,
    #[prop(into)] locked: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" data-testid=testid
            aria-disabled=move || locked.get().then_some("true")
            aria-busy=move || busy.get().then_some("true")
            // A prevented click also stops the submit that Enter in a field would make.
            on:click=move |ev| if locked.get_untracked() { ev.prevent_default() }>
            {move || if busy.get() { busy_label.to_string() } else { label.clone() }}
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
