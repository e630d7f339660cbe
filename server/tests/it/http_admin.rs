//! Administering people through the real router on both backends, as an administrator would
//! without JavaScript: adding a contributor for one team (their temporary password shown
//! once), who signs in, replaces it and sees their team only; refused additions naming the
//! field; granting and revoking roles; disabling a person who owns workloads only with a new
//! owner for them; resetting a password. Nobody but an administrator reaches any of it.

use crate::http::{body, client, seeded, Running};
use crate::http_accounts::{as_role, person, sign_in, PASSWORD};
use crate::http_forms::{location, post_form};
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::policy::Role;
use app::domain::UserId;

/// The temporary password in a person page's notice.
fn temporary_password(page: &str) -> String {
    let at = page.find("Temporary password for").expect("a notice");
    let rest = &page[at..];
    let start = rest.find(": ").expect("colon") + 2;
    rest[start..]
        .split_whitespace()
        .next()
        .expect("password")
        .to_string()
}

async fn team_id(s: &Running, name: &str) -> String {
    let teams = s.store.list_teams().await.expect("teams");
    teams
        .iter()
        .find(|t| t.name == name)
        .expect("team")
        .id
        .0
        .clone()
}

async fn add(
    c: &reqwest::Client,
    s: &Running,
    name: &str,
    email: &str,
    role: &str,
    team: &str,
) -> reqwest::Response {
    post_form(
        c,
        &s.base,
        "add_person",
        "/admin/people",
        &[
            ("form[name]", name),
            ("form[email]", email),
            ("form[role]", role),
            ("form[team_id]", team),
        ],
    )
    .await
}

async fn an_admin_adds_a_contributor_who_signs_in_and_sees_their_team_only(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    let risk = team_id(&s, "Risk & Fraud").await;
    let res = add(
        &admin,
        &s,
        "Zoe Park",
        "Zoe.Park@example.org",
        "contributor",
        &risk,
    )
    .await;
    let page = location(&res);
    assert!(page.starts_with("/admin/people/"), "{page}");
    let shown = body(&admin, format!("{}{page}", s.base)).await;
    assert!(
        shown.contains("Contributor · Risk &amp; Fraud"),
        "the grant is listed"
    );
    let password = temporary_password(&shown);
    assert!(
        !body(&admin, format!("{}{page}", s.base))
            .await
            .contains(&password),
        "shown once"
    );
    let people = body(&admin, format!("{}/admin/people", s.base)).await;
    assert!(people.contains("zoe.park@example.org") && people.contains("Temporary password"));

    let zoe = client();
    let res = sign_in(&zoe, &s.base, "zoe.park@example.org", &password).await;
    assert_eq!(
        location(&res),
        "/account/password",
        "the temporary password is replaced first"
    );
    post_form(
        &zoe,
        &s.base,
        "change_password",
        "/account/password",
        &[
            ("current", &password),
            ("new", "zoe picks her own phrase"),
            ("confirm", "zoe picks her own phrase"),
        ],
    )
    .await;
    let list = body(&zoe, format!("{}/workloads", s.base)).await;
    assert!(list.contains("Credit scorer"), "her team's workloads");
    assert!(!list.contains("Support chatbot"), "no other team's");
    assert!(!list.contains("/admin/people"), "no admin link for her");
}

async fn a_refused_addition_names_the_field_and_adds_nobody(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    let before = s.store.list_users().await.expect("people").len();
    let cases = [
        (
            "",
            "x@example.org",
            "auditor",
            String::new(),
            "Enter the person&#x27;s name.",
        ),
        (
            "X",
            "not an email",
            "auditor",
            String::new(),
            "Enter an email address",
        ),
        (
            "X",
            "x@example.org",
            "root",
            String::new(),
            "Choose a role from the list.",
        ),
        (
            "X",
            "x@example.org",
            "contributor",
            String::new(),
            "Contributor is granted per team: choose a team.",
        ),
        (
            "X",
            "x@example.org",
            "admin",
            team_id(&s, "Risk & Fraud").await,
            "granted for the whole organization",
        ),
        (
            "X",
            "ben.okafor@example.test",
            "auditor",
            String::new(),
            "Someone already signs in with this email.",
        ),
    ];
    for (name, email, role, team, told) in cases {
        let res = add(&admin, &s, name, email, role, &team).await;
        assert_eq!(location(&res), "/admin/people", "{told}");
        let page = body(&admin, format!("{}/admin/people", s.base)).await;
        let page = page.replace("'", "&#x27;");
        assert!(
            page.contains(told),
            "{told}: {}",
            &page[page.find("add-person").unwrap_or(0)..]
                [..600.min(page.len() - page.find("add-person").unwrap_or(0))]
        );
    }
    assert_eq!(
        s.store.list_users().await.expect("people").len(),
        before,
        "nobody was added"
    );
}

async fn roles_are_granted_and_revoked_and_a_revoke_ends_sessions(t: &TestDb) {
    let s = seeded(t).await;
    let root = person(&s, "root@example.org", Role::Admin).await;
    let admin = crate::http_accounts::signed_in(&s, "root@example.org").await;
    let ada = person(&s, "ada@example.org", Role::Auditor).await;
    let ada_client = crate::http_accounts::signed_in(&s, "ada@example.org").await;
    let page = format!("/admin/people/{ada}");
    let risk = team_id(&s, "Risk & Fraud").await;
    post_form(
        &admin,
        &s.base,
        "grant_role",
        &page,
        &[
            ("id", ada.as_str()),
            ("role", "contributor"),
            ("team_id", &risk),
        ],
    )
    .await;
    let shown = body(&admin, format!("{}{page}", s.base)).await;
    assert!(shown.contains("Contributor · Risk &amp; Fraud"));
    assert_eq!(s.store.grants(&ada).await.expect("grants").len(), 2);
    post_form(
        &admin,
        &s.base,
        "revoke_role",
        &page,
        &[("id", ada.as_str()), ("role", "auditor"), ("team_id", "")],
    )
    .await;
    assert_eq!(s.store.grants(&ada).await.expect("grants").len(), 1);
    let home = body(&ada_client, format!("{}/", s.base)).await;
    assert!(
        !home.contains("signed-in-name"),
        "her session ended with the revoke"
    );
    // An administrator cannot take their own administrator role.
    let mine = format!("/admin/people/{root}");
    post_form(
        &admin,
        &s.base,
        "revoke_role",
        &mine,
        &[("id", root.as_str()), ("role", "admin"), ("team_id", "")],
    )
    .await;
    assert!(body(&admin, format!("{}{mine}", s.base))
        .await
        .contains("cannot change your own roles or account here"));
    assert_eq!(
        s.store.grants(&root).await.expect("grants").len(),
        1,
        "still an administrator"
    );
    // Nor give themselves a role design §1 keeps from administrators, nor reset their own.
    post_form(
        &admin,
        &s.base,
        "grant_role",
        &mine,
        &[
            ("id", root.as_str()),
            ("role", "security_lead"),
            ("team_id", ""),
        ],
    )
    .await;
    assert_eq!(
        s.store.grants(&root).await.expect("grants").len(),
        1,
        "no role granted"
    );
    post_form(
        &admin,
        &s.base,
        "reset_person_password",
        &mine,
        &[("id", root.as_str())],
    )
    .await;
    assert!(body(&admin, format!("{}{mine}", s.base))
        .await
        .contains("cannot change your own roles or account here"));
    assert!(
        body(&admin, format!("{}/", s.base))
            .await
            .contains("signed-in-name"),
        "still signed in"
    );
}

async fn disabling_an_owner_needs_a_new_owner_for_their_workloads(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    let people = s.store.list_users().await.expect("people");
    let id = |email: &str| {
        people
            .iter()
            .find(|u| u.email == email)
            .expect("person")
            .id
            .clone()
    };
    let (ben, chloe) = (
        id("ben.okafor@example.test"),
        id("chloe.martin@example.test"),
    );
    let owned = s.store.workloads_owned_by(&ben).await.expect("owned");
    assert!(!owned.is_empty(), "Ben owns workloads");
    let page = format!("/admin/people/{ben}");
    post_form(
        &admin,
        &s.base,
        "set_person_disabled",
        &page,
        &[("id", ben.as_str()), ("disabled", "true")],
    )
    .await;
    let shown = body(&admin, format!("{}{page}", s.base)).await;
    assert!(
        shown.contains("Choose who owns them instead."),
        "the workloads are listed"
    );
    assert!(
        !s.store
            .credentials(&ben)
            .await
            .expect("read")
            .expect("exists")
            .disabled
    );
    post_form(
        &admin,
        &s.base,
        "set_person_disabled",
        &page,
        &[
            ("id", ben.as_str()),
            ("disabled", "true"),
            ("new_owner", chloe.as_str()),
        ],
    )
    .await;
    assert!(
        s.store
            .credentials(&ben)
            .await
            .expect("read")
            .expect("exists")
            .disabled
    );
    assert!(s
        .store
        .workloads_owned_by(&ben)
        .await
        .expect("owned")
        .is_empty());
    let chloes = s.store.workloads_owned_by(&chloe).await.expect("owned");
    assert!(
        owned.iter().all(|w| chloes.contains(w)),
        "Chloé owns them now"
    );
    let res = sign_in(
        &client(),
        &s.base,
        "ben.okafor@example.test",
        strata_server::demo::DEMO_PASSWORD,
    )
    .await;
    assert_eq!(location(&res), "/login", "disabled");
    post_form(
        &admin,
        &s.base,
        "set_person_disabled",
        &page,
        &[("id", ben.as_str()), ("disabled", "false")],
    )
    .await;
    assert!(
        !s.store
            .credentials(&ben)
            .await
            .expect("read")
            .expect("exists")
            .disabled
    );
}

async fn a_reset_password_works_once_shown_and_ends_the_old_one(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    let ada: UserId = person(&s, "ada@example.org", Role::Auditor).await;
    let page = format!("/admin/people/{ada}");
    post_form(
        &admin,
        &s.base,
        "reset_person_password",
        &page,
        &[("id", ada.as_str())],
    )
    .await;
    let password = temporary_password(&body(&admin, format!("{}{page}", s.base)).await);
    let old = sign_in(&client(), &s.base, "ada@example.org", PASSWORD).await;
    assert_eq!(location(&old), "/login");
    let new = sign_in(&client(), &s.base, "ada@example.org", &password).await;
    assert_eq!(location(&new), "/account/password");
}

async fn nobody_but_an_administrator_reaches_the_admin_pages(t: &TestDb) {
    let s = seeded(t).await;
    for role in [Role::SecurityLead, Role::Contributor, Role::Auditor] {
        let c = as_role(&s, role).await;
        let res = c
            .get(format!("{}/admin/people", s.base))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status().as_u16(), 403, "{role:?}");
        let res = add(&c, &s, "X", "x@example.org", "admin", "").await;
        assert_eq!(
            res.status().as_u16(),
            403,
            "{role:?} cannot add an administrator"
        );
    }
    assert!(s
        .store
        .credentials_by_email("x@example.org")
        .await
        .expect("read")
        .is_none());
}

/// Teams are added, renamed, archived and restored; an archived team's workloads are read,
/// never changed, and it is offered for no workload.
async fn an_archived_teams_workloads_stay_readable_and_cannot_change(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    post_form(
        &admin,
        &s.base,
        "add_team",
        "/admin/teams",
        &[("name", "Data Platform")],
    )
    .await;
    for (name, told) in [
        ("", "Enter the team&#x27;s name."),
        ("Risk & Fraud", "Another team has this name."),
    ] {
        post_form(
            &admin,
            &s.base,
            "add_team",
            "/admin/teams",
            &[("name", name)],
        )
        .await;
        let page = body(&admin, format!("{}/admin/teams", s.base))
            .await
            .replace('\'', "&#x27;");
        assert!(page.contains(told), "{told}");
    }
    let platform = team_id(&s, "Data Platform").await;
    post_form(
        &admin,
        &s.base,
        "rename_team",
        "/admin/teams",
        &[("id", &platform), ("name", "Data Platform EU")],
    )
    .await;
    assert!(body(&admin, format!("{}/admin/teams", s.base))
        .await
        .contains("Data Platform EU"));

    let risk = team_id(&s, "Risk & Fraud").await;
    post_form(
        &admin,
        &s.base,
        "set_team_archived",
        "/admin/teams",
        &[("id", &risk), ("archived", "true")],
    )
    .await;
    let lead = as_role(&s, Role::SecurityLead).await;
    let list = body(&lead, format!("{}/workloads?q=credit%20scorer", s.base)).await;
    let link = crate::http::first_workload_link(&list);
    let page = lead
        .get(format!("{}{link}", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200, "still readable");
    let page = page.text().await.expect("body");
    assert!(
        !page.contains(&format!("{link}/edit")) && !page.contains("data-testid=\"promote\""),
        "nothing to change"
    );
    let id = link.trim_start_matches("/workloads/");
    let w = s
        .store
        .get_workload(&app::domain::WorkloadId(id.into()))
        .await
        .expect("read")
        .expect("exists");
    let revision = w.revision.to_string();
    post_form(
        &lead,
        &s.base,
        "change_phase",
        &link,
        &[("id", id), ("revision", &revision), ("direction", "demote")],
    )
    .await;
    assert!(body(&lead, format!("{}{link}", s.base))
        .await
        .contains("is archived: its workloads can be read, not changed."));
    let edit = lead
        .get(format!("{}{link}/edit", s.base))
        .send()
        .await
        .expect("edit");
    assert_eq!(edit.status().as_u16(), 409);
    let choices = lead
        .post(format!("{}/api/get_form_choices", s.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("choices")
        .text()
        .await
        .expect("body");
    assert!(
        !choices.contains("Risk &") && !choices.contains(&risk),
        "not offered"
    );
    let after = s
        .store
        .get_workload(&w.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(after.revision, w.revision, "nothing changed");

    post_form(
        &admin,
        &s.base,
        "set_team_archived",
        "/admin/teams",
        &[("id", &risk), ("archived", "false")],
    )
    .await;
    let edit = lead
        .get(format!("{}{link}/edit", s.base))
        .send()
        .await
        .expect("edit");
    assert_eq!(edit.status().as_u16(), 200, "restored");
}

on_both_backends!(
    an_archived_teams_workloads_stay_readable_and_cannot_change,
    an_admin_adds_a_contributor_who_signs_in_and_sees_their_team_only,
    a_refused_addition_names_the_field_and_adds_nobody,
    roles_are_granted_and_revoked_and_a_revoke_ends_sessions,
    disabling_an_owner_needs_a_new_owner_for_their_workloads,
    a_reset_password_works_once_shown_and_ends_the_old_one,
    nobody_but_an_administrator_reaches_the_admin_pages
);
