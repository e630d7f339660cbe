//! Sessions are bounded, through the real router on both backends: anonymous refused forms
//! cannot fill the session table, a flash-only session lives minutes and goes when its flash
//! is read, and server function bodies have a small limit of their own.

use crate::http::{body, client, seeded, start_with, Running};
use crate::on_both_backends;
use crate::support::TestDb;
use std::sync::Arc;
use strata_server::body_limit::FORM_BODY_LIMIT;
use strata_server::db::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// (rows, bytes of session data, most seconds until a row expires) of the session table. The
/// SQLite store keeps the expiry as date text.
pub async fn sessions(db: &Db) -> (i64, i64, i64) {
    match db {
        Db::Sqlite(p) => sqlx::query_as(
            "select count(*), coalesce(sum(length(data)), 0), \
             coalesce(max(cast(strftime('%s', expiry_date) as integer)) \
                      - cast(strftime('%s', 'now') as integer), 0) \
             from tower_sessions",
        )
        .fetch_one(p)
        .await
        .expect("sessions"),
        Db::Postgres(p) => sqlx::query_as(
            "select count(*), coalesce(sum(length(data)), 0)::bigint, \
             coalesce(extract(epoch from max(expiry_date) - now()), 0)::bigint \
             from tower_sessions.session",
        )
        .fetch_one(p)
        .await
        .expect("sessions"),
    }
}

/// A refused sign-in of about 4 KB when encoded, as an anonymous client without cookies posts
/// it: the only form a visitor who has not signed in can post, and refused before any
/// password is checked.
fn large_refused_sign_in() -> Vec<(&'static str, String)> {
    vec![
        ("email", "e".repeat(1_000)),
        ("password", String::new()),
        ("next", format!("/{}", "n".repeat(3_000))),
    ]
}

/// Posts the sign-in form with `fields`, without JavaScript; the status.
async fn post_anonymous(
    c: &reqwest::Client,
    s: &Running,
    fields: &[(&str, String)],
    forwarded_for: Option<&str>,
) -> u16 {
    let mut req = c
        .post(format!("{}/api/sign_in", s.base))
        .header("accept", "text/html")
        .form(fields);
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.expect("post").status().as_u16()
}

/// The attempt counts of one scope, one per window.
async fn attempts(db: &Db, scope: &str) -> Vec<i64> {
    let sql = "select attempts from attempt_counts where scope = $1";
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(scope).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(scope).fetch_all(p).await,
    }
    .expect("windows")
}

async fn a_thousand_anonymous_refused_forms_leave_the_session_table_small(t: &TestDb) {
    let s = seeded(t).await;
    // No cookie store: every post is a new anonymous client at the same address.
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let form = large_refused_sign_in();
    let (before, _, _) = sessions(&t.db).await;
    let (mut kept, mut refused, mut told) = (0, 0, String::new());
    for _ in 0..1_000 {
        let res = c
            .post(format!("{}/api/sign_in", s.base))
            .header("accept", "text/html")
            .form(&form)
            .send()
            .await
            .expect("post");
        match res.status().as_u16() {
            302 => kept += 1,
            429 => {
                refused += 1;
                if told.is_empty() {
                    told = res.text().await.expect("body");
                }
            }
            other => panic!("a refused form answered {other}"),
        }
    }
    let (rows, bytes, _) = sessions(&t.db).await;
    // Two limits stand in front: sign-in attempts per address, then new flash sessions per
    // address; whatever minutes the run took, each window let at most its limit through.
    let sign_ins = attempts(&t.db, app::service::attempts::SIGN_IN_PER_ADDRESS.scope).await;
    assert_eq!(kept + refused, 1_000);
    assert_eq!(sign_ins.iter().sum::<i64>(), 1_000, "every attempt counted");
    let passed: i64 = sign_ins
        .iter()
        .map(|a| (*a).min(app::service::attempts::SIGN_IN_PER_ADDRESS.most as i64))
        .sum();
    let flash = attempts(&t.db, app::service::attempts::NEW_FLASH_SESSIONS.scope).await;
    assert_eq!(
        flash.iter().sum::<i64>(),
        passed,
        "each refusal that passed wanted a session"
    );
    let limit = app::service::attempts::NEW_FLASH_SESSIONS.most as i64;
    let allowed: i64 = flash.iter().map(|a| (*a).min(limit)).sum();
    assert_eq!(kept, allowed, "{kept} kept over {} minute(s)", flash.len());
    assert_eq!(rows - before, kept, "one row per kept flash");
    assert!(
        bytes < kept * 4 * 1024,
        "{rows} rows hold {bytes} bytes: each flash is clipped"
    );
    // The refusal says what happened and what to do.
    assert!(
        told.contains("Too many attempts from your address"),
        "{told}"
    );
}

async fn a_flash_only_session_is_short_lived_and_goes_when_read(t: &TestDb) {
    let s = seeded(t).await;
    let c = crate::http::client();
    let refused = [
        ("email", "ada@example.org".to_string()),
        ("password", String::new()),
    ];
    let (before, _, _) = sessions(&t.db).await;
    assert_eq!(post_anonymous(&c, &s, &refused, None).await, 302);
    let (rows, _, expires_in) = sessions(&t.db).await;
    assert_eq!(rows, before + 1);
    assert!(
        (60..=11 * 60).contains(&expires_in),
        "minutes, not hours: {expires_in} s"
    );
    // A second refusal before reading reuses the session.
    assert_eq!(post_anonymous(&c, &s, &refused, None).await, 302);
    let (rows, _, expires_in) = sessions(&t.db).await;
    assert_eq!(rows, before + 1, "the same session");
    assert!(expires_in <= 11 * 60, "still short-lived: {expires_in} s");
    let page = body(&c, format!("{}/login", s.base)).await;
    assert!(page.contains("Enter your password."), "the flash is shown");
    let (rows, _, _) = sessions(&t.db).await;
    assert_eq!(rows, before, "read, the flash-only session is deleted");
    let page = body(&c, format!("{}/login", s.base)).await;
    assert!(!page.contains("Enter your password."), "and shown once");
}

/// A signed-in person's refused forms wait in their own session, a flash per page, and
/// reading them leaves the session (and the person signed in).
async fn a_signed_in_persons_flashes_wait_per_page_in_their_session(t: &TestDb) {
    let s = seeded(t).await;
    let c = crate::http_accounts::lead(&s).await;
    let (before, _, _) = sessions(&t.db).await;
    let list = body(&c, format!("{}/workloads", s.base)).await;
    let link = crate::http::first_workload_link(&list);
    let id = link.trim_start_matches("/workloads/");
    for (endpoint, fields) in [
        ("create_workload", vec![("form[name]", "")]),
        (
            "update_workload",
            vec![("id", id), ("form[name]", ""), ("form[revision]", "1")],
        ),
    ] {
        let res = c
            .post(format!("{}/api/{endpoint}", s.base))
            .header("accept", "text/html")
            .form(&fields)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 302, "{endpoint}");
    }
    assert_eq!(
        sessions(&t.db).await.0,
        before,
        "no new session: the person's own"
    );
    let page = body(&c, format!("{}/workloads/new", s.base)).await;
    assert!(page.contains("Enter a name."));
    let page = body(&c, format!("{}{link}/edit", s.base)).await;
    assert!(page.contains("Enter a name."), "the edit page's flash");
    assert!(!body(&c, format!("{}/workloads/new", s.base))
        .await
        .contains("Enter a name."));
    assert_eq!(sessions(&t.db).await.0, before, "the session stays");
    assert!(body(&c, format!("{}/", s.base))
        .await
        .contains("signed-in-name"));
}

async fn forwarded_for_counts_only_from_trusted_proxies(t: &TestDb) {
    let form = [
        ("email", "ada@example.org".to_string()),
        ("password", String::new()),
    ];
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let limit = app::service::attempts::NEW_FLASH_SESSIONS.most as usize;
    // Untrusted: writing another address in the header escapes nothing.
    let s = start_with(t, t.db.clone(), Arc::new(t.db.clone()), &[]).await;
    strata_server::demo::seed(&s.store).await.expect("seed");
    let mut statuses = Vec::new();
    for i in 0..3 * limit {
        let f = format!("198.51.100.{}", i % 250);
        statuses.push(post_anonymous(&c, &s, &form, Some(&f)).await);
    }
    assert!(statuses.contains(&429), "the socket's address is counted");
    drop(s);
    // Behind a trusted proxy (the test client's own address), each forwarded client counts
    // for itself.
    let s = start_with(
        t,
        t.db.clone(),
        Arc::new(t.db.clone()),
        &[("STRATA_TRUSTED_PROXIES", "127.0.0.1")],
    )
    .await;
    for i in 0..3 * limit {
        let f = format!("203.0.113.{}", i % 250);
        assert_eq!(post_anonymous(&c, &s, &form, Some(&f)).await, 302, "{f}");
    }
}

/// Sends `body` as a chunked request (no Content-Length) over a raw connection; returns the
/// status line and the rest of the answer.
async fn chunked_post(base: &str, path: &str, body: &[u8]) -> String {
    let addr = base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.expect("head");
    for chunk in body.chunks(8 * 1024) {
        let sent = async {
            conn.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            conn.write_all(chunk).await?;
            conn.write_all(b"\r\n").await
        };
        // The server may answer and close before the whole body is sent.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        conn.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn server_function_bodies_have_a_small_limit(t: &TestDb) {
    let s = seeded(t).await;
    let c = client();
    let big = format!("form[description]={}", "d".repeat(FORM_BODY_LIMIT + 1));
    let res = c
        .post(format!("{}/api/create_workload", s.base))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 413);
    assert!(res.headers().contains_key("x-content-type-options"));
    let page = res.text().await.expect("body");
    let told = format!("larger than {} KB", FORM_BODY_LIMIT / 1024);
    assert!(page.contains(&told), "{page}");
    let fetch = c
        .post(format!("{}/api/get_workload", s.base))
        .header("content-type", "application/json")
        .body(format!(r#"{{"id":"{}"}}"#, "x".repeat(FORM_BODY_LIMIT)))
        .send()
        .await
        .expect("fetch");
    assert_eq!(fetch.status().as_u16(), 413);
    let err: app::error::AppError = fetch.json().await.expect("the error as JSON");
    assert!(err.to_string().contains(&told), "{err}");
    // Without a length up front, the limit holds while the body is read.
    let answer = chunked_post(&s.base, "/api/create_workload", big.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    // A body that breaks off malformed is refused as unreadable, not as too large.
    let addr = s.base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/create_workload HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n\
         5\r\nform[\r\nzz\r\n"
    );
    conn.write_all(head.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        conn.read_to_end(&mut answer),
    )
    .await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    let (rows, _, _) = sessions(&t.db).await;
    assert_eq!(rows, 0, "nothing was kept");
}

on_both_backends!(
    a_thousand_anonymous_refused_forms_leave_the_session_table_small,
    a_flash_only_session_is_short_lived_and_goes_when_read,
    a_signed_in_persons_flashes_wait_per_page_in_their_session,
    forwarded_for_counts_only_from_trusted_proxies,
    server_function_bodies_have_a_small_limit,
);
