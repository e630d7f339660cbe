//! `POST /workloads/{id}/attestations`: the attest form, posted multipart (so that files can
//! join it) by a browser with or without JavaScript. The use case is
//! `service::attestations::attest`; this route reads the form, and answers like a form: done →
//! the workload page with a notice; refused → back to the attest form with what was typed and
//! each field's problem, kept as a one-shot flash in the session (`app::api::flash`).

use crate::body_limit::Resumable;
use crate::http_error::{back_link, error_response, wants_html};
use crate::identity::Caller;
use crate::state::AppState;
use app::api::attest::attest_page;
use app::api::context::ClientAddress;
use app::api::flash::{keep_in, notice_flash, refusal_flash};
use app::domain::attestation_form::AttestationForm;
use app::dto::FormValues;
use app::error::AppError;
use app::service::Outcome;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

/// Most bytes kept of one text field: past the longest valid value (links: 20 of 2,048
/// characters), so that validation names a field typed too long; the rest is read and dropped.
const FIELD_BYTES_MAX: usize = 64 * 1024;
/// Most parts read from one form; ours has ten.
const PARTS_MAX: usize = 32;

pub async fn submit(
    State(state): State<AppState>,
    Caller(caller): Caller,
    session: Session,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    // Not refused by the extractor (a path that is not UTF-8): the body must be drained first.
    id: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let html = wants_html(&headers);
    let back = back_link(&headers);
    let client = client.map_or_else(|| "unknown".to_string(), |Extension(a)| a.0);
    // An unreadable id names no workload: not found, like any unknown one.
    let id = id.map_or_else(|_| String::new(), |Path(id)| id);
    let deadline = tokio::time::Instant::now() + state.config.request_timeout;
    let (parts, body) = req.into_parts();
    let (body, rest) = Resumable::new(body);
    let multipart = Multipart::from_request(Request::from_parts(parts, body), &state).await;
    let answered = answer(&state, &caller, &session, &client, &id, multipart).await;
    if answered.is_err() {
        // Refused before the form was read to its end.
        rest.drain(deadline).await;
    }
    match answered {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(Failed::App(e)) => error_response(&e, html, &back),
        Err(Failed::TooLarge) => crate::body_limit::refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "it is larger than the server accepts; nothing was saved",
            html,
            &back,
        ),
    }
}

/// Why a post got no form answer.
enum Failed {
    App(AppError),
    /// The body grew past the limit while it was read.
    TooLarge,
}

impl From<AppError> for Failed {
    fn from(e: AppError) -> Self {
        Failed::App(e)
    }
}

/// Runs the use case and keeps its flash; returns the page to go to.
async fn answer(
    state: &AppState,
    caller: &app::domain::Principal,
    session: &Session,
    client: &str,
    id: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<String, Failed> {
    // Who may not attest anywhere is answered before a body is read for them.
    app::service::attestations::may_attest(caller)?;
    let mut multipart = multipart.map_err(|_| {
        AppError::BadRequest("the form must be sent as multipart/form-data".to_string())
    })?;
    let wid = app::service::workloads::workload_id(id)?;
    let (control, form) = read_form(&mut multipart).await?;
    let store = &*state.store;
    let outcome = app::service::attestations::attest(store, caller, &wid, &control, &form).await?;
    match outcome {
        Outcome::Done(_) => {
            let page = format!("/workloads/{}", wid.0);
            let notice = format!("Submitted the attestation of {control} for review.");
            keep_in(store, session, client, &page, notice_flash(notice)).await?;
            Ok(page)
        }
        Outcome::Refused(refusal) => {
            let page = attest_page(&wid.0, &control);
            let flash = refusal_flash(FormValues::Attestation(Box::new(form)), refusal);
            keep_in(store, session, client, &page, flash).await?;
            Ok(page)
        }
    }
}

/// The form's fields. Unknown parts are skipped; a part sent twice keeps its last value.
async fn read_form(multipart: &mut Multipart) -> Result<(String, AttestationForm), Failed> {
    let mut control = String::new();
    let mut form = AttestationForm::default();
    let mut parts = 0;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        parts += 1;
        if parts > PARTS_MAX {
            return Err(
                AppError::BadRequest(format!("the form has more than {PARTS_MAX} fields")).into(),
            );
        }
        let name = field.name().unwrap_or_default().to_string();
        let slot = match name.as_str() {
            "control" => &mut control,
            "status" => &mut form.status,
            "statement" => &mut form.statement,
            "justification" => &mut form.justification,
            "inherited_from" => &mut form.inherited_from,
            "effective" => &mut form.effective,
            "expiry" => &mut form.expiry,
            "artifact" => &mut form.artifact,
            "links" => &mut form.links,
            "note" => &mut form.note,
            _ => {
                skip(field).await?;
                continue;
            }
        };
        *slot = text(field, &name).await?;
    }
    if control.is_empty() {
        return Err(AppError::BadRequest(
            "the form does not say which control it attests".to_string(),
        )
        .into());
    }
    Ok((control, form))
}

/// A text part, its first `FIELD_BYTES_MAX` bytes kept (cut at a character boundary).
async fn text(mut field: Field<'_>, name: &str) -> Result<String, Failed> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        let room = FIELD_BYTES_MAX.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        // Only a cut at the end may split a character; anything else is not text.
        Err(e) if e.utf8_error().error_len().is_none() => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            Ok(String::from_utf8(bytes).unwrap_or_default())
        }
        Err(_) => Err(AppError::BadRequest(format!("the field {name} is not UTF-8 text")).into()),
    }
}

async fn skip(mut field: Field<'_>) -> Result<(), Failed> {
    while field.chunk().await.map_err(unreadable)?.is_some() {}
    Ok(())
}

/// A body that stopped being a well-formed multipart form, or grew past the body limit.
fn unreadable(e: axum::extract::multipart::MultipartError) -> Failed {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Failed::TooLarge;
    }
    tracing::debug!(error = %e.body_text(), "an attest form could not be read");
    AppError::BadRequest("the form is not a well-formed multipart body".to_string()).into()
}
