//! The second factor through the real router on both backends: setting it up with a code of
//! the app, recovery codes shown once, signing in with a code or a recovery code (each once),
//! too many wrong codes, turning it off with the password, and the administrators' setting that
//! holds administrators and security leads at the set-up until they have one.

use crate::http::{body, client, seeded, Running};
use crate::http_accounts::{as_role, person, sign_in, signed_in, PASSWORD};
use crate::http_forms::{location, post_form};
use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::policy::Role;
use app::dto::SecondFactorView;
use app::ports::PasswordKind;
use app::service::second_factor::{CODE_ATTEMPTS, SIGN_IN_AGAIN, TOO_MANY_CODES, WRONG_CODE};
use app::service::totp::{code_at_step, step_at, Secret};

const PAGE: &str = "/account/second-factor";

/// Calls a server function that takes JSON.
async fn json_call(c: &reqwest::Client, s: &Running, name: &str) -> reqwest::Response {
    c.post(format!("{}/api/{name}", s.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("call")
}

async fn status(c: &reqwest::Client, s: &Running) -> SecondFactorView {
    let res = json_call(c, s, "second_factor_status").await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("status")
}

/// The recovery codes a page shows (`xxxx-xxxx-xxxx-xxxx`).
fn recovery_codes(html: &str) -> Vec<String> {
    let Some(at) = html.find("data-testid=\"recovery-codes\"") else {
        return Vec::new();
    };
    let list = &html[at..at + html[at..].find("</ol>").expect("list end")];
    list.split("<code>")
        .skip(1)
        .filter_map(|part| part.split("</code>").next())
        .map(String::from)
        .collect()
}

/// The code of the app `secret` shows `steps` steps from now.
fn code(secret: &Secret, steps: i64) -> String {
    code_at_step(secret, step_at(chrono::Utc::now().timestamp()) + steps)
}

/// A six-digit code no step near now has.
fn wrong(secret: &Secret) -> String {
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|w| (-2..=2).all(|d| code(secret, d) != *w))
        .expect("a wrong code")
        .to_string()
}

/// A second factor as set up: its secret, recovery codes and the step of the code that
/// confirmed it (spent).
struct Enrolled {
    secret: Secret,
    codes: Vec<String>,
    step: i64,
}

impl Enrolled {
    /// A code the app shows now that is later than every code used so far.
    fn fresh(&self, used: i64) -> (String, i64) {
        let step = (used + 1).max(step_at(chrono::Utc::now().timestamp()));
        (code_at_step(&self.secret, step), step)
    }
}

/// Sets up a second factor for the signed-in `c`.
async fn enrol(c: &reqwest::Client, s: &Running) -> Enrolled {
    let res = post_form(c, &s.base, "start_second_factor", PAGE, &[]).await;
    assert_eq!(location(&res), PAGE);
    let pending = status(c, s).await.pending.expect("a set-up in progress");
    let page = body(c, format!("{}{PAGE}", s.base)).await;
    let qr = page.find("data-testid=\"qr-code\"").expect("a QR code");
    assert!(
        page[qr..]
            .split_once('>')
            .is_some_and(|(_, rest)| rest.starts_with("<svg xmlns")),
        "the QR code is inline: {}",
        &page[qr..(qr + 200).min(page.len())]
    );
    assert!(page.contains(&pending.secret), "the key is shown to type");
    let secret = Secret::from_base32(&pending.secret).expect("base32");
    let right_now = code(&secret, 0);
    let res = post_form(
        c,
        &s.base,
        "confirm_second_factor",
        PAGE,
        &[("password", "not my password at all"), ("code", &right_now)],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    assert!(
        body(c, format!("{}{PAGE}", s.base))
            .await
            .contains("This is not your password."),
        "turning it on takes the password"
    );
    let res = post_form(
        c,
        &s.base,
        "confirm_second_factor",
        PAGE,
        &[("password", PASSWORD), ("code", &wrong(&secret))],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    assert!(
        body(c, format!("{}{PAGE}", s.base))
            .await
            .contains("This code is not right"),
        "a wrong code is refused at set-up"
    );
    assert!(!status(c, s).await.enrolled);
    let step = step_at(chrono::Utc::now().timestamp());
    let res = post_form(
        c,
        &s.base,
        "confirm_second_factor",
        PAGE,
        &[
            ("password", PASSWORD),
            ("code", &code_at_step(&secret, step)),
        ],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    let page = body(c, format!("{}{PAGE}", s.base)).await;
    let codes = recovery_codes(&page);
    assert_eq!(codes.len(), 10, "{page}");
    assert!(codes
        .iter()
        .all(|c| c.len() == 19 && c.matches('-').count() == 3));
    let again = body(c, format!("{}{PAGE}", s.base)).await;
    assert!(
        recovery_codes(&again).is_empty(),
        "recovery codes are shown once"
    );
    assert!(
        again.contains("data-testid=\"second-factor-on\""),
        "{again}"
    );
    Enrolled {
        secret,
        codes,
        step,
    }
}

/// Posts the second step of signing in.
async fn verify(c: &reqwest::Client, s: &Running, code: &str) -> reqwest::Response {
    post_form(
        c,
        &s.base,
        "verify_second_factor",
        "/login/code",
        &[("code", code)],
    )
    .await
}

/// Whether `c` is signed in (a page opens instead of sending it to sign in).
async fn is_signed_in(c: &reqwest::Client, s: &Running) -> bool {
    let res = c
        .get(format!("{}/workloads", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    res.status() == 200
}

async fn a_sign_in_with_a_second_factor_takes_each_code_and_recovery_code_once(t: &TestDb) {
    let s = seeded(t).await;
    let email = "ada@example.org";
    person(&s, email, Role::Contributor).await;
    let c = signed_in(&s, email).await;
    let elsewhere = signed_in(&s, email).await;
    let enrolled = enrol(&c, &s).await;
    let (secret, codes) = (&enrolled.secret, &enrolled.codes);
    assert!(
        is_signed_in(&c, &s).await,
        "the session that set it up goes on"
    );
    assert!(
        !is_signed_in(&elsewhere, &s).await,
        "other sessions end when a second factor is set up"
    );

    // The password alone is not a sign-in any more.
    let d = client();
    let res = sign_in(&d, &s.base, email, PASSWORD).await;
    assert_eq!(location(&res), "/login/code");
    assert!(
        !is_signed_in(&d, &s).await,
        "waiting for the code is not signed in"
    );
    let waiting: Option<String> = json_call(&d, &s, "pending_sign_in")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(waiting.as_deref(), Some(email));
    let res = verify(&d, &s, &wrong(secret)).await;
    assert_eq!(location(&res), "/login/code");
    let page = body(&d, format!("{}/login/code", s.base)).await;
    assert!(page.contains(&WRONG_CODE[..30]), "{page}");
    // The code set-up used is spent; the app's next one works, once.
    assert_eq!(
        location(&verify(&d, &s, &code_at_step(secret, enrolled.step)).await),
        "/login/code"
    );
    let (next, _) = enrolled.fresh(enrolled.step);
    assert_eq!(location(&verify(&d, &s, &next).await), "/workloads");
    assert!(is_signed_in(&d, &s).await);
    let events = s.store.recent_events(5).await.expect("events");
    assert!(
        events
            .iter()
            .any(|e| e.action == "session.sign_in" && e.details.contains("totp")),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| e.action == "session.sign_in_failed"
            && e.details.contains("wrong second factor code")));

    let e = client();
    sign_in(&e, &s.base, email, PASSWORD).await;
    assert_eq!(
        location(&verify(&e, &s, &next).await),
        "/login/code",
        "never twice"
    );
    // A recovery code, typed in capitals with spaces, works once.
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert_eq!(location(&verify(&e, &s, &typed).await), "/workloads");
    assert!(is_signed_in(&e, &s).await);
    let f = client();
    sign_in(&f, &s.base, email, PASSWORD).await;
    assert_eq!(location(&verify(&f, &s, &codes[0]).await), "/login/code");
    assert_eq!(location(&verify(&f, &s, &codes[1]).await), "/workloads");
    assert_eq!(status(&f, &s).await.recovery_codes_left, 8);

    // Without a waiting sign-in the step sends the browser back to the password.
    let g = client();
    assert_eq!(location(&verify(&g, &s, &code(secret, 1)).await), "/login");
    assert!(!is_signed_in(&g, &s).await);
}

async fn too_many_wrong_codes_end_the_sign_in_even_before_a_right_one(t: &TestDb) {
    crate::support::within_one_window(CODE_ATTEMPTS.window_seconds, 40).await;
    let s = seeded(t).await;
    let email = "bo@example.org";
    person(&s, email, Role::Contributor).await;
    let secret = enrol(&signed_in(&s, email).await, &s).await.secret;
    let c = client();
    sign_in(&c, &s.base, email, PASSWORD).await;
    for _ in 0..CODE_ATTEMPTS.most {
        assert_eq!(
            location(&verify(&c, &s, &wrong(&secret)).await),
            "/login/code"
        );
    }
    assert_eq!(location(&verify(&c, &s, &code(&secret, 1)).await), "/login");
    let page = body(&c, format!("{}/login", s.base)).await;
    assert!(page.contains(&TOO_MANY_CODES[..40]), "{page}");
    assert!(page.contains(email), "the email is kept for the next try");
    assert!(!is_signed_in(&c, &s).await);
    // Another sign-in of the account meets the same count until the window ends.
    let d = client();
    assert_eq!(
        location(&sign_in(&d, &s.base, email, PASSWORD).await),
        "/login/code"
    );
    assert_eq!(location(&verify(&d, &s, &code(&secret, 1)).await), "/login");
}

async fn turning_it_off_takes_the_password_and_then_sign_in_asks_for_no_code(t: &TestDb) {
    let s = seeded(t).await;
    let email = "cy@example.org";
    person(&s, email, Role::Auditor).await;
    let c = signed_in(&s, email).await;
    enrol(&c, &s).await;
    let res = post_form(
        &c,
        &s.base,
        "remove_second_factor",
        PAGE,
        &[("password", "not my password")],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    assert!(body(&c, format!("{}{PAGE}", s.base))
        .await
        .contains("This is not your password."));
    assert!(status(&c, &s).await.enrolled);
    let res = post_form(
        &c,
        &s.base,
        "remove_second_factor",
        PAGE,
        &[("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    assert!(is_signed_in(&c, &s).await, "this session goes on");
    assert!(!status(&c, &s).await.enrolled);
    signed_in(&s, email).await;
}

async fn the_setting_holds_admins_and_leads_at_the_set_up_until_they_have_one(t: &TestDb) {
    let s = seeded(t).await;
    let admin = as_role(&s, Role::Admin).await;
    let lead_id = person(&s, "lead-2fa@example.org", Role::SecurityLead).await;
    let lead = signed_in(&s, "lead-2fa@example.org").await;
    let contributor = as_role(&s, Role::Contributor).await;
    let res = post_form(
        &admin,
        &s.base,
        "set_second_factor_required",
        "/admin/people",
        &[("required", "true")],
    )
    .await;
    assert_eq!(location(&res), "/admin/people");

    for held in [&admin, &lead] {
        let res = held
            .get(format!("{}/workloads", s.base))
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(
            (res.status().as_u16(), location(&res).as_str()),
            (303, PAGE)
        );
        let call = held
            .post(format!("{}/api/list_workloads", s.base))
            .header("content-type", "application/json")
            .body(r#"{"query":{}}"#)
            .send()
            .await
            .expect("call");
        assert_eq!(call.status(), 409, "server functions refuse too");
        assert!(status(held, &s).await.required);
    }
    assert!(
        is_signed_in(&contributor, &s).await,
        "contributors are not held"
    );

    enrol(&admin, &s).await;
    assert!(is_signed_in(&admin, &s).await);
    enrol(&lead, &s).await;
    assert!(is_signed_in(&lead, &s).await);
    // Required for their role: it stays on.
    let res = post_form(
        &lead,
        &s.base,
        "remove_second_factor",
        PAGE,
        &[("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&res), PAGE);
    assert!(body(&lead, format!("{}{PAGE}", s.base))
        .await
        .contains("requires a second factor for your role"));
    assert!(status(&lead, &s).await.enrolled);

    // A lead who lost their device: an admin resets the password, which removes the factor.
    let page = format!("/admin/people/{lead_id}");
    let res = post_form(
        &admin,
        &s.base,
        "reset_person_password",
        &page,
        &[("id", lead_id.as_str())],
    )
    .await;
    assert_eq!(location(&res), page);
    let credentials = s
        .store
        .credentials(&lead_id)
        .await
        .expect("read")
        .expect("exists");
    assert!(!credentials.second_factor && credentials.must_change);
    assert!(
        !is_signed_in(&lead, &s).await,
        "the reset ended the lead's session"
    );

    // Back in with a temporary password: the password page first (not a loop between the
    // two gates), then the set-up.
    let hash = strata_server::passwords::Passwords::new(1)
        .hash(PASSWORD)
        .await
        .expect("hash");
    s.store
        .set_password(&lead_id, &hash, PasswordKind::Temporary, &by("test"))
        .await
        .expect("temporary");
    let again = client();
    let res = sign_in(&again, &s.base, "lead-2fa@example.org", PASSWORD).await;
    assert_eq!(location(&res), "/account/password");
    let page = again
        .get(format!("{}/account/password", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 200, "the password page opens");
    let chosen = "the lead's own new passphrase";
    let res = post_form(
        &again,
        &s.base,
        "change_password",
        "/account/password",
        &[("current", PASSWORD), ("new", chosen), ("confirm", chosen)],
    )
    .await;
    assert_eq!(location(&res), "/account/password?changed=1");
    let res = again
        .get(format!("{}/workloads", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(location(&res), PAGE, "then the second factor's set-up");
}

async fn an_account_changed_between_the_two_steps_ends_the_sign_in(t: &TestDb) {
    let s = seeded(t).await;
    let email = "di@example.org";
    let user = person(&s, email, Role::Contributor).await;
    let enrolled = enrol(&signed_in(&s, email).await, &s).await;
    let c = client();
    assert_eq!(
        location(&sign_in(&c, &s.base, email, PASSWORD).await),
        "/login/code"
    );
    s.store
        .set_disabled(&user, true, &by("admin"))
        .await
        .expect("disable");
    let (code, _) = enrolled.fresh(enrolled.step);
    assert_eq!(location(&verify(&c, &s, &code).await), "/login");
    assert!(body(&c, format!("{}/login", s.base))
        .await
        .contains(&SIGN_IN_AGAIN[..25]));
    assert!(!is_signed_in(&c, &s).await);
}

on_both_backends!(
    a_sign_in_with_a_second_factor_takes_each_code_and_recovery_code_once,
    too_many_wrong_codes_end_the_sign_in_even_before_a_right_one,
    turning_it_off_takes_the_password_and_then_sign_in_asks_for_no_code,
    the_setting_holds_admins_and_leads_at_the_set_up_until_they_have_one,
    an_account_changed_between_the_two_steps_ends_the_sign_in
);
