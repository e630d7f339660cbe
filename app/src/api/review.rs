//! The review queue's server functions: the submissions awaiting review, and a reviewer's
//! decision on one (a plain form, with or without JavaScript).

use crate::dto::QueueItemView;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the review queue.
pub const REVIEW_PAGE: &str = "/review";

/// The queue, narrowed by team, layer and workload (each empty for all).
#[server(endpoint = "review_queue", input = server_fn::codec::Json)]
pub async fn review_queue(
    #[server(default)] team: String,
    #[server(default)] layer: String,
    #[server(default)] workload: String,
) -> Result<Vec<QueueItemView>, AppError> {
    use crate::api::context::call;
    use crate::domain::{FieldErrors, Layer, TeamId, WorkloadId};
    call(|c| async move {
        let mut errors = FieldErrors::default();
        let team = (!team.is_empty()).then(|| TeamId::parse(&team));
        if team.as_ref().is_some_and(Option::is_none) {
            errors.add("team", "Choose a team from the list.");
        }
        let layer = (!layer.is_empty()).then(|| Layer::from_code(&layer));
        if layer.is_some_and(|l| l.is_none()) {
            errors.add("layer", "Choose a layer from the list.");
        }
        let workload = (!workload.is_empty()).then(|| WorkloadId::parse(&workload));
        if workload.as_ref().is_some_and(Option::is_none) {
            errors.add("workload", "This is not a workload's id.");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let filter = crate::ports::QueueFilter {
            team: team.flatten(),
            layer: layer.flatten(),
            workload: workload.flatten(),
        };
        crate::service::attestations::review_queue(&*c.store, &c.principal, &filter).await
    })
    .await
}

/// Approves (`verdict = "approve"`) or rejects (`"reject"`, with `comment`) a submission;
/// the queue shows what happened.
#[server(endpoint = "decide_attestation")]
pub async fn decide_attestation(
    id: String,
    verdict: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let approve = match verdict.as_str() {
            "approve" => true,
            "reject" => false,
            _ => {
                let mut e = crate::domain::FieldErrors::default();
                e.add("verdict", "Choose approve or reject.");
                return Err(AppError::Validation(e));
            }
        };
        let outcome =
            crate::service::attestations::decide(&*c.store, &c.principal, &id, approve, &comment)
                .await?;
        match outcome {
            crate::service::Outcome::Done(r) => {
                let verdict = if approve { "Approved" } else { "Rejected" };
                let notice = format!("{verdict} the attestation of {}.", r.control_id);
                crate::api::flash::tell(&*c.store, REVIEW_PAGE, notice).await?;
            }
            crate::service::Outcome::Refused(r) => {
                answer_fields(
                    &*c.store,
                    REVIEW_PAGE,
                    &[("comment", comment.as_str()), ("id", id.as_str())],
                    crate::service::Outcome::<()>::Refused(r),
                    |()| REVIEW_PAGE.to_string(),
                )
                .await?;
            }
        }
        Ok(())
    })
    .await
}
