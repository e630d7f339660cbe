//! Changing a workload's phase: its own action, never a field of the edit form. The rules that
//! decide are enforced here: no phase beyond the ends; a prohibited practice is never promoted;
//! a contributor promotes only when nothing required is open, a security lead may promote with
//! open requirements giving the reason (kept with the version), and only a security lead
//! demotes. `actions` says the same to the page, so it offers no button that would be refused.

use super::authorize::require_on;
use super::requirements::{for_workload, open_for_promotion};
use super::workloads::load_for;
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

/// The answer to a phase change made on a version that is no longer the current one.
const STALE: &str = "The workload changed since this page was opened; nothing was changed. \
                     Check its phase below and try again.";

/// Whether `caller` owns `workload` (primary or other owner): a reviewer never approves their
/// own (design §1).
pub fn owns(caller: &Principal, workload: &Workload) -> bool {
    caller.person().is_some_and(|p| {
        workload.draft.primary_owner == p.id || workload.draft.other_owners.contains(&p.id)
    })
}

/// Why a security lead may not promote their own workload with `open` requirements.
fn own(open: usize) -> String {
    format!(
        "{open} controls would be open, and you own this workload: another security lead \
         must approve promoting it."
    )
}

/// Why a person who does not review may not promote with `open` requirements.
fn blocked(open: usize) -> String {
    format!(
        "{open} controls would be open after promoting. Until they are attested, only a \
         security lead can promote this workload, giving the reason."
    )
}

/// What `caller` may do with `workload`, which has `open` required controls open.
pub fn actions(caller: &Principal, workload: &Workload, open: usize) -> WorkloadActions {
    let change = may(caller, Action::ChangeWorkloads, workload);
    let review = may(caller, Action::Review, workload);
    let promote = match (change, workload.phase.next(), open) {
        (false, _, _) | (_, None, _) => Promote::No,
        (true, Some(_), 0) => Promote::Directly,
        (true, Some(_), open) if review && owns(caller, workload) => Promote::Blocked(own(open)),
        (true, Some(_), open) if review => Promote::WithReason { open },
        (true, Some(_), open) => Promote::Blocked(blocked(open)),
    };
    WorkloadActions {
        edit: change,
        attest: change,
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
    let action = match direction {
        PhaseDirection::Promote => Action::ChangeWorkloads,
        PhaseDirection::Demote => Action::Review,
    };
    let current = load_for(store, caller, id, action).await?;
    // Authorized on this version: a write on top of another one is refused as stale.
    if current.revision != revision {
        return Ok(Outcome::Refused(Refusal::message(STALE)));
    }
    if let Some(archived) = super::workloads::archived_team(store, &current).await? {
        return Ok(Outcome::Refused(archived));
    }
    let mut note = None;
    if direction == PhaseDirection::Promote {
        if let Some(blocked) = promotion_blocker(&current.draft.attributes) {
            return Ok(Outcome::Refused(Refusal::message(blocked)));
        }
        let (requirements, readiness) = for_workload(store, &current).await?;
        let open = open_for_promotion(&requirements, readiness.as_ref());
        if open > 0 {
            if !may(caller, Action::Review, &current) {
                return Ok(Outcome::Refused(Refusal::message(blocked(open))));
            }
            if owns(caller, &current) {
                return Ok(Outcome::Refused(Refusal::message(own(open))));
            }
            let reason = reason.trim();
            if reason.is_empty() {
                return Ok(Outcome::Refused(Refusal::message(format!(
                    "Give the reason for promoting with {open} controls open."
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
        Err(StoreError::StaleRevision { .. }) => Ok(Outcome::Refused(Refusal::message(STALE))),
        Err(e) => Err(e.into()),
    }
}
