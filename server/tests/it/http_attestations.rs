//! The workload page through the real router on both backends: a requirement shows its state
//! now and why, and under it the attestations with their reviews — a rejection's comment is
//! what the contributor reads to put it right.

use crate::http::{body, start};
use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::attestation::AttestationStatus;
use app::ports::{NewAttestation, NewEvidence};
use chrono::{TimeDelta, Utc};

async fn a_requirement_shows_its_state_and_its_reviewed_attestations(t: &TestDb) {
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
    let requirements = s.store.requirements(&id).await.expect("requirements");
    let required = requirements
        .iter()
        .find(|r| r.required)
        .expect("a required control");
    let now = Utc::now();
    let claim = NewAttestation {
        workload_id: id.clone(),
        team_id: w.draft.team_id.clone(),
        control_id: required.control_id.clone(),
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
        .expect("submitted");
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
        .split(&format!("data-control=\"{}\"", required.control_id))
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
        .expect("resubmitted");
    s.store
        .decide_attestation(&second, true, "", &by("test lead"))
        .await
        .expect("approved");
    let html = body(&c, format!("{}/workloads/{id}", s.base)).await;
    let row = html
        .split(&format!("data-control=\"{}\"", required.control_id))
        .nth(1)
        .expect("the requirement's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    assert!(row.contains(">Satisfied<"), "{row}");
    assert!(row.contains("2 attestations"), "{row}");
}

on_both_backends!(a_requirement_shows_its_state_and_its_reviewed_attestations);
