//! Verifications started from the audit page, run in the background so that a long chain does
//! not hold a request: each reports its progress until it ends. They are rows of the store
//! (`VerificationStore`), not a server's memory, so any server answers how far one got, and the
//! limits hold across servers: a person has one running at a time (asking again follows it),
//! and only a few run at once, since each reads the whole chain. The server that runs one
//! renews its lease with each page; one whose server stopped shows as stopped.

use super::audit::verify_chain;
use super::authorize::require;
use crate::domain::audit_chain::Anchor;
use crate::domain::policy::Action;
use crate::domain::Principal;
use crate::dto::VerifyJobView;
use crate::error::AppError;
use crate::ports::{SharedStore, Store, Verification, VerificationStart};
use chrono::{DateTime, TimeDelta, Utc};

/// Verifications running at once across the installation.
const RUNNING_AT_ONCE: u32 = 2;
/// How long a running verification is believed without news from its server; each page of
/// 5,000 events (a few tens of milliseconds) renews it.
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// How long finished verifications are kept for their owner to read.
const KEPT_FOR: TimeDelta = TimeDelta::days(1);

/// Who a verification belongs to: a person by id, anyone else by name.
fn owner_of(caller: &Principal) -> String {
    caller
        .person()
        .map_or_else(|| caller.actor_label().to_string(), |p| p.id.to_string())
}

/// Starts verifying the chain for `caller` — also against `anchors`, the heads of the
/// server's signed checkpoints — and returns the verification's number, or the number of the
/// one they have running already. Refused while `RUNNING_AT_ONCE` others run.
pub async fn start_verification(
    store: SharedStore,
    caller: Principal,
    anchors: Vec<Anchor>,
) -> Result<i64, AppError> {
    require(&caller, Action::ReadAuditChain)?;
    let now = Utc::now();
    let started = store
        .start_verification(
            &owner_of(&caller),
            now,
            now + LEASE,
            RUNNING_AT_ONCE,
            now - KEPT_FOR,
        )
        .await?;
    match started {
        VerificationStart::Running(id) => Ok(id),
        VerificationStart::Busy => Err(AppError::Conflict(
            "Other verifications of the chain are running; try again in a minute.".into(),
        )),
        VerificationStart::Started(id) => {
            tokio::spawn(run(store, caller, id, anchors));
            Ok(id)
        }
    }
}

/// Runs verification `id`, writing its progress as pages are checked and its outcome at the
/// end.
async fn run(store: SharedStore, caller: Principal, id: i64, anchors: Vec<Anchor>) {
    // The check reports progress synchronously; a companion task writes it to the store.
    let (tell, mut heard) = tokio::sync::watch::channel(0_u64);
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            while heard.changed().await.is_ok() {
                let checked = *heard.borrow_and_update();
                if let Err(e) = store
                    .verification_progress(id, checked, Utc::now() + LEASE)
                    .await
                {
                    tracing::warn!(error = %e, "verification progress not recorded");
                }
            }
        })
    };
    let result = verify_chain(&*store, &caller, &anchors, |n| {
        let _ = tell.send(n);
    })
    .await;
    drop(tell);
    let _ = writer.await;
    let (intact, checked, outcome) = match result {
        Ok(Ok(v)) => (
            true,
            v.events,
            format!(
                "The chain is intact: {} events, head {}; it reaches all {} signed daily \
                 checkpoints.",
                v.events,
                v.head.map_or_else(|| "none".to_string(), |h| h.to_string()),
                anchors.len()
            ),
        ),
        Ok(Err(b)) => (false, 0, format!("The chain is broken at {b}.")),
        Err(e) => (false, 0, format!("The verification could not run: {e}")),
    };
    if let Err(e) = store
        .finish_verification(id, checked, intact, &outcome, Utc::now())
        .await
    {
        tracing::error!(error = %e, "verification outcome not recorded");
    }
}

/// Verification `id` as its owner sees it; `None` for another person's or an unknown one.
pub async fn verification(
    store: &dyn Store,
    caller: &Principal,
    id: i64,
) -> Result<Option<VerifyJobView>, AppError> {
    require(caller, Action::ReadAuditChain)?;
    let found = store.verification(id).await?;
    Ok(found
        .filter(|v| v.owner == owner_of(caller))
        .map(|v| view_of(&v, Utc::now())))
}

/// What the page shows of a verification at `now`.
fn view_of(v: &Verification, now: DateTime<Utc>) -> VerifyJobView {
    match &v.finished {
        Some((intact, outcome)) => VerifyJobView {
            done: true,
            checked: v.checked,
            intact: *intact,
            outcome: Some(outcome.clone()),
        },
        None if v.lease_until <= now => VerifyJobView {
            done: true,
            checked: v.checked,
            intact: false,
            outcome: Some(format!(
                "The verification stopped after {} events without finishing (its server \
                 stopped); start it again.",
                v.checked
            )),
        },
        None => VerifyJobView {
            done: false,
            checked: v.checked,
            intact: false,
            outcome: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verification_whose_lease_ran_out_shows_as_stopped() {
        let now = Utc::now();
        let running = Verification {
            id: 1,
            owner: "ada".into(),
            checked: 5_000,
            lease_until: now + TimeDelta::seconds(30),
            finished: None,
        };
        let v = view_of(&running, now);
        assert!(!v.done && v.outcome.is_none());
        let stopped = view_of(&running, now + TimeDelta::minutes(1));
        assert!(stopped.done && !stopped.intact);
        assert!(stopped.outcome.expect("why").contains("stopped after 5000"));
        let finished = Verification {
            finished: Some((true, "The chain is intact.".into())),
            ..running
        };
        let v = view_of(&finished, now + TimeDelta::days(2));
        assert!(v.done && v.intact, "a finished one stays finished");
    }
}
