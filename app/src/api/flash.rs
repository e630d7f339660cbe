//! One-shot flashes kept in the server-side session: a refused form's typed values and messages
//! survive the redirect back to the form without JavaScript, and never travel in a URL.

use crate::dto::FormFlash;
use crate::error::AppError;
use leptos::prelude::*;

/// Reads and removes the flash kept for `key` (the page path the form lives on).
#[server(endpoint = "take_flash", input = server_fn::codec::Json)]
pub async fn take_flash(key: String) -> Result<Option<FormFlash>, AppError> {
    use crate::api::context::{call, session};
    call(|_| async move {
        Ok(session()
            .await?
            .remove::<FormFlash>(&flash_key(&key))
            .await?)
    })
    .await
}

/// Session key of the flash for a page.
pub fn flash_key(page: &str) -> String {
    format!("flash:{page}")
}

/// Answers a form's outcome: done → the browser goes to `done_page(value)`; refused → the form
/// goes back to `page` with what was typed and why, as a one-shot flash.
#[cfg(feature = "ssr")]
pub async fn answer<T>(
    page: &str,
    values: crate::domain::workload_form::WorkloadForm,
    outcome: crate::service::Outcome<T>,
    done_page: impl FnOnce(T) -> String,
) -> Result<(), AppError> {
    use crate::service::Outcome;
    let refusal = match outcome {
        Outcome::Done(value) => {
            leptos_axum::redirect(&done_page(value));
            return Ok(());
        }
        Outcome::Refused(r) => r,
    };
    let mut values = values;
    if let Some(revision) = refusal.current_revision {
        values.revision = revision.to_string();
    }
    let message = refusal.message.or_else(|| {
        (!refusal.errors.is_empty())
            .then(|| "Nothing was saved. Correct the fields marked below.".to_string())
    });
    let flash = FormFlash {
        values: values.clipped(),
        errors: refusal.errors,
        message,
    };
    let session = crate::api::context::session().await?;
    session.insert(&flash_key(page), flash).await?;
    leptos_axum::redirect(page);
    Ok(())
}
