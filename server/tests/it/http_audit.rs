//! The audit page and its extract through the real router on both backends: the head and a
//! background verification that ends "intact", events of other teams as digests only for a
//! contributor, filters that list only what the reader reads in full, an extract that
//! verifies in the caller's scope, and a bad filter named.

use crate::http::{body, seeded, Running};
use crate::http_accounts::{as_role, lead};
use crate::http_forms::{location, post_form};
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::audit_chain::{unhex, StoredLink, Verifier};
use app::domain::policy::Role;
use app::dto::VerifyJobView;

async fn job(c: &reqwest::Client, s: &Running, id: &str) -> Option<VerifyJobView> {
    c.post(format!("{}/api/audit_job", s.base))
        .header("content-type", "application/json")
        .body(format!(r#"{{"id":{id}}}"#))
        .send()
        .await
        .expect("call")
        .json()
        .await
        .expect("json")
}

async fn a_verification_runs_in_the_background_and_ends_intact(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let page = body(&c, format!("{}/audit", s.base)).await;
    assert!(page.contains("data-testid=\"chain-head\""), "{page}");
    let res = post_form(&c, &s.base, "verify_audit_chain", "/audit", &[]).await;
    let to = location(&res);
    let id = to
        .strip_prefix("/audit?job=")
        .expect("the job's page")
        .to_string();
    let mut done = None;
    for _ in 0..100 {
        let j = job(&c, &s, &id).await.expect("the owner sees the job");
        if j.done {
            done = Some(j);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let done = done.expect("the verification ended");
    assert!(done.intact, "{done:?}");
    assert!(done.outcome.expect("outcome").contains("intact"));
    let page = body(&c, format!("{}{to}", s.base)).await;
    assert!(page.contains("data-testid=\"verify-outcome\""));
    // Someone else does not see another person's job.
    let other = lead(&s).await;
    assert_eq!(job(&other, &s, &id).await, None);
}

async fn finished(c: &reqwest::Client, s: &Running, id: &str) -> VerifyJobView {
    for _ in 0..100 {
        let j = job(c, s, id).await.expect("the owner sees the job");
        if j.done {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the verification did not end");
}

/// A chain cut in the database, head moved back with it, holds in itself: the page's check
/// finds the cut against the server's signed daily checkpoint.
async fn the_page_checks_the_chain_against_the_signed_checkpoints(t: &TestDb) {
    let dir = tempfile::tempdir().expect("data folder");
    let data = dir.path().to_string_lossy().to_string();
    let s = crate::http::start_with(
        t,
        t.db.clone(),
        std::sync::Arc::new(t.db.clone()),
        &[("STRATA_DATA_DIR", &data)],
    )
    .await;
    strata_server::demo::seed(&s.store).await.expect("seed");
    let key = strata_server::checkpoint::signing_key(None, dir.path()).expect("key");
    let folder = dir.path().join("checkpoints");
    let signed = strata_server::checkpoint::sign_verified_head(&*s.store, &key, &folder)
        .await
        .expect("signed");
    let now = chrono::Utc::now();
    strata_server::checkpoint::write_daily(
        &strata_server::checkpoint::daily_path(&folder, now),
        &signed,
    )
    .expect("written");
    let c = lead(&s).await;
    let start = |c: reqwest::Client| {
        let base = s.base.clone();
        async move {
            let res = post_form(&c, &base, "verify_audit_chain", "/audit", &[]).await;
            location(&res)
                .strip_prefix("/audit?job=")
                .expect("the job's page")
                .to_string()
        }
    };
    let id = start(c.clone()).await;
    let done = finished(&c, &s, &id).await;
    assert!(done.intact, "{done:?}");
    assert!(done
        .outcome
        .expect("outcome")
        .contains("all 1 signed daily checkpoints"));
    let cut = signed.seq - 3;
    let hash = s.store.event_hash(cut).await.expect("read").expect("hash");
    t.exec(&format!("delete from audit_events where seq > {cut}"))
        .await;
    t.exec(&format!(
        "update audit_head set seq = {cut}, hash = '{hash}' where id = 1"
    ))
    .await;
    let id = start(c.clone()).await;
    let done = finished(&c, &s, &id).await;
    assert!(!done.intact, "{done:?}");
    assert!(done.outcome.expect("outcome").contains("cut off"));
}

async fn a_contributor_reads_other_teams_events_as_digests_and_filters_only_their_own(t: &TestDb) {
    let s = seeded(t).await;
    let c = as_role(&s, Role::Contributor).await;
    let page = body(&c, format!("{}/audit", s.base)).await;
    assert!(page.contains("An event outside your teams"), "{page}");
    let filtered = body(&c, format!("{}/audit?action=workload.create", s.base)).await;
    assert!(
        filtered.contains("<td>workload.create</td>"),
        "their team's events are listed: {filtered}"
    );
    assert!(
        !filtered.contains("digest-only"),
        "a filter lists only what they read"
    );
    // The extract verifies in their scope, other teams' events as digests.
    let text = body(&c, format!("{}/audit/export.jsonl", s.base)).await;
    let lines: Vec<&str> = text.lines().collect();
    let start: serde_json::Value = serde_json::from_str(lines[0]).expect("start");
    let mut v = Verifier::new(
        start["first_seq"].as_i64().expect("seq"),
        unhex(start["previous_hash"].as_str().expect("hash")).expect("hex"),
    );
    let mut digests_only = 0;
    for line in &lines[1..] {
        let e: serde_json::Value = serde_json::from_str(line).expect("event");
        if e.get("action").is_none() {
            digests_only += 1;
        }
        v.check(&StoredLink {
            seq: e["seq"].as_i64().expect("seq"),
            body: None,
            digest: e["digest"].as_str().expect("digest").into(),
            hash: e["hash"].as_str().expect("hash").into(),
        })
        .expect("links");
    }
    assert!(digests_only > 0 && digests_only < lines.len() - 1);
    v.finish().expect("holds");
}

async fn a_bad_filter_is_named_and_a_visitor_is_sent_to_sign_in(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let res = c
        .get(format!("{}/audit/export.jsonl?from=yesterday", s.base))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 400);
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("from must be a date"));
    let visitor = crate::http::client();
    let res = visitor
        .get(format!("{}/audit/export.jsonl", s.base))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
}

on_both_backends!(
    a_verification_runs_in_the_background_and_ends_intact,
    the_page_checks_the_chain_against_the_signed_checkpoints,
    a_contributor_reads_other_teams_events_as_digests_and_filters_only_their_own,
    a_bad_filter_is_named_and_a_visitor_is_sent_to_sign_in
);
