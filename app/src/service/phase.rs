//! Changing a workload's phase: its own action, never a field of the edit form. The rules that
//! decide (no phase beyond the ends; a prohibited practice is never promoted) are enforced here.

use super::workloads::load;
use super::{Outcome, Refusal};
use crate::domain::applicability::promotion_blocker;
use crate::domain::phase::PhaseDirection;
use crate::domain::{Principal, WorkloadId};
use crate::error::AppError;
use crate::ports::{Store, StoreError};

/// Promotes or demotes a workload by one phase, if it is still at `revision`.
#[tracing::instrument(skip_all, fields(workload.id = %id, direction = direction.code()))]
pub async fn change_phase(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    revision: i64,
    direction: PhaseDirection,
) -> Result<Outcome<()>, AppError> {
    let current = load(store, caller, id).await?;
    if direction == PhaseDirection::Promote {
        if let Some(blocked) = promotion_blocker(&current.draft.attributes) {
            return Ok(Outcome::Refused(Refusal::message(blocked)));
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
    match store.change_phase(id, revision, to, caller).await {
        Ok(_) => Ok(Outcome::Done(())),
        Err(StoreError::StaleRevision { .. }) => Ok(Outcome::Refused(Refusal::message(
            "The workload changed since this page was opened; nothing was changed. \
             Check its phase below and try again.",
        ))),
        Err(e) => Err(e.into()),
    }
}
