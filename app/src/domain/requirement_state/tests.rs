//! Every rule of design §3.2, their order, the records as known at the instant, and the
//! instant of the next change by itself.

use super::*;
use crate::domain::attestation::ArtifactKind;
use AttestationStatus::*;

fn day(n: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).expect("2026-01-01") + TimeDelta::days(n)
}

/// Submitted on `submitted`, in effect from then for a year.
fn submission(id: &str, status: AttestationStatus, submitted: i64) -> Submission {
    Submission {
        id: id.into(),
        status,
        submitted_at: day(submitted),
        effective: day(submitted),
        expiry: day(submitted + 365),
        artifact: None,
        evidence: vec![],
        decision: None,
    }
}

fn approved(mut s: Submission, on: i64) -> Submission {
    s.decision = Some(Decision {
        approved: true,
        at: day(on),
        comment: String::new(),
    });
    s
}

fn rejected(mut s: Submission, on: i64, comment: &str) -> Submission {
    s.decision = Some(Decision {
        approved: false,
        at: day(on),
        comment: comment.into(),
    });
    s
}

fn exception(from: i64, until: i64) -> ExceptionWindow {
    ExceptionWindow {
        id: "x1".into(),
        from: day(from),
        until: day(until),
        ended_at: None,
    }
}

fn at(submissions: &[Submission], exceptions: &[ExceptionWindow], t: i64) -> Assessed {
    let r = Records {
        submissions,
        evidence: &[],
        exceptions,
        artifacts: &[],
    };
    requirement_state(&r, day(t))
}

fn state(submissions: &[Submission], exceptions: &[ExceptionWindow], t: i64) -> RequirementState {
    at(submissions, exceptions, t).state
}

#[test]
fn rule_1_an_approved_implemented_or_inherited_claim_in_force_is_satisfied_then_expiring() {
    for status in [Implemented, Inherited] {
        let s = [approved(submission("a1", status, 0), 1)];
        let done = at(&s, &[], 10);
        assert_eq!(done.state, RequirementState::Satisfied);
        assert_eq!(
            done.because,
            Because::InForce {
                attestation: "a1".into(),
                until: day(365)
            }
        );
        assert!(
            done.reason().contains("valid until 2027-01-01"),
            "{}",
            done.reason()
        );
        assert_eq!(state(&s, &[], 334), RequirementState::Satisfied);
        assert_eq!(
            state(&s, &[], 335),
            RequirementState::Expiring,
            "30 days before"
        );
        assert_eq!(state(&s, &[], 364), RequirementState::Expiring);
    }
}

#[test]
fn rule_2_an_approved_not_applicable_claim_in_force_is_not_applicable() {
    let s = [approved(submission("a1", NotApplicable, 0), 1)];
    assert_eq!(state(&s, &[], 10), RequirementState::NotApplicable);
    assert_eq!(
        state(&s, &[], 364),
        RequirementState::NotApplicable,
        "no warning window"
    );
}

#[test]
fn rule_3_an_active_exception_is_excepted_only_while_active() {
    let e = [exception(5, 50)];
    assert_eq!(state(&[], &e, 4), RequirementState::Gap);
    let done = at(&[], &e, 5);
    assert_eq!(done.state, RequirementState::Excepted);
    assert!(
        done.reason().contains("until 2026-02-20"),
        "{}",
        done.reason()
    );
    assert_eq!(
        state(&[], &e, 50),
        RequirementState::Gap,
        "ended by its expiry"
    );
    let ended = [ExceptionWindow {
        ended_at: Some(day(20)),
        ..e[0].clone()
    }];
    assert_eq!(state(&[], &ended, 19), RequirementState::Excepted);
    assert_eq!(state(&[], &ended, 20), RequirementState::Gap, "ended early");
}

#[test]
fn rule_4_a_submission_newer_than_the_approved_one_awaits_review() {
    let first = [submission("a1", Implemented, 0)];
    assert_eq!(state(&first, &[], 1), RequirementState::PendingReview);
    // Over an approved partial claim, a newer submission awaits review.
    let over_partial = [
        approved(submission("a1", PartiallyImplemented, 0), 1),
        submission("a2", Implemented, 10),
    ];
    let done = at(&over_partial, &[], 11);
    assert_eq!(done.state, RequirementState::PendingReview);
    assert_eq!(
        done.because,
        Because::AwaitingReview {
            attestation: "a2".into()
        }
    );
    // An older submission still waiting does not count once a newer one was approved.
    let stale = [
        submission("a1", Implemented, 0),
        approved(submission("a2", PartiallyImplemented, 5), 6),
    ];
    assert_eq!(state(&stale, &[], 10), RequirementState::Partial);
}

#[test]
fn rule_5_the_latest_decision_newer_than_the_approved_one_being_a_rejection_is_rejected() {
    let s = [rejected(
        submission("a1", Implemented, 0),
        2,
        "No evidence of the scan.",
    )];
    let done = at(&s, &[], 3);
    assert_eq!(done.state, RequirementState::Rejected);
    assert_eq!(done.reason(), "Rejected: No evidence of the scan.");
    // Resubmitted: pending again; approved: satisfied.
    let again = [s[0].clone(), submission("a2", Implemented, 4)];
    assert_eq!(state(&again, &[], 5), RequirementState::PendingReview);
    let accepted = [s[0].clone(), approved(submission("a2", Implemented, 4), 6)];
    assert_eq!(state(&accepted, &[], 7), RequirementState::Satisfied);
    // A rejection older than the approved claim does not count.
    let older = [
        approved(submission("a1", PartiallyImplemented, 5), 6),
        rejected(submission("a0", Implemented, 0), 1, "no"),
    ];
    assert_eq!(state(&older, &[], 10), RequirementState::Partial);
    // A rejection of a newer claim over an approved partial one is shown.
    let newer = [
        approved(submission("a1", PartiallyImplemented, 0), 1),
        rejected(submission("a2", Implemented, 10), 12, "Not yet"),
    ];
    assert_eq!(state(&newer, &[], 13), RequirementState::Rejected);
}

#[test]
fn rule_6_an_approved_partial_claim_in_force_is_partial() {
    let s = [approved(submission("a1", PartiallyImplemented, 0), 1)];
    assert_eq!(state(&s, &[], 10), RequirementState::Partial);
    assert_eq!(
        state(&s, &[], 364),
        RequirementState::Partial,
        "no warning window"
    );
}

#[test]
fn rule_7_an_approved_claim_out_of_force_is_expired_with_its_reason() {
    let s = [approved(submission("a1", Implemented, 0), 1)];
    let lapsed = at(&s, &[], 365);
    assert_eq!(lapsed.state, RequirementState::Expired);
    assert_eq!(
        lapsed.reason(),
        "The approved attestation expired on 2027-01-01"
    );
    let mut later = submission("a1", Implemented, 0);
    later.effective = day(30);
    let early = at(&[approved(later, 1)], &[], 10);
    assert_eq!(early.state, RequirementState::Expired);
    assert!(early.reason().contains("takes effect on 2026-01-31"));
}

fn model(version: &str) -> ArtifactClaim {
    ArtifactClaim {
        kind: ArtifactKind::Model,
        name: "scorer".into(),
        version: version.into(),
        digest: String::new(),
    }
}

#[test]
fn rule_7_a_claim_about_an_artifact_ends_when_the_workloads_reference_changes() {
    let mut claim = submission("a1", Implemented, 0);
    claim.artifact = Some(model("1.0"));
    let s = [approved(claim, 1)];
    let history = [
        ArtifactPeriod {
            artifact: model("1.0"),
            from: day(-10),
            until: Some(day(40)),
        },
        ArtifactPeriod {
            artifact: model("2.0"),
            from: day(40),
            until: Some(day(60)),
        },
    ];
    let r = Records {
        submissions: &s,
        evidence: &[],
        exceptions: &[],
        artifacts: &history,
    };
    assert_eq!(
        requirement_state(&r, day(39)).state,
        RequirementState::Satisfied
    );
    let changed = requirement_state(&r, day(40));
    assert_eq!(changed.state, RequirementState::Expired);
    assert_eq!(
        changed.reason(),
        "Model changed from scorer 1.0 to scorer 2.0"
    );
    let gone = requirement_state(&r, day(60));
    assert_eq!(
        gone.reason(),
        "Model scorer 1.0 is no longer referenced by the workload"
    );
}

#[test]
fn rule_7_a_claim_rests_on_at_least_one_standing_evidence_item() {
    let mut claim = submission("a1", Implemented, 0);
    claim.evidence = vec!["e1".into(), "e2".into()];
    let s = [approved(claim, 1)];
    let evidence = [
        EvidenceStanding {
            id: "e1".into(),
            withdrawn_at: Some(day(20)),
            expires_at: None,
        },
        EvidenceStanding {
            id: "e2".into(),
            withdrawn_at: None,
            expires_at: Some(day(50)),
        },
    ];
    let r = Records {
        submissions: &s,
        evidence: &evidence,
        exceptions: &[],
        artifacts: &[],
    };
    assert_eq!(
        requirement_state(&r, day(30)).state,
        RequirementState::Satisfied,
        "e2 stands"
    );
    let gone = requirement_state(&r, day(50));
    assert_eq!(gone.state, RequirementState::Expired);
    assert!(gone.reason().contains("withdrawn or expired"));
    assert_eq!(next_change(&r, day(30)), Some(day(50)));
}

#[test]
fn rule_8_otherwise_a_gap_including_an_approved_not_implemented_claim() {
    let nothing = at(&[], &[], 0);
    assert_eq!(nothing.state, RequirementState::Gap);
    assert_eq!(nothing.because, Because::NothingApproved);
    let s = [approved(submission("a1", NotImplemented, 0), 1)];
    let done = at(&s, &[], 10);
    assert_eq!(done.state, RequirementState::Gap);
    assert_eq!(done.reason(), "Attested as not implemented");
}

#[test]
fn the_rules_apply_in_their_order() {
    let e = [exception(0, 100)];
    // 1 before 3: a claim in force wins over an exception.
    let s = [approved(submission("a1", Implemented, 0), 1)];
    assert_eq!(state(&s, &e, 10), RequirementState::Satisfied);
    // 2 before 3.
    let na = [approved(submission("a1", NotApplicable, 0), 1)];
    assert_eq!(state(&na, &e, 10), RequirementState::NotApplicable);
    // 3 before 4 and 5.
    let pending = [submission("a1", Implemented, 5)];
    assert_eq!(state(&pending, &e, 10), RequirementState::Excepted);
    let refused = [rejected(submission("a1", Implemented, 5), 6, "no")];
    assert_eq!(state(&refused, &e, 10), RequirementState::Excepted);
    // 3 before 6 and 7.
    let partial = [approved(submission("a1", PartiallyImplemented, 0), 1)];
    assert_eq!(state(&partial, &e, 10), RequirementState::Excepted);
    let lapsed = [approved(submission("a1", Implemented, -400), -399)];
    assert_eq!(state(&lapsed, &e, 10), RequirementState::Excepted);
    // 4 before 5: a resubmission after a rejection awaits review.
    let answered = [
        rejected(submission("a1", Implemented, 0), 1, "no"),
        submission("a2", Implemented, 2),
    ];
    assert_eq!(state(&answered, &[], 3), RequirementState::PendingReview);
    // 4 before 7: a new claim over a lapsed one awaits review.
    let renewing = [lapsed[0].clone(), submission("a2", Implemented, 5)];
    assert_eq!(state(&renewing, &[], 10), RequirementState::PendingReview);
    // 5 before 7.
    let refused_renewal = [
        lapsed[0].clone(),
        rejected(submission("a2", Implemented, 5), 6, "no"),
    ];
    assert_eq!(state(&refused_renewal, &[], 10), RequirementState::Rejected);
    // 1 before 4: an approved claim in force stays satisfied while a newer one is reviewed.
    let revising = [s[0].clone(), submission("a2", PartiallyImplemented, 20)];
    assert_eq!(state(&revising, &[], 21), RequirementState::Satisfied);
}

#[test]
fn records_count_as_they_were_known_at_the_instant() {
    let s = [approved(submission("a1", Implemented, 2), 5)];
    assert_eq!(
        state(&s, &[], 1),
        RequirementState::Gap,
        "not yet submitted"
    );
    assert_eq!(
        state(&s, &[], 3),
        RequirementState::PendingReview,
        "not yet approved"
    );
    assert_eq!(state(&s, &[], 5), RequirementState::Satisfied);
    // Approving an older claim after a newer one does not undo the newer claim.
    let both = [
        approved(submission("old", PartiallyImplemented, 0), 9),
        approved(submission("new", Implemented, 3), 4),
    ];
    assert_eq!(state(&both, &[], 10), RequirementState::Satisfied);
}

#[test]
fn the_next_change_by_itself_is_where_the_state_changes() {
    let s = [approved(submission("a1", Implemented, 0), 1)];
    let r = Records {
        submissions: &s,
        evidence: &[],
        exceptions: &[],
        artifacts: &[],
    };
    assert_eq!(
        next_change(&r, day(10)),
        Some(day(335)),
        "into the warning window"
    );
    assert_eq!(next_change(&r, day(335)), Some(day(365)), "expires");
    assert_eq!(next_change(&r, day(365)), None, "expired stays expired");
    let e = [exception(0, 100)];
    let r = Records {
        submissions: &[],
        evidence: &[],
        exceptions: &e,
        artifacts: &[],
    };
    assert_eq!(next_change(&r, day(10)), Some(day(100)));
    let none = Records {
        submissions: &[],
        evidence: &[],
        exceptions: &[],
        artifacts: &[],
    };
    assert_eq!(next_change(&none, day(0)), None);
}

#[test]
fn coverage_counts_satisfied_expiring_not_applicable_and_excepted() {
    let covered: Vec<_> = RequirementState::ALL
        .iter()
        .filter(|s| s.covers())
        .map(|s| s.code())
        .collect();
    assert_eq!(
        covered,
        ["satisfied", "expiring", "not_applicable", "excepted"]
    );
}

#[test]
fn the_timeline_holds_each_state_until_the_next_change_by_itself() {
    let s = [approved(submission("a1", Implemented, 0), 1)];
    let r = Records {
        submissions: &s,
        evidence: &[],
        exceptions: &[],
        artifacts: &[],
    };
    let stretches: Vec<_> = timeline(&r, day(10))
        .into_iter()
        .map(|s| (s.from, s.until, s.assessed.state))
        .collect();
    assert_eq!(
        stretches,
        [
            (day(10), Some(day(335)), RequirementState::Satisfied),
            (day(335), Some(day(365)), RequirementState::Expiring),
            (day(365), None, RequirementState::Expired),
        ]
    );
    // Each stretch is what the rules say at any instant inside it.
    for t in [10, 200, 334, 335, 364, 365, 900] {
        let at_t = timeline(&r, day(10))
            .into_iter()
            .find(|s| s.from <= day(t) && s.until.is_none_or(|u| day(t) < u))
            .expect("covered");
        assert_eq!(at_t.assessed, requirement_state(&r, day(t)), "day {t}");
    }
}

#[test]
fn a_stretch_ends_where_its_reason_changes_even_if_its_state_does_not() {
    let mut claim = submission("a1", Implemented, 0);
    claim.effective = day(30);
    claim.evidence = vec!["e1".into()];
    let s = [approved(claim, 1)];
    let evidence = [EvidenceStanding {
        id: "e1".into(),
        withdrawn_at: None,
        expires_at: Some(day(20)),
    }];
    let r = Records {
        submissions: &s,
        evidence: &evidence,
        exceptions: &[],
        artifacts: &[],
    };
    assert!(requirement_state(&r, day(10))
        .reason()
        .contains("takes effect"));
    // Still expired from day 30 on, but because the evidence is gone.
    assert_eq!(next_change(&r, day(10)), Some(day(30)));
    assert!(requirement_state(&r, day(30))
        .reason()
        .contains("withdrawn or expired"));
}

#[test]
fn a_record_made_after_the_instant_is_where_the_state_changes() {
    // A submission stamped after the instant a rewrite started from still shows up.
    let s = [submission("a1", Implemented, 5)];
    let r = Records {
        submissions: &s,
        evidence: &[],
        exceptions: &[],
        artifacts: &[],
    };
    assert_eq!(requirement_state(&r, day(4)).state, RequirementState::Gap);
    assert_eq!(next_change(&r, day(4)), Some(day(5)));
}
