//! Roles and team scope through the real router on both backends, with the demo organization's
//! people: a visitor who has not signed in is sent to sign in and refused by every use case; a
//! contributor sees and changes only their team's workloads — lists, counts, charts and form
//! choices are scoped in the query — and another team's workload is "not found" by every path,
//! ids in bodies included; an auditor reads without changing; promotion follows design §1.

use crate::http::{body, client, seeded, Running};
use crate::http_accounts::sign_in;
use crate::http_forms::{location, post_form};
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::listing::WorkloadQuery;
use app::domain::policy::Reach;
use app::domain::{Phase, WorkloadId};
use strata_server::demo::DEMO_PASSWORD;

const BEN: &str = "ben.okafor@example.test"; // contributor, Customer Experience
const AMIRA: &str = "amira.haddad@example.test"; // security lead
const JONAS: &str = "jonas.weber@example.test"; // auditor of People Analytics

async fn demo(s: &Running, email: &str) -> reqwest::Client {
    let c = client();
    let res = sign_in(&c, &s.base, email, DEMO_PASSWORD).await;
    assert_eq!(location(&res), "/workloads", "{email} signs in");
    c
}

/// The id and name of the first workload (by name) of the team called `team`.
async fn workload_of(s: &Running, team: &str) -> (WorkloadId, String) {
    workload_in(s, team, None).await
}

/// The id of the workload called `name`.
async fn workload_named(s: &Running, name: &str) -> WorkloadId {
    let query = WorkloadQuery {
        search: name.to_string(),
        ..WorkloadQuery::default()
    };
    let page = s
        .store
        .list_workloads(&query, &Reach::Organization)
        .await
        .expect("list");
    page.rows
        .into_iter()
        .find(|r| r.name == name)
        .expect("the workload")
        .id
}

/// The text of the page's form message (a refusal's flash), if any.
fn form_message(page: &str) -> String {
    page.split("data-testid=\"form-message\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_default()
        .to_string()
}

/// The id and name of the first workload (by name) of `team` in `phase`, if given.
async fn workload_in(s: &Running, team: &str, phase: Option<Phase>) -> (WorkloadId, String) {
    let teams = s.store.list_teams().await.expect("teams");
    let id = teams
        .iter()
        .find(|t| t.name == team)
        .expect("team")
        .id
        .0
        .clone();
    let query = WorkloadQuery {
        team: Some(id),
        phase,
        ..WorkloadQuery::default()
    };
    let page = s
        .store
        .list_workloads(&query, &Reach::Organization)
        .await
        .expect("list");
    let row = page.rows.first().expect("a workload");
    (row.id.clone(), row.name.clone())
}

async fn json(c: &reqwest::Client, s: &Running, function: &str, body: &str) -> (u16, String) {
    let res = c
        .post(format!("{}/api/{function}", s.base))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("call");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// Every attribute of a valid workload form, so that only the scope can refuse it.
const ATTRIBUTES: [(&str, &str); 14] = [
    ("form[model_source]", "pretrained_api"),
    ("form[hosting]", "provider_managed"),
    ("form[ai_type]", "predictive"),
    ("form[data_connectivity]", "none"),
    ("form[autonomy_level]", "0"),
    ("form[persistent_memory]", "false"),
    ("form[user_exposure]", "internal"),
    ("form[processes_personal_data]", "false"),
    ("form[data_sensitivity]", "internal"),
    ("form[decision_impact]", "assistive"),
    ("form[eu_ai_act_class]", "minimal"),
    ("form[eu_role]", "deployer"),
    ("form[multi_tenant]", "false"),
    ("form[tags]", "scope"),
];

const LIST_ALL: &str = r#"{"query":{"search":"","team":null,"phase":null,"gap_layer":null,"sort":"Name","descending":false,"page":1,"per_page":100}}"#;

async fn a_visitor_who_has_not_signed_in_is_sent_to_sign_in_and_refused(t: &TestDb) {
    let s = seeded(t).await;
    let c = client();
    let page = c
        .get(format!("{}/workloads?team=x", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 303);
    assert_eq!(location(&page), "/login?next=%2Fworkloads%3Fteam%3Dx");
    for function in [
        "list_workloads",
        "phase_counts",
        "get_teams",
        "get_catalog",
        "get_form_choices",
    ] {
        let body = if function == "list_workloads" {
            LIST_ALL
        } else {
            "{}"
        };
        let (status, _) = json(&c, &s, function, body).await;
        assert_eq!(status, 401, "{function}");
    }
    let chart = c
        .get(format!("{}/charts/workloads-by-phase-and-team.svg", s.base))
        .send()
        .await
        .expect("chart");
    assert_eq!(chart.status().as_u16(), 401);
    let created = post_form(
        &c,
        &s.base,
        "create_workload",
        "/workloads/new",
        &[("form[name]", "x")],
    )
    .await;
    assert_eq!(
        created.status().as_u16(),
        401,
        "nothing is kept for a visitor"
    );
    let login = c
        .get(format!("{}/login", s.base))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status().as_u16(), 200);
}

async fn a_contributor_sees_only_their_teams_workloads_counts_and_choices(t: &TestDb) {
    let s = seeded(t).await;
    let ben = demo(&s, BEN).await;
    let (status, listed) = json(&ben, &s, "list_workloads", LIST_ALL).await;
    assert_eq!(status, 200);
    let page: app::dto::WorkloadPage = serde_json::from_str(&listed).expect("page");
    assert!(page.total > 0);
    assert!(
        page.rows
            .iter()
            .all(|r| r.team_name == "Customer Experience"),
        "{listed}"
    );
    let teams = s.store.list_teams().await.expect("teams");
    let cx = teams
        .iter()
        .find(|t| t.name == "Customer Experience")
        .expect("team");
    let all_cx = s
        .store
        .list_workloads(
            &WorkloadQuery {
                team: Some(cx.id.0.clone()),
                ..WorkloadQuery::default()
            },
            &Reach::Organization,
        )
        .await
        .expect("list")
        .total;
    assert_eq!(page.total, all_cx, "every one of the team's, nothing else");
    let (_, counts) = json(&ben, &s, "phase_counts", "{}").await;
    let counts: Vec<app::dto::PhaseCount> = serde_json::from_str(&counts).expect("counts");
    assert_eq!(
        counts.iter().map(|c| c.count).sum::<u64>(),
        all_cx,
        "counts are scoped too"
    );
    // Asking the list for another team's workloads finds none.
    let other = teams
        .iter()
        .find(|t| t.name == "Risk & Fraud")
        .expect("team");
    let ask = LIST_ALL.replace(r#""team":null"#, &format!(r#""team":"{}""#, other.id.0));
    let (_, listed) = json(&ben, &s, "list_workloads", &ask).await;
    let page: app::dto::WorkloadPage = serde_json::from_str(&listed).expect("page");
    assert_eq!((page.total, page.rows.len()), (0, 0));
    let (_, teams_offered) = json(&ben, &s, "get_teams", "{}").await;
    assert!(teams_offered.contains("Customer Experience") && !teams_offered.contains("Risk"));
    let (_, choices) = json(&ben, &s, "get_form_choices", "{}").await;
    assert!(
        choices.contains("Customer Experience") && !choices.contains("Risk"),
        "{choices}"
    );
    assert!(
        choices.contains("ben.okafor") && !choices.contains("elena.rossi"),
        "{choices}"
    );
    let chart = body(
        &ben,
        format!("{}/charts/workloads-by-phase-and-team.svg", s.base),
    )
    .await;
    assert!(
        chart.contains("Customer Experience") && !chart.contains("Risk &amp; Fraud"),
        "{chart}"
    );
    let home = body(&ben, format!("{}/", s.base)).await;
    assert!(!home.contains("Risk &amp; Fraud"), "the overview is scoped");
}

async fn another_teams_workload_is_not_found_by_any_path(t: &TestDb) {
    let s = seeded(t).await;
    let ben = demo(&s, BEN).await;
    let (id, name) = workload_of(&s, "Risk & Fraud").await;
    let page = ben
        .get(format!("{}/workloads/{id}", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 404);
    assert!(!page.text().await.expect("body").contains(&name));
    for path in [
        format!("/workloads/{id}/edit"),
        format!("/charts/workloads/{id}/required-by-layer.svg"),
    ] {
        let res = ben
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status().as_u16(), 404, "{path}");
    }
    for function in ["get_workload", "get_edit_form"] {
        let (status, text) = json(&ben, &s, function, &format!(r#"{{"id":"{id}"}}"#)).await;
        assert_eq!(status, 404, "{function}");
        assert!(!text.contains(&name));
    }
    let edit = post_form(
        &ben,
        &s.base,
        "update_workload",
        "/",
        &[
            ("id", id.as_str()),
            ("form[name]", "taken over"),
            ("form[revision]", "1"),
        ],
    )
    .await;
    assert_eq!(edit.status().as_u16(), 404);
    let promote = post_form(
        &ben,
        &s.base,
        "change_phase",
        "/",
        &[
            ("id", id.as_str()),
            ("revision", "1"),
            ("direction", "promote"),
        ],
    )
    .await;
    assert_eq!(promote.status().as_u16(), 404);
    let after = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(after.draft.name, name, "nothing changed");
}

/// Ids placed in a form are checked against the caller's scope: a team or an owner outside it
/// is refused with the same words as one that does not exist.
async fn ids_in_bodies_are_checked_against_scope(t: &TestDb) {
    let s = seeded(t).await;
    let ben = demo(&s, BEN).await;
    let teams = s.store.list_teams().await.expect("teams");
    let team = |name: &str| {
        teams
            .iter()
            .find(|t| t.name == name)
            .expect("team")
            .id
            .0
            .clone()
    };
    let people = s.store.list_users().await.expect("people");
    let person = |email: &str| {
        people
            .iter()
            .find(|u| u.email == email)
            .expect("person")
            .id
            .0
            .clone()
    };
    let before = s
        .store
        .list_workloads(&WorkloadQuery::default(), &Reach::Organization)
        .await
        .expect("list")
        .total;
    let create = |team_id: String, owner: String, others: &'static str| {
        let ben = ben.clone();
        let base = s.base.clone();
        async move {
            let mut fields = vec![
                ("form[name]", "Scoped workload"),
                ("form[description]", "Checks scope."),
                ("form[team_id]", team_id.as_str()),
                ("form[primary_owner]", owner.as_str()),
                ("form[other_owners]", others),
            ];
            fields.extend(ATTRIBUTES);
            post_form(&ben, &base, "create_workload", "/workloads/new", &fields).await;
            body(&ben, format!("{base}/workloads/new")).await
        }
    };
    let page = create(team("Risk & Fraud"), person(BEN), "").await;
    assert!(
        page.contains("Choose one of the teams in the list."),
        "another team"
    );
    let page = create(
        team("Customer Experience"),
        person("elena.rossi@example.test"),
        "",
    )
    .await;
    assert!(
        page.contains("Choose an owner from the list."),
        "an owner of another team"
    );
    let page = create(
        team("Customer Experience"),
        person(BEN),
        "elena.rossi@example.test",
    )
    .await;
    assert!(
        page.contains("Nobody you can choose as an owner has the email elena.rossi@example.test.")
    );
    let page = create(
        team("Customer Experience"),
        person(BEN),
        "nobody@example.test",
    )
    .await;
    assert!(
        page.contains("Nobody you can choose as an owner has the email nobody@example.test."),
        "the same words"
    );
    let after = s
        .store
        .list_workloads(&WorkloadQuery::default(), &Reach::Organization)
        .await
        .expect("list")
        .total;
    assert_eq!(after, before, "nothing was created");
    // Moving their own workload to another team is refused too.
    let (own, _) = workload_of(&s, "Customer Experience").await;
    let form = body(&ben, format!("{}/workloads/{own}/edit", s.base)).await;
    assert!(form.contains("workload-form"));
    let w = s
        .store
        .get_workload(&own)
        .await
        .expect("read")
        .expect("exists");
    let (revision, other_team) = (w.revision.to_string(), team("Risk & Fraud"));
    let mut fields = vec![
        ("id", own.as_str()),
        ("form[revision]", revision.as_str()),
        ("form[name]", w.draft.name.as_str()),
        ("form[description]", w.draft.description.as_str()),
        ("form[team_id]", other_team.as_str()),
        ("form[primary_owner]", w.draft.primary_owner.as_str()),
    ];
    fields.extend(ATTRIBUTES);
    let edit_page = format!("/workloads/{own}/edit");
    post_form(&ben, &s.base, "update_workload", &edit_page, &fields).await;
    let page = body(&ben, format!("{}/workloads/{own}/edit", s.base)).await;
    assert!(
        page.contains("Choose one of the teams in the list."),
        "{page}"
    );
    let still = s
        .store
        .get_workload(&own)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(still.revision, w.revision, "nothing was saved");
}

async fn an_auditor_reads_their_scope_and_changes_nothing(t: &TestDb) {
    let s = seeded(t).await;
    let jonas = demo(&s, JONAS).await;
    let (id, name) = workload_of(&s, "People Analytics").await;
    let page = body(&jonas, format!("{}/workloads/{id}", s.base)).await;
    assert!(page.contains(&name));
    assert!(
        !page.contains(&format!("/workloads/{id}/edit")),
        "no Edit button"
    );
    assert!(!page.contains("data-testid=\"promote\"") && !page.contains("data-testid=\"demote\""));
    for path in ["", "/", "/workloads"] {
        let page = if path.is_empty() {
            page.clone()
        } else {
            body(&jonas, format!("{}{path}", s.base)).await
        };
        assert!(
            !page.contains("Register a workload"),
            "nothing to register on {path:?}"
        );
    }
    let edit = jonas
        .get(format!("{}/workloads/{id}/edit", s.base))
        .send()
        .await
        .expect("edit");
    assert_eq!(edit.status().as_u16(), 403, "readable, not changeable");
    let (status, _) = json(&jonas, &s, "get_form_choices", "{}").await;
    assert_eq!(status, 403);
    let (other, _) = workload_of(&s, "Customer Experience").await;
    let res = jonas
        .get(format!("{}/workloads/{other}", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status().as_u16(), 404, "outside the audited team");
}

async fn promotion_with_open_requirements_needs_a_security_lead_and_a_reason(t: &TestDb) {
    let s = seeded(t).await;
    // With the catalog, every workload requires controls, all of them open.
    strata_server::catalog::load_starter(&s.store, &crate::support::by("test"))
        .await
        .expect("catalog");
    let ben = demo(&s, BEN).await;
    // Ben's own prototype; its owners do not include Amira, the security lead.
    let id = workload_named(&s, "Ticket sentiment scorer").await;
    let w = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    let page_path = format!("/workloads/{id}");
    let page = body(&ben, format!("{}{page_path}", s.base)).await;
    assert!(
        page.contains("promotion-needs-lead"),
        "Ben is told why, not given a button"
    );
    assert!(!page.contains("data-testid=\"promote\""));
    let press =
        |c: reqwest::Client, direction: &'static str, revision: i64, reason: &'static str| {
            let base = s.base.clone();
            let id = id.clone();
            let page_path = page_path.clone();
            async move {
                post_form(
                    &c,
                    &base,
                    "change_phase",
                    &page_path,
                    &[
                        ("id", id.as_str()),
                        ("revision", &revision.to_string()),
                        ("direction", direction),
                        ("reason", reason),
                    ],
                )
                .await
            }
        };
    press(ben.clone(), "promote", w.revision, "").await;
    let refused = form_message(&body(&ben, format!("{}{page_path}", s.base)).await);
    assert!(
        refused.contains("only a security lead can promote"),
        "{refused}"
    );
    let amira = demo(&s, AMIRA).await;
    press(amira.clone(), "promote", w.revision, "  ").await;
    let refused = form_message(&body(&amira, format!("{}{page_path}", s.base)).await);
    assert!(
        refused.contains("Give the reason for promoting"),
        "{refused}"
    );
    // Never her own: she owns "Refund agent", another prototype of the team.
    let hers = workload_named(&s, "Refund agent").await;
    let page = body(&amira, format!("{}/workloads/{hers}", s.base)).await;
    assert!(
        !page.contains("data-testid=\"promote\""),
        "no button on her own workload"
    );
    let res = post_form(
        &amira,
        &s.base,
        "change_phase",
        &format!("/workloads/{hers}"),
        &[
            ("id", hers.as_str()),
            ("revision", "1"),
            ("direction", "promote"),
            ("reason", "mine"),
        ],
    )
    .await;
    assert_eq!(res.status().as_u16(), 302);
    let refused = form_message(&body(&amira, format!("{}/workloads/{hers}", s.base)).await);
    assert!(
        refused.contains("another security lead must approve"),
        "{refused}"
    );
    let unchanged = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(unchanged.revision, w.revision, "refusals change nothing");
    press(
        amira.clone(),
        "promote",
        w.revision,
        "Pilot approved by the risk committee",
    )
    .await;
    let promoted = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(Some(promoted.phase), w.phase.next());
    assert_eq!(
        promoted.changed_by, "Amira Haddad",
        "the signed-in person is the actor"
    );
    assert_eq!(
        promoted.change_note.as_deref(),
        Some("Pilot approved by the risk committee")
    );
    let page = body(&amira, format!("{}{page_path}", s.base)).await;
    assert!(page.contains("Reason: Pilot approved by the risk committee"));
    // Only a security lead demotes.
    let res = press(ben.clone(), "demote", promoted.revision, "").await;
    assert_eq!(res.status().as_u16(), 403);
    press(amira, "demote", promoted.revision, "").await;
    let back = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(back.phase, w.phase);
}

on_both_backends!(
    a_visitor_who_has_not_signed_in_is_sent_to_sign_in_and_refused,
    a_contributor_sees_only_their_teams_workloads_counts_and_choices,
    another_teams_workload_is_not_found_by_any_path,
    ids_in_bodies_are_checked_against_scope,
    an_auditor_reads_their_scope_and_changes_nothing,
    promotion_with_open_requirements_needs_a_security_lead_and_a_reason
);
