//! Messages: errors from server functions, form refusals, and "not found".

use crate::error::AppError;
use leptos::prelude::*;

/// Shows an error the way a person can act on it.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound(what) => view! { <NotFound what/> }.into_any(),
        other => view! {
            <div class="notice notice-error" role="alert">
                <p>{other.to_string()}</p>
            </div>
        }
        .into_any(),
    }
}

/// The "not found" page body.
#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Not found"</h1>
            <p>{format!("{what} was not found. It may have been removed, or the address is wrong.")}</p>
            <p><a href="/workloads">"Go to the workload list"</a></p>
        </section>
    }
}

/// A one-line message above a form (e.g. why nothing was saved).
#[component]
pub fn FormMessage(message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <div class="notice notice-error" role="alert" data-testid="form-message">
                <p>{m}</p>
            </div>
        }
    })
}

/// What a done action says once (a flash notice), above the page's content.
#[component]
pub fn DoneNotice(notice: Option<String>) -> impl IntoView {
    notice.map(|n| {
        view! {
            <div class="notice notice-ok" role="status" data-testid="notice">
                <p>{n}</p>
            </div>
        }
    })
}
