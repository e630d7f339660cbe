//! The workload page "as of" a past day (design §3.5), through the real router on both
//! backends: a requirement's state is recomputed from the records known at the end of that
//! day — awaiting review before its decision, satisfied, expiring within the warning window,
//! expired — and a day before the workload existed, or after today, says so.

use crate::http::{body, start};
use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::{by, unattested_required, TestDb};
use app::domain::attestation::AttestationStatus;
use app::domain::listing::WorkloadQuery;
use app::domain::policy::Reach;
use app::domain::Phase;
use app::ports::NewAttestation;
use chrono::{TimeDelta, Utc};

/// The state the page shows for `control`.
fn state_of(html: &str, control: &str) -> String {
    let row = html
        .find(&format!("data-control=\"{control}\""))
        .unwrap_or_else(|| panic!("no row of {control}: {html}"));
    let marker = "data-testid=\"requirement-state\"";
    let span = row
        + html[row..]
            .find(marker)
            .unwrap_or_else(|| panic!("no state of {control}: {}", &html[row..]));
    let at = span + html[span..].find('>').expect("tag end") + 1;
    html[at..at + html[at..].find('<').expect("end")].to_string()
}

async fn a_past_day_shows_the_states_known_then(t: &TestDb) {
    let s = start(t).await;
    strata_server::catalog::load_starter(&s.store, &by("test"))
        .await
        .expect("catalog");
    strata_server::demo::seed(&s.store).await.expect("seed");
    let query = WorkloadQuery {
        phase: Some(Phase::Prototype),
        ..Default::default()
    };
    let rows = s
        .store
        .list_workloads(&query, &Reach::Organization)
        .await
        .expect("list")
        .rows;
    let id = rows.first().expect("a prototype").id.clone();
    let w = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    let control = unattested_required(&s.store, &id)
        .await
        .expect("a required control nobody attested");
    let now = Utc::now();
    let days = |n: i64| now - TimeDelta::days(n);
    let claim = NewAttestation {
        workload_id: id.clone(),
        team_id: w.draft.team_id.clone(),
        control_id: control.clone(),
        status: AttestationStatus::Implemented,
        statement: "Reviewed every quarter.".into(),
        justification: String::new(),
        inherited_from: String::new(),
        effective: days(100),
        expiry: days(10),
        artifact: None,
        evidence: vec![],
    };
    let submitted = s
        .store
        .submit_attestation_at(&claim, &by("contributor"), days(100))
        .await
        .expect("submitted")
        .id()
        .expect("stored");
    s.store
        .decide_attestation_at(&submitted, true, "", &by("lead"), days(99))
        .await
        .expect("approved");
    let c = lead(&s).await;
    let page = |n: i64| {
        let day = days(n).format("%Y-%m-%d");
        format!("{}/workloads/{id}?as_of={day}", s.base)
    };
    let before_decision = body(&c, page(100)).await;
    assert!(before_decision.contains("data-testid=\"as-of-notice\""));
    assert_eq!(state_of(&before_decision, &control), "Pending review");
    assert!(
        !before_decision.contains("data-testid=\"attest-link\""),
        "a past day is read, never attested"
    );
    assert_eq!(state_of(&body(&c, page(60)).await, &control), "Satisfied");
    assert_eq!(state_of(&body(&c, page(25)).await, &control), "Expiring");
    assert_eq!(state_of(&body(&c, page(0)).await, &control), "Expired");
    // Now, without a day: the stored states say the same.
    let current = body(&c, format!("{}/workloads/{id}", s.base)).await;
    assert_eq!(state_of(&current, &control), "Expired");

    let unborn = body(&c, page(400)).await;
    assert!(unborn.contains("not registered yet"), "{unborn}");
    // Refused beside its field, the rest of the page as it is now.
    let later = (now + TimeDelta::days(3)).format("%Y-%m-%d");
    let refused = body(&c, format!("{}/workloads/{id}?as_of={later}", s.base)).await;
    assert!(refused.contains("data-testid=\"as-of-error\""), "{refused}");
    assert!(refused.contains("up to today"));
    assert_eq!(state_of(&refused, &control), "Expired");
    // Another team's contributor reads nothing of it, past or present.
    let teams = s.store.list_teams().await.expect("teams");
    let other = teams
        .iter()
        .find(|t| t.id != w.draft.team_id)
        .expect("another team");
    let grant = app::domain::policy::Grant::new(
        app::domain::policy::Role::Contributor,
        app::domain::policy::GrantScope::Team(other.id.clone()),
    )
    .expect("grant");
    crate::http_accounts::person_with(&s, "elsewhere@example.org", &[grant]).await;
    let outsider = crate::http_accounts::signed_in(&s, "elsewhere@example.org").await;
    let res = outsider
        .get(page(60))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status().as_u16(), 404);
}

on_both_backends!(a_past_day_shows_the_states_known_then);
