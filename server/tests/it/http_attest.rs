//! The attest form through the real router on both backends: a contributor of the workload's
//! team opens it from the workload page, a refusal comes back with what was typed and each
//! field's problem, a submission waits for review (a second one is refused meanwhile), a
//! rejection reopens the form with the reviewer's comment and the rejected values, and people
//! outside the team, or a control the workload cannot attest, get nothing stored.

use crate::http::{body, client, start, Running};
use crate::http_accounts::{lead, person_with, signed_in};
use crate::http_forms::location;
use crate::on_both_backends;
use crate::support::{by, unattested_required, TestDb};
use app::domain::attestation::attestable;
use app::domain::policy::{Grant, GrantScope, Reach, Role};
use app::domain::{Phase, TeamId, WorkloadId};
use reqwest::multipart::Form;

/// A running server with the catalog and the demo organization, a prototype, the team it
/// belongs to, a control it requires now, and one that applies only from scale (two phases
/// ahead, not attestable).
struct Setting {
    s: Running,
    id: WorkloadId,
    team: TeamId,
    control: String,
    far: String,
}

async fn setting(t: &TestDb) -> Setting {
    let s = start(t).await;
    strata_server::catalog::load_starter(&s.store, &by("test"))
        .await
        .expect("catalog");
    strata_server::demo::seed(&s.store).await.expect("seed");
    let query = app::domain::listing::WorkloadQuery {
        phase: Some(Phase::Prototype),
        ..Default::default()
    };
    let page = s
        .store
        .list_workloads(&query, &Reach::Organization)
        .await
        .expect("list");
    let id = page.rows.first().expect("a prototype").id.clone();
    let w = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    let requirements = s.store.requirements(&id).await.expect("requirements");
    // Not one the demo attested: its form starts empty.
    let control = unattested_required(&s.store, &id)
        .await
        .expect("a required control nobody attested");
    // Not applicable, or applicable only two phases ahead.
    let far = requirements
        .iter()
        .find(|r| !attestable(w.phase, r.applicable, r.effective_min_phase))
        .expect("a control the prototype cannot attest")
        .control_id
        .clone();
    Setting {
        s,
        id,
        team: w.draft.team_id,
        control,
        far,
    }
}

/// A client signed in as a contributor of `team`.
async fn contributor_of(s: &Running, team: &TeamId, email: &str) -> reqwest::Client {
    let grant = Grant::new(Role::Contributor, GrantScope::Team(team.clone())).expect("allowed");
    person_with(s, email, &[grant]).await;
    signed_in(s, email).await
}

/// The attest form as a browser without JavaScript posts it.
fn form(control: &str, fields: &[(&str, &str)]) -> Form {
    let mut form = Form::new().text("control", control.to_string());
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    form
}

async fn post(c: &reqwest::Client, s: &Running, id: &WorkloadId, f: Form) -> reqwest::Response {
    c.post(format!("{}/workloads/{id}/attestations", s.base))
        .header("accept", "text/html")
        .multipart(f)
        .send()
        .await
        .expect("post")
}

async fn stored(s: &Running, id: &WorkloadId, control: &str) -> usize {
    let all = s.store.attestations_of(id).await.expect("attestations");
    all.iter().filter(|a| a.control_id == control).count()
}

async fn a_contributor_attests_and_answers_a_rejection_by_resubmitting(t: &TestDb) {
    let Setting {
        s,
        id,
        team,
        control,
        ..
    } = setting(t).await;
    let c = contributor_of(&s, &team, "attester@example.org").await;
    let page = format!("/workloads/{id}/attest/{control}");
    let workload = body(&c, format!("{}/workloads/{id}", s.base)).await;
    assert!(
        workload.contains(&format!("href=\"{page}\"")),
        "the workload page links the attest form"
    );
    let opened = body(&c, format!("{}{page}", s.base)).await;
    assert!(opened.contains("data-testid=\"attest-form\""), "{opened}");
    assert!(opened.contains(&control));

    // Not applicable without a justification, a link that is not http(s): both named, and
    // what was typed comes back.
    let res = post(
        &c,
        &s,
        &id,
        form(
            &control,
            &[
                ("status", "not_applicable"),
                ("statement", "Nothing of this runs here & never did."),
                ("links", "ftp://files.example.org/scan"),
            ],
        ),
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), page);
    let refused = body(&c, format!("{}{page}", s.base)).await;
    assert!(
        refused.contains("data-testid=\"form-message\""),
        "{refused}"
    );
    assert!(
        refused.contains("id=\"field-justification-error\""),
        "{refused}"
    );
    assert!(refused.contains("id=\"field-links-error\""), "{refused}");
    assert!(refused.contains("Nothing of this runs here &amp; never did."));
    assert!(refused.contains("ftp://files.example.org/scan"));
    assert_eq!(stored(&s, &id, &control).await, 0, "nothing stored");

    let res = post(
        &c,
        &s,
        &id,
        form(
            &control,
            &[
                ("status", "implemented"),
                ("statement", "Every release is scanned in CI."),
                ("links", "https://ci.example.org/scan/42"),
                ("note", "Scanner v3, blocking on high findings."),
            ],
        ),
    )
    .await;
    assert_eq!(location(&res), format!("/workloads/{id}"));
    let after = body(&c, format!("{}/workloads/{id}", s.base)).await;
    assert!(
        after.contains(&format!(
            "Submitted the attestation of {control} for review."
        )),
        "{after}"
    );
    assert!(after.contains("data-testid=\"awaiting-review\""));
    let records = s.store.attestations_of(&id).await.expect("attestations");
    let first = records
        .iter()
        .find(|a| a.control_id == control)
        .expect("stored");
    assert_eq!(first.evidence.len(), 2, "a link and a note");
    assert!(first.decision.is_none());

    // A second submission waits for the first one's decision.
    let res = post(
        &c,
        &s,
        &id,
        form(
            &control,
            &[("status", "implemented"), ("statement", "Again.")],
        ),
    )
    .await;
    assert_eq!(location(&res), page);
    let pending = body(&c, format!("{}{page}", s.base)).await;
    assert!(
        pending.contains("data-testid=\"pending-notice\""),
        "{pending}"
    );
    assert!(
        pending.contains("data-testid=\"form-message\""),
        "the refusal says why"
    );
    assert!(
        pending.contains(">Again.</textarea>"),
        "what was typed comes back"
    );
    let later = body(&c, format!("{}{page}", s.base)).await;
    assert!(later.contains("data-testid=\"pending-notice\""));
    assert!(
        !later.contains("data-testid=\"attest-form\""),
        "no form while one awaits review"
    );
    assert_eq!(stored(&s, &id, &control).await, 1);

    s.store
        .decide_attestation(
            &first.id,
            false,
            "Link the scanner's policy too.",
            &by("lead"),
        )
        .await
        .expect("rejected");
    let reopened = body(&c, format!("{}{page}", s.base)).await;
    assert!(
        reopened.contains("data-testid=\"rejected-notice\""),
        "{reopened}"
    );
    assert!(
        reopened.contains("Link the scanner&#x27;s policy too.")
            || reopened.contains("Link the scanner's policy too.")
    );
    assert!(
        reopened.contains("Every release is scanned in CI."),
        "the rejected statement fills the form"
    );
    let workload = body(&c, format!("{}/workloads/{id}", s.base)).await;
    assert!(workload.contains(">Resubmit<"), "{workload}");
    let res = post(
        &c,
        &s,
        &id,
        form(
            &control,
            &[
                ("status", "implemented"),
                ("statement", "Every release is scanned in CI."),
                (
                    "links",
                    "https://ci.example.org/scan/42\nhttps://wiki.example.org/scanner-policy",
                ),
            ],
        ),
    )
    .await;
    assert_eq!(location(&res), format!("/workloads/{id}"));
    assert_eq!(stored(&s, &id, &control).await, 2, "the resubmission");
}

async fn only_the_team_may_attest_and_only_what_applies(t: &TestDb) {
    let Setting {
        s,
        id,
        team,
        control,
        far,
    } = setting(t).await;
    let teams = s.store.list_teams().await.expect("teams");
    let other = teams.iter().find(|t| t.id != team).expect("another team");
    let outsider = contributor_of(&s, &other.id, "outsider@example.org").await;
    let page = format!("{}/workloads/{id}/attest/{control}", s.base);
    let attempt = || {
        form(
            &control,
            &[("status", "implemented"), ("statement", "Done.")],
        )
    };
    let res = post(&outsider, &s, &id, attempt()).await;
    assert_eq!(
        res.status().as_u16(),
        404,
        "another team's workload is not found"
    );
    let res = outsider
        .get(&page)
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status().as_u16(), 404);
    let auditor = crate::http_accounts::as_role(&s, Role::Auditor).await;
    let res = post(&auditor, &s, &id, attempt()).await;
    assert_eq!(
        res.status().as_u16(),
        403,
        "an auditor reads but does not attest"
    );
    let res = post(&client(), &s, &id, attempt()).await;
    assert_eq!(res.status().as_u16(), 401, "sign in first");
    let member = contributor_of(&s, &team, "member@example.org").await;
    let res = member
        .post(format!("{}/workloads/{id}/attestations", s.base))
        .header("origin", "https://evil.example")
        .multipart(attempt())
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 403, "cross-origin refused");
    let res = member
        .post(format!("{}/workloads/{id}/attestations", s.base))
        .header("accept", "text/html")
        .form(&[("control", control.as_str()), ("status", "implemented")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 400, "not multipart");
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("multipart/form-data"));
    let res = post(
        &member,
        &s,
        &id,
        form("NO-SUCH-1", &[("status", "implemented")]),
    )
    .await;
    assert_eq!(res.status().as_u16(), 404, "an unknown control");
    let res = post(
        &member,
        &s,
        &id,
        form(&far, &[("status", "implemented"), ("statement", "Early.")]),
    )
    .await;
    assert_eq!(res.status().as_u16(), 409, "nothing to attest");
    let text = res.text().await.expect("body");
    assert!(text.contains("nothing to attest"), "{text}");
    assert_eq!(stored(&s, &id, &far).await, 0);
    let page = member
        .get(format!("{}/workloads/{id}/attest/{far}", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status().as_u16(), 409);
    assert_eq!(
        stored(&s, &id, &control).await,
        0,
        "nobody outside attested"
    );
    // A security lead may attest for the team.
    let res = post(&lead(&s).await, &s, &id, attempt()).await;
    assert_eq!(location(&res), format!("/workloads/{id}"));
    assert_eq!(stored(&s, &id, &control).await, 1);
}

on_both_backends!(
    a_contributor_attests_and_answers_a_rejection_by_resubmitting,
    only_the_team_may_attest_and_only_what_applies
);
