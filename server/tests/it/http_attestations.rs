//! The workload page through the real router on both backends: a requirement shows its state
//! now and why, and under it the attestations with their reviews — a rejection's comment is
//! what the contributor reads to put it right.

use crate::http::{body, start, Running};
use crate::http_accounts::lead;
use crate::http_forms::{location, post_form};
use crate::on_both_backends;
use crate::support::{by, unattested_required, TestDb};
use app::domain::attestation::AttestationStatus;
use app::domain::{TeamId, WorkloadId};
use app::ports::{NewAttestation, NewEvidence};
use chrono::{TimeDelta, Utc};

/// A running server with the catalog and the demo organization, a workload of it and one of
/// its required controls.
async fn a_required_control(t: &TestDb) -> (Running, WorkloadId, TeamId, String) {
    let s = start(t).await;
    strata_server::catalog::load_starter(&s.store, &by("test"))
        .await
        .expect("catalog");
    strata_server::demo::seed(&s.store).await.expect("seed");
    let page = s
        .store
        .list_workloads(
            &Default::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    let id = page.rows.first().expect("a workload").id.clone();
    let w = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    let control = unattested_required(&s.store, &id)
        .await
        .expect("a required control nobody attested");
    (s, id, w.draft.team_id, control)
}

async fn a_requirement_shows_its_state_and_its_reviewed_attestations(t: &TestDb) {
    let (s, id, team, control) = a_required_control(t).await;
    let now = Utc::now();
    let claim = NewAttestation {
        workload_id: id.clone(),
        team_id: team.clone(),
        control_id: control.clone(),
        status: AttestationStatus::Implemented,
        statement: "Scanned before every release.".into(),
        justification: String::new(),
        inherited_from: String::new(),
        effective: now - TimeDelta::days(1),
        expiry: now + TimeDelta::days(60),
        artifact: None,
        evidence: vec![NewEvidence::Link {
            title: "Scan report".into(),
            url: "https://ci.example.org/scan/42".into(),
        }],
    };
    let first = s
        .store
        .submit_attestation(&claim, &by("test contributor"))
        .await
        .expect("submitted")
        .id()
        .expect("stored");
    s.store
        .decide_attestation(
            &first,
            false,
            "Attach the report of the last release.",
            &by("test lead"),
        )
        .await
        .expect("rejected");
    let c = lead(&s).await;
    let html = body(&c, format!("{}/workloads/{id}", s.base)).await;
    let row = html
        .split(&format!("data-control=\"{}\"", control))
        .nth(1)
        .expect("the requirement's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    assert!(row.contains(">Rejected<"), "{row}");
    assert!(
        row.contains("Attach the report of the last release."),
        "{row}"
    );
    assert!(row.contains("https://ci.example.org/scan/42"), "{row}");

    // Resubmitted and approved: satisfied until the warning window.
    let second = s
        .store
        .submit_attestation(&claim, &by("test contributor"))
        .await
        .expect("resubmitted")
        .id()
        .expect("stored");
    s.store
        .decide_attestation(&second, true, "", &by("test lead"))
        .await
        .expect("approved");
    let html = body(&c, format!("{}/workloads/{id}", s.base)).await;
    let row = html
        .split(&format!("data-control=\"{}\"", control))
        .nth(1)
        .expect("the requirement's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    assert!(row.contains(">Satisfied<"), "{row}");
    assert!(row.contains("2 attestations"), "{row}");
}

/// A lead finds a submission on the queue, is told a rejection needs its comment, rejects it
/// with one, and the queue is empty again; the comment is on the workload page.
async fn a_lead_rejects_from_the_queue_with_a_comment(t: &TestDb) {
    let (s, id, team, control) = a_required_control(t).await;
    let now = Utc::now();
    let claim = NewAttestation {
        workload_id: id.clone(),
        team_id: team.clone(),
        control_id: control.clone(),
        status: AttestationStatus::PartiallyImplemented,
        statement: "Half of the pipelines scan.".into(),
        justification: String::new(),
        inherited_from: String::new(),
        effective: now,
        expiry: now + TimeDelta::days(60),
        artifact: None,
        evidence: vec![],
    };
    let submitted = s
        .store
        .submit_attestation(&claim, &by("test contributor"))
        .await
        .expect("submitted")
        .id()
        .expect("stored");
    let c = lead(&s).await;
    let queue = body(&c, format!("{}/review", s.base)).await;
    assert!(
        queue.contains(&format!("data-attestation=\"{submitted}\"")),
        "{queue}"
    );
    assert!(queue.contains("Half of the pipelines scan."));
    let res = post_form(
        &c,
        &s.base,
        "decide_attestation",
        "/review",
        &[
            ("id", submitted.as_str()),
            ("verdict", "reject"),
            ("comment", " "),
        ],
    )
    .await;
    assert_eq!(location(&res), "/review");
    let refused = body(&c, format!("{}/review", s.base)).await;
    assert!(
        refused.contains("data-testid=\"comment-error\""),
        "{refused}"
    );
    assert!(
        refused.contains(&format!("data-attestation=\"{submitted}\"")),
        "still waiting"
    );
    let res = post_form(
        &c,
        &s.base,
        "decide_attestation",
        "/review",
        &[
            ("id", submitted.as_str()),
            ("verdict", "reject"),
            ("comment", "Which pipelines? Link the list."),
        ],
    )
    .await;
    assert_eq!(location(&res), "/review");
    let after = body(&c, format!("{}/review", s.base)).await;
    assert!(after.contains("data-testid=\"review-notice\""), "{after}");
    assert!(
        !after.contains(&format!("data-attestation=\"{submitted}\"")),
        "decided, so off the queue"
    );
    let workload = body(&c, format!("{}/workloads/{id}", s.base)).await;
    assert!(workload.contains("Which pipelines? Link the list."));
    // Deciding again is told who decided first.
    post_form(
        &c,
        &s.base,
        "decide_attestation",
        "/review",
        &[("id", submitted.as_str()), ("verdict", "approve")],
    )
    .await;
    let again = body(&c, format!("{}/review", s.base)).await;
    assert!(
        again.contains("before you did; nothing was changed"),
        "{again}"
    );
}

on_both_backends!(
    a_requirement_shows_its_state_and_its_reviewed_attestations,
    a_lead_rejects_from_the_queue_with_a_comment
);
