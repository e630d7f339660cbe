//! Signing in and out through the real router on both backends: a new session id at sign-in,
//! the session row gone at sign-out, one answer for every wrong email or password, a throttle
//! that slows an account without locking it, and the session epoch that ends a person's other
//! sessions when their password changes or their account is disabled.

use crate::http::{body, client, seeded, start_with, Running};
use crate::http_forms::{location, post_form};
use crate::http_sessions::sessions;
use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::UserId;
use app::ports::PasswordKind;
use app::service::sign_in::NOT_RIGHT;
use std::sync::Arc;
use strata_server::passwords::Passwords;

pub const PASSWORD: &str = "correct horse battery staple";

/// A person of the organization with `PASSWORD` and one grant of `role` (per team for a
/// contributor: the first team by name).
pub async fn person(s: &Running, email: &str, role: Role) -> UserId {
    let scope = match role {
        Role::Contributor => {
            let teams = s.store.list_teams().await.expect("teams");
            GrantScope::Team(teams.first().expect("a team").id.clone())
        }
        _ => GrantScope::Organization,
    };
    let grant = Grant::new(role, scope).expect("allowed");
    person_with(s, email, &[grant]).await
}

/// A person of the organization with `PASSWORD` and exactly `grants`.
pub async fn person_with(s: &Running, email: &str, grants: &[Grant]) -> UserId {
    let user = s
        .store
        .create_user(email, email, false, &by("test"))
        .await
        .expect("user");
    for grant in grants {
        s.store
            .grant(&user.id, grant, &by("test"))
            .await
            .expect("grant");
    }
    let hash = Passwords::new(1).hash(PASSWORD).await.expect("hash");
    s.store
        .set_password(&user.id, &hash, PasswordKind::Chosen, &by("test"))
        .await
        .expect("password");
    user.id
}

/// Posts the sign-in form as a browser without JavaScript does.
pub async fn sign_in(
    c: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    post_form(
        c,
        base,
        "sign_in",
        "/login",
        &[
            ("email", email),
            ("password", password),
            ("next", "/workloads"),
        ],
    )
    .await
}

/// Makes each helper-made person's email unique within the test process.
static PEOPLE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A client signed in as a new person holding one grant of `role` (`person`).
pub async fn as_role(s: &Running, role: Role) -> reqwest::Client {
    let n = PEOPLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let email = format!("{}-{n}@example.org", role.code().replace('_', "-"));
    person(s, &email, role).await;
    signed_in(s, &email).await
}

/// A client signed in as a security lead: the role that may read and change every workload.
pub async fn lead(s: &Running) -> reqwest::Client {
    as_role(s, Role::SecurityLead).await
}

/// A client signed in as `email`.
pub async fn signed_in(s: &Running, email: &str) -> reqwest::Client {
    let c = client();
    let res = sign_in(&c, &s.base, email, PASSWORD).await;
    assert_eq!(location(&res), "/workloads", "signed in as {email}");
    c
}

/// The name the navigation shows as signed in, if any.
async fn signed_in_name(c: &reqwest::Client, base: &str) -> Option<String> {
    let html = body(c, format!("{base}/")).await;
    let at = html.find("data-testid=\"signed-in-name\"")?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</a>")?;
    Some(rest[start..end].to_string())
}

fn set_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n")
}

fn cookie_value(set_cookie: &str) -> Option<String> {
    let pair = set_cookie.split(';').next()?;
    pair.split_once('=').map(|(_, v)| v.to_string())
}

async fn signing_in_starts_a_new_session_and_signing_out_deletes_it(t: &TestDb) {
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    let c = client();
    // A refused attempt first: its flash session's id (which a planted cookie could have
    // chosen) must not survive the sign-in. Its flash is not read, so the cookie stays set.
    let refused = sign_in(&c, &s.base, "ada@example.org", "not the password at all").await;
    let before = cookie_value(&set_cookie(&refused)).expect("a flash session");
    assert_eq!(sessions(&t.db).await.0, 1);

    let res = sign_in(&c, &s.base, "ADA@example.org", PASSWORD).await;
    assert_eq!(location(&res), "/workloads", "next is honoured");
    let cookie = set_cookie(&res);
    let after = cookie_value(&cookie).expect("a session cookie");
    assert_ne!(before, after, "a new session id at sign-in");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        cookie.starts_with("strata="),
        "plain name over http: {cookie}"
    );
    assert_eq!(
        signed_in_name(&c, &s.base).await.as_deref(),
        Some("ada@example.org")
    );
    let (rows, _, _) = sessions(&t.db).await;
    assert_eq!(
        rows, 1,
        "the flash-only session became the signed-in one, under a new id"
    );
    let planted = client()
        .get(format!("{}/", s.base))
        .header("cookie", format!("strata={before}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        !planted.contains("signed-in-name"),
        "the id from before sign-in is nobody's"
    );

    let out = post_form(&c, &s.base, "sign_out", "/", &[]).await;
    assert_eq!(location(&out), "/login");
    assert_eq!(sessions(&t.db).await.0, 0, "signing out deletes the row");
    assert_eq!(signed_in_name(&c, &s.base).await, None);
    // The old cookie, replayed, is nobody's.
    let replay = client();
    let html = replay
        .get(format!("{}/", s.base))
        .header("cookie", format!("strata={after}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(!html.contains("signed-in-name"));
}

async fn every_wrong_sign_in_gets_the_same_answer_and_keeps_no_password(t: &TestDb) {
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    let disabled = person(&s, "old@example.org", Role::Contributor).await;
    s.store
        .set_disabled(&disabled, true, &by("admin"))
        .await
        .expect("disable");
    let cases = [
        ("ada@example.org", "the wrong password, long enough"),
        ("nobody@example.org", PASSWORD),
        ("old@example.org", PASSWORD),
        ("amira.haddad@example.test", "strata-demo-password-wrong"),
        // A demo person without the demo password has none until an admin sets one.
        (
            "chloe.martin@example.test",
            strata_server::demo::DEMO_PASSWORD,
        ),
    ];
    for (email, password) in cases {
        let c = client();
        let res = sign_in(&c, &s.base, email, password).await;
        assert_eq!(location(&res), "/login", "{email}");
        let page = body(&c, format!("{}/login", s.base)).await;
        assert!(page.contains(NOT_RIGHT), "{email}: {page}");
        assert!(
            page.contains(&format!("value=\"{email}\"")),
            "the email is kept"
        );
        assert!(
            !page.contains(password),
            "the password is never shown again"
        );
        assert_eq!(signed_in_name(&c, &s.base).await, None);
    }
    // An empty form names its fields.
    let c = client();
    sign_in(&c, &s.base, " ", "").await;
    let page = body(&c, format!("{}/login", s.base)).await;
    assert!(page.contains("Enter the email you sign in with."));
    assert!(page.contains("Enter your password."));
}

async fn next_only_leads_to_this_site(t: &TestDb) {
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    for (next, expected) in [
        ("/catalog", "/catalog"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("", "/"),
    ] {
        let c = client();
        let res = post_form(
            &c,
            &s.base,
            "sign_in",
            "/login",
            &[
                ("email", "ada@example.org"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(location(&res), expected, "next {next:?}");
    }
}

async fn failures_slow_an_account_but_never_lock_it_out(t: &TestDb) {
    let limit = app::service::sign_in::ACCOUNT_FAILURES;
    crate::support::within_one_window(limit.window_seconds, 40).await;
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    let attacker = client();
    for _ in 0..6 {
        sign_in(
            &attacker,
            &s.base,
            "ada@example.org",
            "guess guess guess guess",
        )
        .await;
    }
    // After six failures each attempt waits a second before it is checked; the person who
    // knows the password still gets in.
    let ada = client();
    let started = std::time::Instant::now();
    let res = sign_in(&ada, &s.base, "ada@example.org", PASSWORD).await;
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "slowed"
    );
    assert_eq!(location(&res), "/workloads", "not locked out");
}

async fn one_address_is_refused_after_sixty_attempts_in_ten_minutes(t: &TestDb) {
    let limit = app::service::attempts::SIGN_IN_PER_ADDRESS;
    crate::support::within_one_window(limit.window_seconds, 40).await;
    let s = seeded(t).await;
    let c = client();
    for i in 0..60 {
        let res = sign_in(
            &c,
            &s.base,
            &format!("nobody{i}@example.org"),
            "whatever it is",
        )
        .await;
        assert_eq!(res.status().as_u16(), 302, "attempt {i}");
    }
    let res = sign_in(&c, &s.base, "nobody@example.org", "whatever it is").await;
    assert_eq!(res.status().as_u16(), 429);
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("Too many attempts"));
}

async fn a_password_change_ends_the_other_sessions_and_keeps_this_one(t: &TestDb) {
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    let here = signed_in(&s, "ada@example.org").await;
    let elsewhere = signed_in(&s, "ada@example.org").await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let here = here.clone();
        let base = s.base.clone();
        async move {
            post_form(
                &here,
                &base,
                "change_password",
                "/account/password",
                &[("current", current), ("new", new), ("confirm", confirm)],
            )
            .await
        }
    };
    let page = || body(&here, format!("{}/account/password", s.base));
    change(
        "wrong current password",
        "a brand new passphrase",
        "a brand new passphrase",
    )
    .await;
    assert!(page().await.contains("This is not your current password."));
    change(PASSWORD, "short", "short").await;
    assert!(page().await.contains("Use at least 15 characters"));
    change(
        PASSWORD,
        "a brand new passphrase",
        "a brand new passphrase!",
    )
    .await;
    assert!(page()
        .await
        .contains("This is not the same as the new password."));
    assert_eq!(
        signed_in_name(&elsewhere, &s.base).await.as_deref(),
        Some("ada@example.org"),
        "refusals change nothing"
    );

    let res = change(PASSWORD, "a brand new passphrase", "a brand new passphrase").await;
    assert_eq!(location(&res), "/account/password?changed=1");
    assert!(
        body(&here, format!("{}/account/password?changed=1", s.base))
            .await
            .contains("Your password was changed.")
    );
    assert_eq!(
        signed_in_name(&here, &s.base).await.as_deref(),
        Some("ada@example.org"),
        "this session goes on"
    );
    assert_eq!(
        signed_in_name(&elsewhere, &s.base).await,
        None,
        "the other one ended"
    );
    let old = sign_in(&client(), &s.base, "ada@example.org", PASSWORD).await;
    assert_eq!(location(&old), "/login");
    let new = sign_in(
        &client(),
        &s.base,
        "ada@example.org",
        "a brand new passphrase",
    )
    .await;
    assert_eq!(location(&new), "/workloads");
}

async fn a_temporary_password_must_be_replaced_before_anything_else(t: &TestDb) {
    let s = seeded(t).await;
    person(&s, "ada@example.org", Role::Contributor).await;
    let hasher = Passwords::new(1);
    app::service::accounts::reset_password(
        &*s.store,
        &hasher,
        "ada@example.org",
        "temporary password 1234",
        &by("admin"),
    )
    .await
    .expect("reset");
    let c = client();
    let res = sign_in(&c, &s.base, "ada@example.org", "temporary password 1234").await;
    assert_eq!(location(&res), "/account/password");
    let page = c
        .get(format!("{}/workloads", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status().as_u16(), 303);
    assert_eq!(location(&page), "/account/password");
    let plain = c
        .get(format!("{}/workloads", s.base))
        .send()
        .await
        .expect("get");
    assert_eq!(plain.status().as_u16(), 409, "whatever the client accepts");
    let call = post_form(&c, &s.base, "list_workloads", "/", &[]).await;
    assert_eq!(call.status().as_u16(), 409);
    assert!(body(&c, format!("{}/account/password", s.base))
        .await
        .contains("An administrator set your password"));
    post_form(
        &c,
        &s.base,
        "change_password",
        "/account/password",
        &[
            ("current", "temporary password 1234"),
            ("new", "a brand new passphrase"),
            ("confirm", "a brand new passphrase"),
        ],
    )
    .await;
    let page = c
        .get(format!("{}/workloads", s.base))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status().as_u16(), 200, "free to go on");
}

async fn disabling_a_person_ends_their_session_and_their_sign_in(t: &TestDb) {
    let s = seeded(t).await;
    let ada = person(&s, "ada@example.org", Role::Contributor).await;
    let c = signed_in(&s, "ada@example.org").await;
    s.store
        .set_disabled(&ada, true, &by("admin"))
        .await
        .expect("disable");
    assert_eq!(signed_in_name(&c, &s.base).await, None);
    assert_eq!(
        sessions(&t.db).await.0,
        0,
        "the ended session's row is deleted"
    );
    let again = sign_in(&client(), &s.base, "ada@example.org", PASSWORD).await;
    assert_eq!(location(&again), "/login");
    s.store
        .set_disabled(&ada, false, &by("admin"))
        .await
        .expect("enable");
    signed_in(&s, "ada@example.org").await;
}

/// A revoked role is gone at the next request: the session ends (the person signs in again
/// with what they still hold).
async fn revoking_a_role_ends_the_persons_sessions(t: &TestDb) {
    let s = seeded(t).await;
    let ada = person(&s, "ada@example.org", Role::SecurityLead).await;
    let c = signed_in(&s, "ada@example.org").await;
    let lead = Grant::new(Role::SecurityLead, GrantScope::Organization).expect("allowed");
    s.store
        .revoke(&ada, &lead, &by("admin"))
        .await
        .expect("revoke");
    assert_eq!(signed_in_name(&c, &s.base).await, None);
}

async fn demo_passwords_work_on_loopback_only(t: &TestDb) {
    let on_loopback = seeded(t).await;
    let demo = strata_server::demo::DEMO_PASSWORD;
    let res = sign_in(
        &client(),
        &on_loopback.base,
        "amira.haddad@example.test",
        demo,
    )
    .await;
    assert_eq!(location(&res), "/workloads", "on loopback");
    drop(on_loopback);
    // The same database served on every interface.
    let everywhere = start_with(
        t,
        t.db.clone(),
        Arc::new(t.db.clone()),
        &[("STRATA_ADDR", "0.0.0.0:0")],
    )
    .await;
    let c = client();
    let res = sign_in(&c, &everywhere.base, "amira.haddad@example.test", demo).await;
    assert_eq!(location(&res), "/login");
    assert!(body(&c, format!("{}/login", everywhere.base))
        .await
        .contains("Demo passwords work only while Strata listens on loopback"));
}

async fn cookies_are_secure_with_the_host_prefix_over_https(t: &TestDb) {
    let s = start_with(
        t,
        t.db.clone(),
        Arc::new(t.db.clone()),
        &[("STRATA_PUBLIC_URL", "https://strata.example")],
    )
    .await;
    strata_server::demo::seed(&s.store).await.expect("seed");
    person(&s, "ada@example.org", Role::Contributor).await;
    let res = client()
        .post(format!("{}/api/sign_in", s.base))
        .header("accept", "text/html")
        .header("host", "strata.example")
        .header("origin", "https://strata.example")
        .form(&[("email", "ada@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(location(&res), "/", "signed in");
    let cookie = set_cookie(&res);
    assert!(cookie.starts_with("__Host-strata="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

/// Sign-ins, refused sign-ins and sign-outs are recorded: the account when the email names
/// one, never the typed text.
async fn sign_ins_and_sign_outs_are_recorded_without_what_was_typed(t: &TestDb) {
    let s = seeded(t).await;
    let ada = person(&s, "ada@example.org", Role::Contributor).await;
    sign_in(
        &client(),
        &s.base,
        "ada@example.org",
        "a wrong guess of hers",
    )
    .await;
    sign_in(
        &client(),
        &s.base,
        "Typed.Nobody@example.org",
        "another wrong guess",
    )
    .await;
    let c = signed_in(&s, "ada@example.org").await;
    post_form(&c, &s.base, "sign_out", "/", &[]).await;
    let events = s.store.recent_events(4).await.expect("events");
    let seen: Vec<(&str, &str)> = events
        .iter()
        .rev()
        .map(|e| (e.action.as_str(), e.entity.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("session.sign_in_failed", ada.as_str()),
            ("session.sign_in_failed", "unknown account"),
            ("session.sign_in", ada.as_str()),
            ("session.sign_out", ada.as_str()),
        ]
    );
    assert!(events[3].details.contains("wrong password"));
    assert!(events[2].details.contains("unknown account"));
    for e in &events {
        let all = format!("{} {} {} {}", e.actor, e.entity, e.details, e.action);
        assert!(
            !all.to_lowercase().contains("typed.nobody") && !all.contains("guess"),
            "{all}"
        );
    }
    assert_eq!(
        events[0].actor_id.as_ref(),
        Some(&ada),
        "signed out by herself"
    );
}

on_both_backends!(
    sign_ins_and_sign_outs_are_recorded_without_what_was_typed,
    signing_in_starts_a_new_session_and_signing_out_deletes_it,
    every_wrong_sign_in_gets_the_same_answer_and_keeps_no_password,
    next_only_leads_to_this_site,
    failures_slow_an_account_but_never_lock_it_out,
    one_address_is_refused_after_sixty_attempts_in_ten_minutes,
    a_password_change_ends_the_other_sessions_and_keeps_this_one,
    a_temporary_password_must_be_replaced_before_anything_else,
    disabling_a_person_ends_their_session_and_their_sign_in,
    revoking_a_role_ends_the_persons_sessions,
    demo_passwords_work_on_loopback_only,
    cookies_are_secure_with_the_host_prefix_over_https
);
