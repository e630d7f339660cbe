//! The demo organization's year of history on both backends: every state of design §3.2 but
//! `excepted` (exceptions come with the evidence library) is there — expired both by time and
//! by a model change, rejected with a comment and some answered by a resubmission — claimed by
//! contributors of each workload's team and decided by security leads who neither made the
//! claim nor own the workload; and the stored form of every demo requirement equals the pure
//! rules at several instants.

use crate::attestation_store::{pure, stored};
use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::policy::{GrantScope, Role};
use app::domain::requirement_state::RequirementState;
use app::domain::UserId;
use app::ports::{AttestationRecord, SharedStore};
use chrono::{TimeDelta, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

async fn the_demo_has_a_year_of_governance_in_every_state(t: &TestDb) {
    let s: SharedStore = Arc::new(t.db.clone());
    strata_server::catalog::load_starter(&s, &by("test"))
        .await
        .expect("catalog");
    let seeded = strata_server::demo::seed(&s).await.expect("seed");
    let now = Utc::now();
    let page = s
        .list_workloads(
            &app::domain::listing::WorkloadQuery {
                per_page: 100,
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    assert_eq!(page.rows.len(), seeded.workloads);
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut by_model, mut by_time, mut answered, mut attestations) = (0, 0, 0, 0);
    let mut oldest = now;
    for row in &page.rows {
        let w = s
            .get_workload(&row.id)
            .await
            .expect("read")
            .expect("exists");
        let all = s.attestations_of(&w.id).await.expect("attestations");
        attestations += all.len();
        let owners: Vec<&UserId> = std::iter::once(&w.draft.primary_owner)
            .chain(&w.draft.other_owners)
            .collect();
        for a in &all {
            oldest = oldest.min(a.submitted_at);
            check_people(&s, a, &w.draft.team_id, &owners).await;
        }
        let states = s.states_now(&w.id, now).await.expect("states");
        for r in s.requirements(&w.id).await.expect("requirements") {
            if !r.required {
                continue;
            }
            let of: Vec<AttestationRecord> = all
                .iter()
                .filter(|a| a.control_id == r.control_id)
                .cloned()
                .collect();
            let Some(state) = states.iter().find(|x| x.control_id == r.control_id) else {
                assert!(of.is_empty(), "{}: attested, so stored", r.control_id);
                *counts.entry("gap").or_default() += 1;
                continue;
            };
            *counts.entry(state.state.code()).or_default() += 1;
            if state.state == RequirementState::Expired {
                if state.reason.starts_with("Model changed from") {
                    by_model += 1;
                } else {
                    by_time += 1;
                }
            }
            // A rejection answered by a later submission.
            let mut oldest_first = of.clone();
            oldest_first.sort_by_key(|a| a.submitted_at);
            if oldest_first
                .windows(2)
                .any(|p| p[0].decision.as_ref().is_some_and(|d| !d.approved))
            {
                answered += 1;
            }
            // The stored form equals the rules now and at later instants.
            for days in [0, 10, 20, 31, 45, 100, 400] {
                let at = now + TimeDelta::days(days);
                assert_eq!(
                    stored(&s, &w, &r.control_id, at).await,
                    pure(&of, &w, at),
                    "{} on {} at {days} days",
                    r.control_id,
                    w.draft.name
                );
            }
        }
    }
    assert_eq!(attestations, seeded.attestations);
    for state in RequirementState::ALL {
        if *state == RequirementState::Excepted {
            continue;
        }
        assert!(
            counts.get(state.code()).is_some_and(|n| *n > 0),
            "no requirement is {state:?}: {counts:?}"
        );
    }
    assert!(
        by_model > 0 && by_time > 0,
        "expired by model {by_model}, by time {by_time}"
    );
    assert!(answered > 0, "a rejection answered by a resubmission");
    assert!(
        now - oldest > TimeDelta::days(300) && now - oldest <= TimeDelta::days(366),
        "a year of history: the oldest claim is from {oldest}"
    );
}

/// The claim was made by a contributor of the workload's team; its decision, if any, by a
/// security lead who neither made it nor owns the workload.
async fn check_people(
    s: &SharedStore,
    a: &AttestationRecord,
    team: &app::domain::TeamId,
    owners: &[&UserId],
) {
    let submitter = a.submitted_by.as_ref().expect("a person submitted it");
    let grants = s.grants(submitter).await.expect("grants");
    assert!(
        grants
            .iter()
            .any(|g| g.role() == Role::Contributor && *g.scope() == GrantScope::Team(team.clone())),
        "{} was submitted by a contributor of the team",
        a.id
    );
    let Some(decision) = &a.decision else {
        return;
    };
    let decider = a.decided_by.as_ref().expect("a person decided it");
    assert_ne!(decider, submitter, "nobody decides their own");
    assert!(
        !owners.contains(&decider),
        "nobody decides about what they own"
    );
    let grants = s.grants(decider).await.expect("grants");
    assert!(grants.iter().any(|g| g.role() == Role::SecurityLead));
    assert!(decision.at > a.submitted_at);
}

on_both_backends!(the_demo_has_a_year_of_governance_in_every_state);
