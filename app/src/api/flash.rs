//! One-shot flashes kept in the server-side session: a refused form's typed values and messages
//! survive the redirect back to the form without JavaScript, and never travel in a URL.
//!
//! Flashes are bounded so that anonymous posts cannot fill the session table: a flash holds
//! clipped values and messages of bounded length, a session keeps flashes for a few pages at
//! most, and a session created for flashes alone (marked `flash_only`) lives minutes, is
//! deleted when its last flash is read, and may be started only so often per client address
//! (`service::attempts::NEW_FLASH_SESSIONS`). Signing in removes the mark (`adopt`).

use crate::dto::FormFlash;
#[cfg(feature = "ssr")]
use crate::dto::FormValues;
use crate::error::AppError;
use leptos::prelude::*;

/// Session key of the pending flashes: (page path, flash), oldest first.
#[cfg(feature = "ssr")]
const FLASHES: &str = "flashes";
/// Session key marking a session that exists only to carry flashes.
#[cfg(feature = "ssr")]
const FLASH_ONLY: &str = "flash_only";
/// Most pages with a pending flash in one session; the oldest is dropped first.
#[cfg(feature = "ssr")]
const PAGES_MAX: usize = 4;
/// How long a flash-only session lives without use, in minutes.
#[cfg(feature = "ssr")]
const FLASH_ONLY_MINUTES: i64 = 10;

#[cfg(feature = "ssr")]
type Pending = Vec<(String, FormFlash)>;

/// Reads and removes the flash kept for `key` (the page path the form lives on).
#[server(endpoint = "take_flash", input = server_fn::codec::Json)]
pub async fn take_flash(key: String) -> Result<Option<FormFlash>, AppError> {
    use crate::api::context::{call, session};
    call(|_| async move {
        let session = session().await?;
        // A request without a session cookie reads nothing from the store here.
        let mut pending = pending(&session).await?;
        let Some(at) = pending.iter().position(|(page, _)| *page == key) else {
            return Ok(None);
        };
        let (_, flash) = pending.remove(at);
        let flash_only = session.get::<bool>(FLASH_ONLY).await?.unwrap_or(false);
        if pending.is_empty() && flash_only {
            // Nothing else in it: the row and the cookie go.
            session.flush().await?;
        } else if pending.is_empty() {
            session.remove_value(FLASHES).await?;
        } else {
            session.insert(FLASHES, pending).await?;
            if flash_only {
                short_lived(&session);
            }
        }
        Ok(Some(flash))
    })
    .await
}

/// Answers a workload form's outcome: done → the browser goes to `done_page(value)`; refused →
/// the form goes back to `page` with what was typed and why, as a one-shot flash.
#[cfg(feature = "ssr")]
pub async fn answer<T>(
    store: &dyn crate::ports::Store,
    page: &str,
    values: crate::domain::workload_form::WorkloadForm,
    outcome: crate::service::Outcome<T>,
    done_page: impl FnOnce(T) -> String,
) -> Result<(), AppError> {
    answer_with(
        store,
        page,
        FormValues::Workload(Box::new(values)),
        outcome,
        done_page,
    )
    .await
}

/// Most characters kept of a small form's field in a flash.
#[cfg(feature = "ssr")]
const FIELD_MAX: usize = 512;
/// Most fields kept of a small form.
#[cfg(feature = "ssr")]
const FIELDS_MAX: usize = 8;

/// Answers a small form's outcome like `answer`, keeping `fields` (name, typed text; never a
/// password) clipped for the flash.
#[cfg(feature = "ssr")]
pub async fn answer_fields<T>(
    store: &dyn crate::ports::Store,
    page: &str,
    fields: &[(&str, &str)],
    outcome: crate::service::Outcome<T>,
    done_page: impl FnOnce(T) -> String,
) -> Result<(), AppError> {
    let fields = fields
        .iter()
        .take(FIELDS_MAX)
        .map(|(name, value)| (name.to_string(), value.chars().take(FIELD_MAX).collect()))
        .collect();
    answer_with(store, page, FormValues::Fields(fields), outcome, done_page).await
}

#[cfg(feature = "ssr")]
async fn answer_with<T>(
    store: &dyn crate::ports::Store,
    page: &str,
    values: FormValues,
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
    keep(store, page, refusal_flash(values, refusal)).await?;
    leptos_axum::redirect(page);
    Ok(())
}

/// The flash of a refused form: what was typed (clipped), each field's problem, and why
/// nothing was saved.
#[cfg(feature = "ssr")]
pub fn refusal_flash(values: FormValues, refusal: crate::service::Refusal) -> FormFlash {
    let values = match values {
        FormValues::Workload(mut form) => {
            if let Some(revision) = refusal.current_revision {
                form.revision = revision.to_string();
            }
            FormValues::Workload(Box::new(form.clipped()))
        }
        FormValues::Attestation(form) => FormValues::Attestation(Box::new(form.clipped())),
        fields => fields,
    };
    let message = refusal.message.or_else(|| {
        (!refusal.errors.is_empty())
            .then(|| "Nothing was saved. Correct the fields marked below.".to_string())
    });
    FormFlash {
        values,
        errors: refusal.errors,
        message,
        notice: None,
        shown_once: Vec::new(),
    }
}

/// The flash of a done action: `notice`, said once.
#[cfg(feature = "ssr")]
pub fn notice_flash(notice: String) -> FormFlash {
    FormFlash {
        values: FormValues::Fields(Vec::new()),
        errors: crate::domain::FieldErrors::default(),
        message: None,
        notice: Some(notice),
        shown_once: Vec::new(),
    }
}

/// A session now belongs to a signed-in person: it loses the flash-only mark and short life
/// (sign-in gives it the expiry of a signed-in session) and the flashes it held, which were
/// typed before sign-in, perhaps by someone else.
#[cfg(feature = "ssr")]
pub async fn adopt(session: &tower_sessions::Session) -> Result<(), AppError> {
    session.remove_value(FLASH_ONLY).await?;
    session.remove_value(FLASHES).await?;
    Ok(())
}

/// Keeps `notice` to be shown once on `page` (after a done action), and sends the browser there.
#[cfg(feature = "ssr")]
pub async fn tell(
    store: &dyn crate::ports::Store,
    page: &str,
    notice: String,
) -> Result<(), AppError> {
    tell_once(store, page, notice, Vec::new()).await
}

/// Like `tell`, with secrets to show once beside the notice (new recovery codes). They live in
/// the signed-in person's own session until the page reads them.
#[cfg(feature = "ssr")]
pub async fn tell_once(
    store: &dyn crate::ports::Store,
    page: &str,
    notice: String,
    shown_once: Vec<String>,
) -> Result<(), AppError> {
    let flash = FormFlash {
        shown_once,
        ..notice_flash(notice)
    };
    keep(store, page, flash).await?;
    leptos_axum::redirect(page);
    Ok(())
}

/// Keeps `flash` for `page` in the request's session (see `keep_in`).
#[cfg(feature = "ssr")]
async fn keep(
    store: &dyn crate::ports::Store,
    page: &str,
    flash: FormFlash,
) -> Result<(), AppError> {
    use crate::api::context::{client_address, session};
    keep_in(store, &session().await?, &client_address(), page, flash).await
}

/// Keeps `flash` for `page` in `session`, starting a flash-only session when the request has
/// none (counted against the limit of `client`, the request's address). The server's own form
/// routes call this with their request's session; server functions through `keep`.
#[cfg(feature = "ssr")]
pub async fn keep_in(
    store: &dyn crate::ports::Store,
    session: &tower_sessions::Session,
    client: &str,
    page: &str,
    flash: FormFlash,
) -> Result<(), AppError> {
    use crate::service::attempts::{attempt, NEW_FLASH_SESSIONS};
    // Reading first loads the session: only then does `is_empty` tell whether one is stored.
    // Not `id()`: a session whose id was just cycled (a sign-in, a password change) has none
    // until it is saved, yet holds a signed-in person.
    let mut pending = pending(session).await?;
    let marked = session.get::<bool>(FLASH_ONLY).await?.unwrap_or(false);
    let new = session.is_empty().await;
    if new {
        attempt(store, NEW_FLASH_SESSIONS, client, chrono::Utc::now()).await?;
    }
    if new || marked {
        session.insert(FLASH_ONLY, true).await?;
        short_lived(session);
    }
    pending.retain(|(p, _)| p != page);
    pending.push((page.to_string(), flash));
    let excess = pending.len().saturating_sub(PAGES_MAX);
    pending.drain(..excess);
    session.insert(FLASHES, pending).await?;
    Ok(())
}

/// The session's pending flashes. Flashes kept by an older version of Strata, in a shape this
/// one does not read, are dropped: they were one-shot messages, not data.
#[cfg(feature = "ssr")]
async fn pending(session: &tower_sessions::Session) -> Result<Pending, AppError> {
    match session.get::<Pending>(FLASHES).await {
        Ok(pending) => Ok(pending.unwrap_or_default()),
        Err(tower_sessions::session::Error::SerdeJson(_)) => {
            session.remove_value(FLASHES).await?;
            Ok(Vec::new())
        }
        Err(e) => Err(e.into()),
    }
}

/// Gives a flash-only session its short life. Needed on every save: tower-sessions takes the
/// expiry of a session it loads from its configuration (the idle limit), not from the stored row.
#[cfg(feature = "ssr")]
fn short_lived(session: &tower_sessions::Session) {
    use tower_sessions::{cookie::time::Duration, Expiry};
    session.set_expiry(Some(Expiry::OnInactivity(Duration::minutes(
        FLASH_ONLY_MINUTES,
    ))));
}
