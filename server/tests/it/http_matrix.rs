//! The authorization matrix, generated from the policy: every page (Leptos's route list),
//! every server function (the server-function registry) and every axum route of the server
//! (`router::ROUTES`) must be listed in `app::api::guards`, and each is called by a visitor
//! who has not signed in, a person without any grant, and people of every role in and out of
//! the team of the workload the request names. What each cell must answer — allowed, sign in
//! first, forbidden, not found — is computed from `domain::policy::reach` over the caller's
//! grants, never written by hand, so a change of the policy table changes the expectations.

use crate::http::{client, seeded, Running};
use crate::http_accounts::{person_with, signed_in};
use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::api::guards::{guard, Guard, Kind, ENDPOINTS};
use app::domain::listing::WorkloadQuery;
use app::domain::policy::{reach, Action, Grant, GrantScope, Role};
use app::domain::{Phase, TeamId, UserId, WorkloadId};
use std::collections::BTreeSet;

/// Pages are listed as `/workloads/:id`, axum routes say `/workloads/{id}` (and Leptos lists a
/// page's later parameters that way too): one spelling to compare.
fn normalized(path: &str) -> String {
    path.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!(":{name}"),
                None => segment.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Every endpoint the router serves is in the guard table, and nothing else is.
#[tokio::test]
async fn every_endpoint_the_router_serves_has_a_guard() {
    let mut served: BTreeSet<(String, String)> = BTreeSet::new();
    for path in strata_server::router::page_paths() {
        served.insert(("page".into(), normalized(&path)));
    }
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        served.insert(("server function".into(), path.to_string()));
    }
    for path in strata_server::router::ROUTES {
        served.insert(("route".into(), normalized(path)));
    }
    for path in strata_server::router::FORM_ROUTES {
        served.insert(("form route".into(), normalized(path)));
    }
    let listed: BTreeSet<(String, String)> = ENDPOINTS
        .iter()
        .map(|e| {
            let kind = match e.kind {
                Kind::Page => "page",
                Kind::ServerFunction => "server function",
                Kind::Route => "route",
                Kind::FormRoute => "form route",
            };
            (kind.to_string(), normalized(e.path))
        })
        .collect();
    let unguarded: Vec<_> = served.difference(&listed).collect();
    assert!(
        unguarded.is_empty(),
        "served without a guard in app::api::guards: {unguarded:?}"
    );
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(stale.is_empty(), "guarded but not served: {stale:?}");
    assert_eq!(guard(Kind::Route, "/health"), Some(Guard::Public));
}

/// What a cell must answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allowed,
    SignInFirst,
    Forbidden,
    NotFound,
}

/// The answer the policy gives `grants` (`None`: not signed in) for `guard` on a workload of
/// `team`; `direction` for a phase change.
fn expected(guard: Guard, grants: Option<&[Grant]>, team: &TeamId, direction: &str) -> Expect {
    let Some(grants) = grants else {
        return match guard {
            Guard::Public => Expect::Allowed,
            _ => Expect::SignInFirst,
        };
    };
    // Refused as forbidden when the caller may do it nowhere (the same answer for every id),
    // as not found when they may not read the workload's team, as forbidden when they may read
    // it but not do this there.
    let on = |action: Action| {
        let readable = reach(grants, Action::ReadWorkloads).is_some_and(|r| r.includes(team));
        match reach(grants, action) {
            None => Expect::Forbidden,
            Some(_) if !readable => Expect::NotFound,
            Some(r) if r.includes(team) => Expect::Allowed,
            Some(_) => Expect::Forbidden,
        }
    };
    match guard {
        Guard::Public | Guard::SignedIn => Expect::Allowed,
        Guard::Anywhere(action) => match reach(grants, action) {
            Some(_) => Expect::Allowed,
            None => Expect::Forbidden,
        },
        Guard::OnWorkload(action) => on(action),
        Guard::PhaseChange if direction == "demote" => on(Action::Review),
        Guard::PhaseChange => on(Action::ChangeWorkloads),
    }
}

/// Whether `status` is what `expect` means for an endpoint of `kind`.
fn answers(expect: Expect, kind: Kind, status: u16) -> bool {
    match (expect, kind) {
        (Expect::Allowed, _) => status < 400,
        (Expect::SignInFirst, Kind::Page) => status == 303,
        (Expect::SignInFirst, _) => status == 401,
        (Expect::Forbidden, _) => status == 403,
        (Expect::NotFound, _) => status == 404,
    }
}

/// What the requests name: the workload, the person of the admin pages, the workload's team,
/// and a control the workload's team may attest.
#[derive(Clone, Copy)]
struct Named<'a> {
    workload: &'a WorkloadId,
    person: &'a UserId,
    team: &'a TeamId,
    control: &'a str,
}

/// The request a cell sends: a harmless call (refusals that come after the authorization
/// leave the workload as it is).
fn request(
    c: &reqwest::Client,
    s: &Running,
    kind: Kind,
    path: &str,
    named: &Named<'_>,
    direction: &str,
) -> reqwest::RequestBuilder {
    let Named {
        workload,
        person: subject,
        team,
        control,
    } = *named;
    // The admin pages name a person; every other path names the workload.
    let named = if path.starts_with("/admin/people/") {
        subject.as_str()
    } else {
        workload.as_str()
    };
    let url = format!(
        "{}{}",
        s.base,
        path.replace(":id", named)
            .replace("{id}", named)
            .replace(":control", control)
    );
    let id = workload.as_str();
    let person = subject.as_str();
    let team = team.as_str();
    match kind {
        Kind::Page => c.get(url).header("accept", "text/html"),
        Kind::Route => c.get(url),
        // An attestation without its status: refused by its check once the caller may attest.
        Kind::FormRoute => c.post(url).multipart(
            reqwest::multipart::Form::new()
                .text("control", control.to_string())
                .text("status", String::new()),
        ),
        Kind::ServerFunction => {
            let json = |body: String| {
                c.post(url.clone())
                    .header("content-type", "application/json")
                    .body(body)
            };
            let form = |fields: Vec<(&str, String)>| c.post(url.clone()).form(&fields);
            match path.trim_start_matches("/api/") {
                "list_workloads" => {
                    json(serde_json::json!({ "query": WorkloadQuery::default() }).to_string())
                }
                "get_workload" | "get_edit_form" => json(format!(r#"{{"id":"{id}"}}"#)),
                "get_attest_form" => json(format!(r#"{{"id":"{id}","control":"{control}"}}"#)),
                "take_flash" => json(r#"{"key":"/nowhere"}"#.into()),
                "sign_in" => form(vec![
                    ("email", "nobody@example.org".into()),
                    ("password", "not it at all".into()),
                ]),
                "change_password" => form(vec![
                    ("current", "not the current one".into()),
                    ("new", "a new passphrase here".into()),
                    ("confirm", "a new passphrase here".into()),
                ]),
                "sign_out" => form(Vec::new()),
                // Refused for its empty name, after the authorization.
                "create_workload" => form(vec![("form[name]", String::new())]),
                "update_workload" => form(vec![
                    ("id", id.into()),
                    ("form[name]", String::new()),
                    ("form[revision]", "1".into()),
                ]),
                // Promoting with open requirements and no reason, or demoting a prototype:
                // both refused by the phase rules once the caller is allowed.
                "change_phase" => form(vec![
                    ("id", id.into()),
                    ("revision", "1".into()),
                    ("direction", direction.into()),
                ]),
                "get_person" => json(format!(r#"{{"id":"{person}"}}"#)),
                // Refused by their checks once the caller may administer.
                "add_person" => form(vec![
                    ("form[name]", String::new()),
                    ("form[email]", String::new()),
                    ("form[role]", String::new()),
                ]),
                "grant_role" | "revoke_role" => {
                    form(vec![("id", person.into()), ("role", "nobody".into())])
                }
                "set_person_disabled" => {
                    form(vec![("id", person.into()), ("disabled", "false".into())])
                }
                "reset_person_password" => form(vec![("id", person.into())]),
                // Refused for the empty code or password once the caller may; without a
                // waiting sign-in the code step sends the browser back to sign in.
                "confirm_second_factor" | "verify_second_factor" => {
                    form(vec![("code", String::new())])
                }
                "remove_second_factor" => form(vec![("password", String::new())]),
                "start_second_factor" => form(Vec::new()),
                "set_second_factor_required" => form(vec![("required", "false".into())]),
                "list_audit_events" => json(r#"{"query":{}}"#.into()),
                "audit_job" => json(r#"{"id":1}"#.into()),
                "verify_audit_chain" => form(Vec::new()),
                // A rejection without its comment: refused by its check once the caller may
                // review, before any attestation is read.
                "decide_attestation" => form(vec![
                    ("id", "none".into()),
                    ("verdict", "reject".into()),
                    ("comment", String::new()),
                ]),
                // Refused for the empty name; restoring a team in use changes nothing.
                "add_team" => form(vec![("name", String::new())]),
                "rename_team" => form(vec![("id", team.into()), ("name", String::new())]),
                "set_team_archived" => {
                    form(vec![("id", team.into()), ("archived", "false".into())])
                }
                _ => json("{}".into()),
            }
        }
    }
}

fn grant(role: Role, scope: GrantScope) -> Grant {
    Grant::new(role, scope).expect("allowed")
}

async fn every_endpoint_answers_every_role_as_the_policy_says(t: &TestDb) {
    let s = seeded(t).await;
    // Every workload then has open requirements: no allowed cell can change a phase.
    strata_server::catalog::load_starter(&s.store, &by("test"))
        .await
        .expect("catalog");
    let teams = s.store.list_teams().await.expect("teams");
    let team = |name: &str| {
        teams
            .iter()
            .find(|t| t.name == name)
            .expect("team")
            .id
            .clone()
    };
    let (a, b) = (team("Customer Experience"), team("Risk & Fraud"));
    let query = WorkloadQuery {
        team: Some(a.0.clone()),
        phase: Some(Phase::Prototype),
        ..WorkloadQuery::default()
    };
    let workload = s
        .store
        .list_workloads(&query, &app::domain::policy::Reach::Organization)
        .await
        .expect("list")
        .rows
        .first()
        .expect("a prototype of team A")
        .id
        .clone();
    // The person the admin endpoints are asked about.
    let subject = person_with(&s, "matrix-subject@example.org", &[]).await;
    let before = s
        .store
        .get_workload(&workload)
        .await
        .expect("read")
        .expect("exists");
    let control = s
        .store
        .requirements(&workload)
        .await
        .expect("requirements")
        .into_iter()
        .find(|r| r.required)
        .expect("a requirement of the prototype")
        .control_id;
    let named = Named {
        workload: &workload,
        person: &subject,
        team: &a,
        control: &control,
    };
    let org = GrantScope::Organization;
    let callers: Vec<(&str, Option<Vec<Grant>>)> = vec![
        ("visitor", None),
        ("no role", Some(vec![])),
        ("admin", Some(vec![grant(Role::Admin, org.clone())])),
        (
            "security lead",
            Some(vec![grant(Role::SecurityLead, org.clone())]),
        ),
        (
            "contributor in team",
            Some(vec![grant(Role::Contributor, GrantScope::Team(a.clone()))]),
        ),
        (
            "contributor of another team",
            Some(vec![grant(Role::Contributor, GrantScope::Team(b.clone()))]),
        ),
        (
            "auditor of the team",
            Some(vec![grant(Role::Auditor, GrantScope::Team(a.clone()))]),
        ),
        (
            "auditor of another team",
            Some(vec![grant(Role::Auditor, GrantScope::Team(b.clone()))]),
        ),
        (
            "organization auditor",
            Some(vec![grant(Role::Auditor, org.clone())]),
        ),
    ];
    // Signing out ends the caller's session: it goes last.
    let mut endpoints: Vec<_> = ENDPOINTS.iter().collect();
    endpoints.sort_by_key(|e| e.path == "/api/sign_out");
    let (mut cells, mut wrong) = (0, Vec::new());
    for (i, (who, grants)) in callers.iter().enumerate() {
        let c = match grants {
            None => client(),
            Some(g) => {
                let email = format!("matrix{i}@example.org");
                person_with(&s, &email, g).await;
                signed_in(&s, &email).await
            }
        };
        for e in &endpoints {
            let directions: &[&str] = if e.guard == Guard::PhaseChange {
                &["promote", "demote"]
            } else {
                &[""]
            };
            for direction in directions {
                let expect = expected(e.guard, grants.as_deref(), &a, direction);
                let res = request(&c, &s, e.kind, e.path, &named, direction)
                    .send()
                    .await
                    .expect("request");
                let status = res.status().as_u16();
                cells += 1;
                if !answers(expect, e.kind, status) {
                    wrong.push(format!(
                        "{who}: {} {direction} → {status}, expected {expect:?}",
                        e.path
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells answered against the policy:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(cells >= 9 * ENDPOINTS.len(), "{cells} cells");
    let after = s
        .store
        .get_workload(&workload)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        after.revision, before.revision,
        "no cell changed the workload"
    );
    assert!(
        s.store
            .attestations_of(&workload)
            .await
            .expect("attestations")
            .is_empty(),
        "no cell attested"
    );
}

on_both_backends!(every_endpoint_answers_every_role_as_the_policy_says);
