//! Attestations on both backends: a submission is stored with its evidence and audited, a
//! decision is made once (of two reviewers deciding at once exactly one wins), the stored
//! states equal the pure rules at several instants, and a claim about a model stops being in
//! force when the workload's model changes — with no job, in the workload's own transaction.

use crate::on_both_backends;
use crate::support::{by, unattested_required, TestDb};
use app::domain::attestation::{ArtifactClaim, ArtifactKind, AttestationStatus};
use app::domain::attestation_form::AttestationForm;
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::requirement_state::{
    requirement_state, EvidenceStanding, Records, RequirementState, Submission,
};
use app::domain::workload::{ArtifactRef, Workload};
use app::domain::{Person, Principal, UserId};
use app::error::AppError;
use app::ports::{AttestationRecord, Decided, NewAttestation, NewEvidence, SharedStore, Submitted};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Arc;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

fn person(id: &str, name: &str) -> Principal {
    Principal::Person(Person {
        id: UserId(id.into()),
        name: name.into(),
        email: format!("{}@example.org", name.to_lowercase()),
        grants: Vec::new(),
        must_change_password: false,
        must_enrol_second_factor: false,
    })
}

/// A demo workload with a model reference, and one of its applicable controls.
async fn workload_and_control(s: &SharedStore) -> (Workload, String) {
    strata_server::catalog::load_starter(s, &by("test"))
        .await
        .expect("catalog");
    strata_server::demo::seed(s).await.expect("seed");
    let page = s
        .list_workloads(
            &Default::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    for row in &page.rows {
        let w = s
            .get_workload(&row.id)
            .await
            .expect("read")
            .expect("exists");
        if w.draft.model_refs.is_empty() {
            continue;
        }
        if let Some(control) = unattested_required(s, &w.id).await {
            return (w, control);
        }
    }
    panic!("no demo workload with a model and a required control nobody attested");
}

fn claim(w: &Workload, control: &str, artifact: bool) -> NewAttestation {
    let now = Utc::now();
    let model = &w.draft.model_refs[0];
    NewAttestation {
        workload_id: w.id.clone(),
        team_id: w.draft.team_id.clone(),
        control_id: control.into(),
        status: AttestationStatus::Implemented,
        statement: "Access is reviewed every quarter.".into(),
        justification: String::new(),
        inherited_from: String::new(),
        effective: now - TimeDelta::days(1),
        expiry: now + TimeDelta::days(90),
        artifact: artifact.then(|| ArtifactClaim {
            kind: ArtifactKind::Model,
            name: model.name.clone(),
            version: model.version.clone(),
            digest: model.digest.clone(),
        }),
        evidence: vec![
            NewEvidence::Link {
                title: "Review ticket".into(),
                url: "https://tickets.example.org/SEC-1".into(),
            },
            NewEvidence::Note {
                title: "How".into(),
                text: "Quarterly review in the access tool.".into(),
            },
        ],
    }
}

/// The pure rules over what the store holds for the requirement.
pub(crate) fn pure(
    records: &[AttestationRecord],
    w: &Workload,
    t: DateTime<Utc>,
) -> RequirementState {
    let submissions: Vec<Submission> = records
        .iter()
        .map(|a| Submission {
            id: a.id.clone(),
            status: a.status,
            submitted_at: a.submitted_at,
            effective: a.effective,
            expiry: a.expiry,
            artifact: a.artifact.clone(),
            evidence: a.evidence.iter().map(|e| e.id.clone()).collect(),
            decision: a.decision.clone(),
        })
        .collect();
    let evidence: Vec<EvidenceStanding> = records
        .iter()
        .flat_map(|a| &a.evidence)
        .map(|e| EvidenceStanding {
            id: e.id.clone(),
            withdrawn_at: e.withdrawn_at,
            expires_at: e.expires_at,
        })
        .collect();
    let artifacts: Vec<_> = w
        .draft
        .model_refs
        .iter()
        .map(|m| app::domain::requirement_state::ArtifactPeriod {
            artifact: ArtifactClaim {
                kind: ArtifactKind::Model,
                name: m.name.clone(),
                version: m.version.clone(),
                digest: m.digest.clone(),
            },
            from: DateTime::<Utc>::MIN_UTC,
            until: None,
        })
        .collect();
    let r = Records {
        submissions: &submissions,
        evidence: &evidence,
        exceptions: &[],
        artifacts: &artifacts,
    };
    requirement_state(&r, t).state
}

pub(crate) async fn stored(
    s: &SharedStore,
    w: &Workload,
    control: &str,
    t: DateTime<Utc>,
) -> RequirementState {
    s.states_now(&w.id, t)
        .await
        .expect("states")
        .into_iter()
        .find(|st| st.control_id == control)
        .map_or(RequirementState::Gap, |st| st.state)
}

async fn a_submission_is_stored_with_its_evidence_reviewed_once_and_its_states_follow(t: &TestDb) {
    let s = store(t);
    let (w, control) = workload_and_control(&s).await;
    let ada = person("0192e4a0-0000-7000-8000-0000000000a1", "Ada");
    let lead = person("0192e4a0-0000-7000-8000-0000000000b1", "Bo");
    let id = s
        .submit_attestation(&claim(&w, &control, false), &ada)
        .await
        .expect("submitted")
        .id()
        .expect("stored");
    let record = s.attestation(&id).await.expect("read").expect("found");
    assert_eq!(record.evidence.len(), 2);
    assert!(record
        .evidence
        .iter()
        .any(|e| e.url.as_deref() == Some("https://tickets.example.org/SEC-1")));
    assert_eq!(record.submitted_by_name, "Ada");
    assert_eq!(record.decision, None);
    let event = s.recent_events(1).await.expect("events").remove(0);
    assert_eq!(
        (event.action.as_str(), event.entity.as_str()),
        ("attestation.submit", id.as_str())
    );
    assert_eq!(event.team_id.as_ref(), Some(&w.draft.team_id));
    let now = Utc::now();
    assert_eq!(
        stored(&s, &w, &control, now).await,
        RequirementState::PendingReview
    );

    // Two reviewers at once: exactly one decision wins.
    let cy = person("0192e4a0-0000-7000-8000-0000000000b2", "Cy");
    let (a, b) = tokio::join!(
        s.decide_attestation(&id, true, "", &lead),
        s.decide_attestation(&id, false, "Not enough", &cy),
    );
    let outcomes = [a.expect("decided"), b.expect("decided")];
    let done: Vec<&AttestationRecord> = outcomes
        .iter()
        .filter_map(|d| match d {
            Decided::Done(r) => Some(r),
            Decided::Already(_) => None,
        })
        .collect();
    assert_eq!(done.len(), 1, "{outcomes:?}");
    let decided = s.attestation(&id).await.expect("read").expect("found");
    let approved = decided.decision.as_ref().expect("decided").approved;
    let events = s.recent_events(3).await.expect("events");
    let decisions = events
        .iter()
        .filter(|e| e.action == "attestation.approve" || e.action == "attestation.reject")
        .filter(|e| e.entity == id)
        .count();
    assert_eq!(decisions, 1, "one decision, one event");

    // The stored states equal the rules at several instants.
    let records = s.attestations_of(&w.id).await.expect("list");
    let of_control: Vec<AttestationRecord> = records
        .into_iter()
        .filter(|a| a.control_id == control)
        .collect();
    for days in [0, 30, 60, 61, 89, 90, 91, 400] {
        let at = Utc::now() + TimeDelta::days(days);
        assert_eq!(
            stored(&s, &w, &control, at).await,
            pure(&of_control, &w, at),
            "{days} days on (approved: {approved})"
        );
    }
    let expected_now = if approved {
        RequirementState::Satisfied
    } else {
        RequirementState::Rejected
    };
    assert_eq!(stored(&s, &w, &control, Utc::now()).await, expected_now);
}

async fn a_claim_about_a_model_ends_when_the_workloads_model_changes(t: &TestDb) {
    let s = store(t);
    let (w, control) = workload_and_control(&s).await;
    let ada = person("0192e4a0-0000-7000-8000-0000000000a1", "Ada");
    let lead = person("0192e4a0-0000-7000-8000-0000000000b1", "Bo");
    let id = s
        .submit_attestation(&claim(&w, &control, true), &ada)
        .await
        .expect("submitted")
        .id()
        .expect("stored");
    s.decide_attestation(&id, true, "", &lead)
        .await
        .expect("approved");
    assert_eq!(
        stored(&s, &w, &control, Utc::now()).await,
        RequirementState::Satisfied
    );

    let mut draft = w.draft.clone();
    let old = draft.model_refs[0].clone();
    draft.model_refs[0] = ArtifactRef {
        version: format!("{}-next", old.version),
        ..old.clone()
    };
    s.update_workload(&w.id, w.revision, &draft, &by("test"))
        .await
        .expect("updated");
    let states = s.states_now(&w.id, Utc::now()).await.expect("states");
    let st = states
        .iter()
        .find(|st| st.control_id == control)
        .expect("state");
    assert_eq!(st.state, RequirementState::Expired);
    assert!(
        st.reason
            .contains(&format!("Model changed from {}", old.name))
            && st.reason.contains(&format!("{}-next", old.version)),
        "{}",
        st.reason
    );
}

fn with_grants(id: &str, name: &str, grants: Vec<Grant>) -> Principal {
    match person(id, name) {
        Principal::Person(p) => Principal::Person(Person { grants, ..p }),
        other => other,
    }
}

/// The use cases: a contributor of the team attests, a contributor of another team may not, a
/// lead does not review their own claim, a rejection needs a comment, a second decision is
/// told who decided first, and a control that does not apply is refused.
async fn attesting_and_reviewing_follow_the_policy(t: &TestDb) {
    use app::service::attestations::{attest, decide};
    use app::service::Outcome;
    let s = store(t);
    let (w, control) = workload_and_control(&s).await;
    let team = w.draft.team_id.clone();
    let contributor = with_grants(
        "0192e4a0-0000-7000-8000-0000000000c1",
        "Cleo",
        vec![Grant::new(Role::Contributor, GrantScope::Team(team.clone())).expect("grant")],
    );
    let outsider = with_grants(
        "0192e4a0-0000-7000-8000-0000000000c2",
        "Otto",
        vec![Grant::new(
            Role::Contributor,
            GrantScope::Team(app::domain::TeamId(
                "0192e4a0-0000-7000-8000-0000000000ff".into(),
            )),
        )
        .expect("grant")],
    );
    let lead = |id: &str, name: &str| {
        with_grants(
            id,
            name,
            vec![Grant::new(Role::SecurityLead, GrantScope::Organization).expect("grant")],
        )
    };
    let (lead_a, lead_b) = (
        lead("0192e4a0-0000-7000-8000-0000000000d1", "Dana"),
        lead("0192e4a0-0000-7000-8000-0000000000d2", "Eli"),
    );
    let form = AttestationForm {
        status: "implemented".into(),
        statement: "Quarterly access review.".into(),
        links: "https://tickets.example.org/SEC-9".into(),
        ..Default::default()
    };
    let refused = attest(&*s, &outsider, &w.id, &control, &form).await;
    assert!(matches!(refused, Err(AppError::NotFound(_))), "{refused:?}");
    let bad = AttestationForm {
        links: "javascript:alert(1)".into(),
        ..form.clone()
    };
    let Outcome::Refused(r) = attest(&*s, &contributor, &w.id, &control, &bad)
        .await
        .expect("ran")
    else {
        panic!("a bad link is refused");
    };
    assert!(r.errors.get("links").is_some());
    let unknown = attest(&*s, &contributor, &w.id, "NO-SUCH-1", &form).await;
    assert!(
        matches!(unknown, Err(AppError::NotFound(_))),
        "an unknown control is not found: {unknown:?}"
    );
    let Outcome::Done(id) = attest(&*s, &contributor, &w.id, &control, &form)
        .await
        .expect("ran")
    else {
        panic!("the team's contributor attests");
    };
    // A second submission waits for the first one's decision.
    let Outcome::Refused(r) = attest(&*s, &lead_a, &w.id, &control, &form)
        .await
        .expect("ran")
    else {
        panic!("one submission awaits review at a time");
    };
    assert!(r.message.expect("why").contains("awaits review"));
    // The lead's own submission (of another control) is not theirs to review.
    let attested = s.attestations_of(&w.id).await.expect("attestations");
    let other = s
        .requirements(&w.id)
        .await
        .expect("requirements")
        .into_iter()
        .find(|r| {
            r.control_id != control
                && !attested.iter().any(|a| a.control_id == r.control_id)
                && app::domain::attestation::attestable(
                    w.phase,
                    r.applicable,
                    r.effective_min_phase,
                )
        })
        .expect("a second control to attest")
        .control_id;
    let Outcome::Done(own) = attest(&*s, &lead_a, &w.id, &other, &form)
        .await
        .expect("ran")
    else {
        panic!("a lead attests");
    };
    let Outcome::Refused(r) = decide(&*s, &lead_a, &own, true, "").await.expect("ran") else {
        panic!("not their own");
    };
    assert!(r.message.expect("why").contains("another security lead"));
    // Nor does a lead decide about a workload they own.
    let owner = with_grants(
        w.draft.primary_owner.as_str(),
        "Owner",
        vec![Grant::new(Role::SecurityLead, GrantScope::Organization).expect("grant")],
    );
    let Outcome::Refused(r) = decide(&*s, &owner, &id, true, "").await.expect("ran") else {
        panic!("not about their own workload");
    };
    assert!(r.message.expect("why").contains("You own this workload"));
    let Outcome::Refused(r) = decide(&*s, &lead_a, &id, false, "  ").await.expect("ran") else {
        panic!("a rejection needs a comment");
    };
    assert!(r.errors.get("comment").is_some());
    assert!(matches!(
        decide(&*s, &contributor, &id, true, "").await,
        Err(AppError::Forbidden)
    ));
    let Outcome::Done(done) = decide(&*s, &lead_a, &id, false, "Attach the review record.")
        .await
        .expect("ran")
    else {
        panic!("rejected");
    };
    assert_eq!(done.decided_by_name.as_deref(), Some("Dana"));
    let Outcome::Refused(r) = decide(&*s, &lead_b, &id, true, "").await.expect("ran") else {
        panic!("decided once");
    };
    assert!(r
        .message
        .expect("why")
        .contains("Dana rejected this attestation"));
}

/// Two submissions of one requirement sent at once: one is stored, the other is told that one
/// awaits review, and nothing of it is stored.
async fn of_two_submissions_at_once_one_awaits_review(t: &TestDb) {
    let s = store(t);
    let (w, control) = workload_and_control(&s).await;
    let ada = person("0192e4a0-0000-7000-8000-0000000000a1", "Ada");
    let cy = person("0192e4a0-0000-7000-8000-0000000000a2", "Cy");
    let (first, second) = (claim(&w, &control, false), claim(&w, &control, false));
    let (a, b) = tokio::join!(
        s.submit_attestation(&first, &ada),
        s.submit_attestation(&second, &cy),
    );
    let outcomes = [a.expect("ran"), b.expect("ran")];
    let done = outcomes
        .iter()
        .filter(|o| matches!(o, Submitted::Done(_)))
        .count();
    assert_eq!(done, 1, "{outcomes:?}");
    assert!(outcomes.contains(&Submitted::Pending), "{outcomes:?}");
    let of_control = s
        .attestations_of(&w.id)
        .await
        .expect("attestations")
        .into_iter()
        .filter(|a| a.control_id == control)
        .count();
    assert_eq!(of_control, 1);
}

on_both_backends!(
    a_submission_is_stored_with_its_evidence_reviewed_once_and_its_states_follow,
    a_claim_about_a_model_ends_when_the_workloads_model_changes,
    attesting_and_reviewing_follow_the_policy,
    of_two_submissions_at_once_one_awaits_review
);
