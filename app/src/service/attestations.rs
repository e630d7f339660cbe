//! Attesting a requirement and reviewing the claim (design §1, §3): a contributor of the
//! workload's team (or a security lead) attests a control that applies at the workload's
//! current or next phase; a security lead who did not submit it approves it or rejects it with
//! a comment. Every step is stored with its audit event by the store, in one transaction.

use super::authorize::{require, require_on};
use super::workloads::{archived_team, load_for};
use super::{Outcome, Refusal};
use crate::domain::attestation::{attestable, default_expiry, AttestationStatus, TEXT_MAX};
use crate::domain::attestation_form::{
    artifact_choices, artifact_code, AttestationForm, Context, ValidAttestation,
};
use crate::domain::catalog::Control;
use crate::domain::policy::Action;
use crate::domain::text::{is_multi_line, CONTROL_MESSAGE};
use crate::domain::workload::Workload;
use crate::domain::Phase;
use crate::domain::{Principal, WorkloadId};
use crate::dto::{AttestFormView, QueueItemView};
use crate::error::AppError;
use crate::ports::{
    AttestationRecord, Decided, NewAttestation, NewEvidence, QueueFilter, Store, Submitted,
};

/// What "not found" names.
const ATTESTATION: &str = "This attestation";

/// Why a control cannot be attested on this workload.
const NOT_ATTESTABLE: &str = "This control does not apply to the workload at its current or \
                              next phase, so there is nothing to attest.";

/// What attesting `control_id` on a workload rests on: the workload, the control as its
/// catalog version states it, and the cadence that sets the default expiry.
struct Target {
    workload: Workload,
    control: Control,
    /// The phase that requires it: the current one, or the next when attesting ahead.
    required_at: Phase,
    cadence_days: u32,
}

/// The attestation target: the caller must change the workload, and a control the workload's
/// requirements do not list is not found. There is nothing to attest (a conflict, which no
/// form can correct) while its team is archived, or when the control does not apply at the
/// current or the next phase (design §3.4).
async fn target(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    control_id: &str,
) -> Result<Target, AppError> {
    let workload = load_for(store, caller, id, Action::ChangeWorkloads).await?;
    let requirements = store.requirements(&workload.id).await?;
    let not_found = || AppError::NotFound("This control".to_string());
    let requirement = requirements
        .iter()
        .find(|r| r.control_id == control_id)
        .ok_or_else(not_found)?;
    if let Some(archived) = archived_team(store, &workload).await? {
        let why = archived
            .message
            .unwrap_or_else(|| NOT_ATTESTABLE.to_string());
        return Err(AppError::Conflict(why));
    }
    if !attestable(
        workload.phase,
        requirement.applicable,
        requirement.effective_min_phase,
    ) {
        return Err(AppError::Conflict(NOT_ATTESTABLE.to_string()));
    }
    let catalog = store
        .catalog_version(&requirement.catalog_version_id)
        .await?;
    let control = catalog.control(control_id).ok_or_else(not_found)?.clone();
    // The cadence of the phase that requires it: attesting ahead for the next phase gets that
    // phase's.
    let required_at = workload.phase.max(requirement.effective_min_phase);
    let cadence_days = catalog.cadence(&control).days(required_at);
    Ok(Target {
        workload,
        control,
        required_at,
        cadence_days,
    })
}

/// The requirement's attestations, newest first.
async fn history(
    store: &dyn Store,
    workload: &WorkloadId,
    control_id: &str,
) -> Result<Vec<AttestationRecord>, AppError> {
    let mut all = store.attestations_of(workload).await?;
    all.retain(|a| a.control_id == control_id);
    Ok(all)
}

/// Why a second submission is refused while one awaits review.
const PENDING: &str = "An attestation of this control awaits review: its decision comes \
                       first, and a rejection can then be answered by resubmitting.";

/// The attest form of `control_id` on workload `id`: the control, the default dates, the
/// references to choose from, and — after a rejection — the rejected claim's values to
/// correct, beside the reviewer's comment.
pub async fn attest_form(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    control_id: &str,
) -> Result<AttestFormView, AppError> {
    let t = target(store, caller, id, control_id).await?;
    let history = history(store, &t.workload.id, control_id).await?;
    let latest = history.first();
    let today = chrono::Utc::now();
    let form = latest
        .filter(|a| a.decision.as_ref().is_some_and(|d| !d.approved))
        .map(resubmission)
        .unwrap_or_default();
    let d = &t.workload.draft;
    Ok(AttestFormView {
        workload_id: t.workload.id.0.clone(),
        workload_name: d.name.clone(),
        control_id: t.control.id.clone(),
        title: t.control.title.clone(),
        layer: t.control.layer,
        objective: t.control.objective.clone(),
        guidance: t.control.guidance.clone(),
        evidence_hints: t.control.evidence.clone(),
        required_at: t.required_at,
        cadence_days: t.cadence_days,
        today: today.format("%Y-%m-%d").to_string(),
        default_expiry: default_expiry(today, t.cadence_days)
            .format("%Y-%m-%d")
            .to_string(),
        statuses: AttestationStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string()))
            .collect(),
        artifacts: artifact_choices(&d.model_refs, &d.dataset_refs),
        pending: latest.is_some_and(|a| a.decision.is_none()),
        latest: latest.map(super::requirements::attestation_view),
        form,
    })
}

/// A rejected claim's values, to correct and send again: its dates start afresh.
fn resubmission(a: &AttestationRecord) -> AttestationForm {
    let links = a
        .evidence
        .iter()
        .filter(|e| e.withdrawn_at.is_none())
        .filter_map(|e| e.url.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let note = a
        .evidence
        .iter()
        .filter(|e| e.withdrawn_at.is_none())
        .find_map(|e| e.note.clone())
        .unwrap_or_default();
    AttestationForm {
        status: a.status.code().to_string(),
        statement: a.statement.clone(),
        justification: a.justification.clone(),
        inherited_from: a.inherited_from.clone(),
        effective: String::new(),
        expiry: String::new(),
        artifact: a
            .artifact
            .as_ref()
            .map(|x| artifact_code(x.kind, &x.name))
            .unwrap_or_default(),
        links,
        note,
    }
}

/// Whether `caller` may attest anywhere: what a form route checks before it reads a body
/// (`attest` checks the workload itself).
pub fn may_attest(caller: &Principal) -> Result<(), AppError> {
    require(caller, Action::ChangeWorkloads).map(|_| ())
}

/// Submits an attestation of `control_id` on workload `id` for review; returns its id.
#[tracing::instrument(skip_all, fields(workload.id = %id, control.id = control_id))]
pub async fn attest(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    control_id: &str,
    form: &AttestationForm,
) -> Result<Outcome<String>, AppError> {
    let t = target(store, caller, id, control_id).await?;
    let workload = t.workload;
    let cx = Context {
        cadence_days: t.cadence_days,
        models: &workload.draft.model_refs,
        datasets: &workload.draft.dataset_refs,
        today: chrono::Utc::now().date_naive(),
    };
    let valid = match form.validate(&cx) {
        Ok(v) => v,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    let new = new_attestation(&workload, control_id, valid);
    match store.submit_attestation(&new, caller).await? {
        Submitted::Done(id) => Ok(Outcome::Done(id)),
        Submitted::Pending => Ok(Outcome::Refused(Refusal::message(PENDING))),
    }
}

/// The submission of a validated attest form: its links and note become evidence items of the
/// workload's team.
pub fn new_attestation(
    workload: &Workload,
    control_id: &str,
    valid: ValidAttestation,
) -> NewAttestation {
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
    NewAttestation {
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
    }
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
