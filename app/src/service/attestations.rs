//! Attesting a requirement and reviewing the claim (design §1, §3): a contributor of the
//! workload's team (or a security lead) attests a control that applies at the workload's
//! current or next phase; a security lead who did not submit it approves it or rejects it with
//! a comment. Every step is stored with its audit event by the store, in one transaction.

use super::authorize::{require, require_on};
use super::workloads::{archived_team, load_for};
use super::{Outcome, Refusal};
use crate::domain::attestation::TEXT_MAX;
use crate::domain::attestation_form::{AttestationForm, Context};
use crate::domain::policy::Action;
use crate::domain::text::{is_multi_line, CONTROL_MESSAGE};
use crate::domain::{Principal, WorkloadId};
use crate::dto::QueueItemView;
use crate::error::AppError;
use crate::ports::{AttestationRecord, Decided, NewAttestation, NewEvidence, QueueFilter, Store};

/// What "not found" names.
const ATTESTATION: &str = "This attestation";

/// Why a control cannot be attested on this workload.
const NOT_ATTESTABLE: &str = "This control does not apply to the workload at its current or \
                              next phase, so there is nothing to attest.";

/// Submits an attestation of `control_id` on workload `id` for review; returns its id.
#[tracing::instrument(skip_all, fields(workload.id = %id, control.id = control_id))]
pub async fn attest(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    control_id: &str,
    form: &AttestationForm,
) -> Result<Outcome<String>, AppError> {
    let workload = load_for(store, caller, id, Action::ChangeWorkloads).await?;
    if let Some(archived) = archived_team(store, &workload).await? {
        return Ok(Outcome::Refused(archived));
    }
    let requirements = store.requirements(&workload.id).await?;
    // Controls of the current or the next phase can be attested (design §3.4).
    let reach = workload.phase.next().unwrap_or(workload.phase);
    let Some(requirement) = requirements
        .iter()
        .find(|r| r.control_id == control_id && r.applicable && r.effective_min_phase <= reach)
    else {
        return Ok(Outcome::Refused(Refusal::message(NOT_ATTESTABLE)));
    };
    let catalog = store
        .catalog_version(&requirement.catalog_version_id)
        .await?;
    let Some(control) = catalog.control(control_id) else {
        return Ok(Outcome::Refused(Refusal::message(NOT_ATTESTABLE)));
    };
    let cx = Context {
        // The cadence of the phase that requires it: attesting ahead for the next phase gets
        // that phase's.
        cadence_days: catalog
            .cadence(control)
            .days(workload.phase.max(requirement.effective_min_phase)),
        models: &workload.draft.model_refs,
        datasets: &workload.draft.dataset_refs,
        today: chrono::Utc::now().date_naive(),
    };
    let valid = match form.validate(&cx) {
        Ok(v) => v,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    let mut evidence: Vec<NewEvidence> = valid
        .links
        .iter()
        .map(|url| NewEvidence::Link {
            title: url.clone(),
            url: url.clone(),
        })
        .collect();
    if let Some(text) = &valid.note {
        evidence.push(NewEvidence::Note {
            title: format!("Note on {control_id}"),
            text: text.clone(),
        });
    }
    let new = NewAttestation {
        workload_id: workload.id.clone(),
        team_id: workload.draft.team_id.clone(),
        control_id: control_id.to_string(),
        status: valid.status,
        statement: valid.statement,
        justification: valid.justification,
        inherited_from: valid.inherited_from,
        effective: valid.effective,
        expiry: valid.expiry,
        artifact: valid.artifact,
        evidence,
    };
    Ok(Outcome::Done(store.submit_attestation(&new, caller).await?))
}

/// Approves (`approve`) or rejects attestation `id`; a rejection needs `comment`, which the
/// contributor sees. Nobody decides their own submission, and a submission is decided once.
#[tracing::instrument(skip_all, fields(attestation.id = id, approve))]
pub async fn decide(
    store: &dyn Store,
    caller: &Principal,
    id: &str,
    approve: bool,
    comment: &str,
) -> Result<Outcome<AttestationRecord>, AppError> {
    // Who may review at all, and what the comment must be, before anything is read.
    require(caller, Action::Review)?;
    let comment = comment.trim();
    if !approve && comment.is_empty() {
        return Ok(Outcome::Refused(Refusal::field(
            "comment",
            "Say why it is rejected: the contributor reads this to put it right.",
        )));
    }
    if comment.chars().count() > TEXT_MAX {
        return Ok(Outcome::Refused(Refusal::field(
            "comment",
            "At most 4,000 characters.",
        )));
    }
    if !is_multi_line(comment) {
        return Ok(Outcome::Refused(Refusal::field("comment", CONTROL_MESSAGE)));
    }
    let not_found = || AppError::NotFound(ATTESTATION.to_string());
    if !crate::domain::ids::is_id_shaped(id) {
        return Err(not_found());
    }
    let record = store.attestation(id).await?.ok_or_else(not_found)?;
    let workload = store
        .get_workload(&record.workload_id)
        .await?
        .ok_or_else(not_found)?;
    require_on(caller, Action::Review, &workload.draft.team_id, ATTESTATION)?;
    if caller
        .person()
        .is_some_and(|p| record.submitted_by.as_ref() == Some(&p.id))
    {
        return Ok(Outcome::Refused(Refusal::message(
            "You submitted this attestation: another security lead reviews it.",
        )));
    }
    // As for promotions: nobody decides about a workload they own.
    if super::phase::owns(caller, &workload) {
        return Ok(Outcome::Refused(Refusal::message(
            "You own this workload: another security lead reviews its attestations.",
        )));
    }
    if let Some(archived) = archived_team(store, &workload).await? {
        return Ok(Outcome::Refused(archived));
    }
    match store
        .decide_attestation(id, approve, comment, caller)
        .await?
    {
        Decided::Done(r) => Ok(Outcome::Done(r)),
        Decided::Already(r) => Ok(Outcome::Refused(Refusal::message(already(&r)))),
    }
}

/// What a reviewer is told when someone decided first.
fn already(r: &AttestationRecord) -> String {
    let (verdict, at) = r.decision.as_ref().map_or(("decided", String::new()), |d| {
        (
            if d.approved { "approved" } else { "rejected" },
            d.at.format(" on %Y-%m-%d at %H:%M UTC").to_string(),
        )
    });
    format!(
        "{} {verdict} this attestation{at} before you did; nothing was changed.",
        r.decided_by_name.as_deref().unwrap_or("Another reviewer")
    )
}

/// The review queue: submissions awaiting review, oldest first, narrowed by `filter`; the
/// caller's own are marked (another lead reviews them).
pub async fn review_queue(
    store: &dyn Store,
    caller: &Principal,
    filter: &QueueFilter,
) -> Result<Vec<QueueItemView>, AppError> {
    let reach = require(caller, Action::Review)?;
    let items = store
        .awaiting_review(filter, &reach, crate::dto::QUEUE_SHOWN)
        .await?;
    let teams = store.list_teams().await?;
    let me = caller.person().map(|p| &p.id);
    Ok(items
        .into_iter()
        .map(|i| QueueItemView {
            own: me.is_some_and(|id| i.submitted_by.as_ref() == Some(id)),
            team: teams
                .iter()
                .find(|t| t.id == i.team_id)
                .map_or_else(|| i.team_id.to_string(), |t| t.name.clone()),
            attestation_id: i.attestation_id,
            workload_id: i.workload_id.0,
            workload_name: i.workload_name,
            control_id: i.control_id,
            layer: i.layer,
            status: i.status,
            statement: i.statement,
            submitted_by: i.submitted_by_name,
            submitted_at: i.submitted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        })
        .collect())
}
