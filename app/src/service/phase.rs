//! Changing a workload's phase: its own action, never a field of the edit form. The rules that
//! decide are enforced here: no phase beyond the ends; a prohibited practice is never promoted;
//! a contributor promotes only when nothing required is open, a security lead may promote with
//! open requirements giving the reason (kept with the version), and only a security lead
//! demotes. `actions` says the same to the page, so it offers no button that would be refused.

use super::authorize::require_on;
use super::workloads::load;
use super::{Outcome, Refusal};
use crate::domain::applicability::promotion_blocker;
use crate::domain::phase::{PhaseDirection, REASON_MAX};
use crate::domain::policy::Action;
use crate::domain::text::is_single_line;
use crate::domain::workload::Workload;
use crate::domain::{Principal, WorkloadId};
use crate::dto::{Promote, WorkloadActions};
use crate::error::AppError;
use crate::ports::{Store, StoreError};

fn may(caller: &Principal, action: Action, workload: &Workload) -> bool {
    require_on(caller, action, &workload.draft.team_id, "").is_ok()
}

/// Why a person who does not review may not promote with `open` requirements.
fn blocked(open: usize) -> String {
    format!(
        "{open} required controls are open. Until they are attested, only a security lead \
         can promote this workload, giving the reason."
    )
}

/// What `caller` may do with `workload`, which has `open` required controls open.
pub fn actions(caller: &Principal, workload: &Workload, open: usize) -> WorkloadActions {
    let change = may(caller, Action::ChangeWorkloads, workload);
    let review = may(caller, Action::Review, workload);
    let promote = match (change, workload.phase.next(), open) {
        (false, _, _) | (_, None, _) => Promote::No,
        (true, Some(_), 0) => Promote::Directly,
        (true, Some(_), open) if review => Promote::WithReason { open },
        (true, Some(_), open) => Promote::Blocked(blocked(open)),
    };
    WorkloadActions {
        edit: change,
        promote,
        demote: review && workload.phase.previous().is_some(),
    }
}

/// Promotes or demotes a workload by one phase, if it is still at `revision`; `reason` is
/// required to promote with open requirements.
#[tracing::instrument(skip_all, fields(workload.id = %id, direction = direction.code()))]
pub async fn change_phase(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    revision: i64,
    direction: PhaseDirection,
    reason: &str,
) -> Result<Outcome<()>, AppError> {
    let current = load(store, caller, id).await?;
    let team = &current.draft.team_id;
    let mut note = None;
    match direction {
        PhaseDirection::Promote => {
            require_on(caller, Action::ChangeWorkloads, team, "This workload")?;
            if let Some(blocked) = promotion_blocker(&current.draft.attributes) {
                return Ok(Outcome::Refused(Refusal::message(blocked)));
            }
            let open = store
                .requirements(id)
                .await?
                .iter()
                .filter(|r| r.required)
                .count();
            if open > 0 {
                if !may(caller, Action::Review, &current) {
                    return Ok(Outcome::Refused(Refusal::message(blocked(open))));
                }
                let reason = reason.trim();
                if reason.is_empty() {
                    return Ok(Outcome::Refused(Refusal::message(format!(
                        "Give the reason for promoting with {open} required controls open."
                    ))));
                }
                if reason.chars().count() > REASON_MAX || !is_single_line(reason) {
                    return Ok(Outcome::Refused(Refusal::message(format!(
                        "The reason must be one line of at most {REASON_MAX} characters."
                    ))));
                }
                note = Some(reason.to_string());
            }
        }
        PhaseDirection::Demote => require_on(caller, Action::Review, team, "This workload")?,
    }
    let target = match direction {
        PhaseDirection::Promote => current.phase.next(),
        PhaseDirection::Demote => current.phase.previous(),
    };
    let Some(to) = target else {
        return Ok(Outcome::Refused(Refusal::message(format!(
            "A workload in {} cannot be {}d further.",
            current.phase,
            direction.code()
        ))));
    };
    match store
        .change_phase(id, revision, to, note.as_deref(), caller)
        .await
    {
        Ok(_) => Ok(Outcome::Done(())),
        Err(StoreError::StaleRevision { .. }) => Ok(Outcome::Refused(Refusal::message(
            "The workload changed since this page was opened; nothing was changed. \
             Check its phase below and try again.",
        ))),
        Err(e) => Err(e.into()),
    }
}
