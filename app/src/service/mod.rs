//! The use cases, one file per area: each is a function of (store, caller, typed input) →
//! `Result<outcome, AppError>` that authorizes (`authorize::require`), loads what it needs,
//! validates and calls the store, whose writes record their audit event. Server functions,
//! the standalone SVG routes and the future `/api/v1` handlers all call these, so no lookup,
//! rule or error mapping is written twice.

pub mod accounts;
pub mod admin;
pub mod as_of;
pub mod attempts;
pub mod attestations;
pub mod audit;
pub mod audit_jobs;
pub mod authorize;
pub mod catalog;
pub mod charts;
pub mod phase;
mod requirements;
pub mod second_factor;
pub mod sessions;
pub mod sign_in;
pub mod state_records;
pub mod totp;
mod workload_form;
pub mod workloads;

use crate::domain::FieldErrors;

/// What a form's use case did: done, or refused as a normal outcome (the person corrects the
/// fields and tries again; nothing was saved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    Done(T),
    Refused(Refusal),
}

/// Why a submission was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusal {
    /// Messages per field.
    pub errors: FieldErrors,
    /// A message for the whole form, when no field is to blame.
    pub message: Option<String>,
    /// The revision to retry on top of, when someone else saved in the meantime.
    pub current_revision: Option<i64>,
}

impl Refusal {
    /// Refused for what is wrong with these fields.
    pub fn fields(errors: FieldErrors) -> Self {
        Refusal {
            errors,
            ..Refusal::default()
        }
    }

    /// Refused for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        Self::fields(errors)
    }

    /// Refused with a message about the whole submission.
    pub fn message(message: impl Into<String>) -> Self {
        Refusal {
            message: Some(message.into()),
            ..Refusal::default()
        }
    }
}
