//! The tamper-evident audit chain on both backends: every change is chained as it commits
//! (also 50 at once), and an edited, deleted or reordered event, a cut-off tail and a chain
//! recomputed after an edit are each found and named — the last two against an anchor taken
//! before. The committed test vector pins the bytes; extracts of a time range verify on their
//! own, with other teams' events as digests only.

use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::audit_chain::{
    body, digest, hex, link, unhex, Anchor, Break, ChainContent, StoredLink, Verified, Verifier,
    ACTOR_NAME_KEY, GENESIS, TEAM_KEY,
};
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::{Person, Principal, UserId};
use app::ports::{SharedStore, Store};
use app::service::audit::{content_of, export_chain, verify_chain, ExtractStart};
use std::sync::Arc;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

async fn verify(s: &dyn Store, anchors: &[Anchor]) -> Result<Verified, Break> {
    verify_chain(s, &by("test"), anchors, |_| ())
        .await
        .expect("read")
}

async fn head(s: &dyn Store) -> Anchor {
    let (seq, hash) = s.chain_head().await.expect("head");
    Anchor {
        seq,
        hash: unhex(&hash).expect("hex"),
    }
}

/// Six changes: six events.
async fn six_teams(s: &SharedStore) {
    for n in 1..=6 {
        s.create_team(&format!("Team {n}"), false, &by("test"))
            .await
            .expect("team");
    }
}

/// Verifies lines of an extract with the domain's verifier.
fn verify_extract(lines: &[String]) -> Result<Verified, Break> {
    let start: ExtractStart = serde_json::from_str(&lines[0]).expect("start");
    let mut v = Verifier::new(start.first_seq, unhex(&start.previous_hash).expect("hex"));
    for line in &lines[1..] {
        let e: serde_json::Value = serde_json::from_str(line).expect("event");
        let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        let seq = e["seq"].as_i64().expect("seq");
        let body = e.get("action").map(|_| {
            let at = chrono::DateTime::parse_from_rfc3339(&text("time"))
                .expect("time")
                .timestamp_micros();
            let (actor, action, entity) = (text("actor"), text("action"), text("entity"));
            // An extract carries the details as the chain covers them; the team and the
            // acting person's name go back to their own fields.
            let mut details = e["details"].clone();
            let mut take = |key: &str| {
                details
                    .as_object_mut()
                    .and_then(|m| m.remove(key))
                    .and_then(|v| v.as_str().map(String::from))
            };
            let (team, actor_name) = (take(TEAM_KEY), take(ACTOR_NAME_KEY));
            let details = details.to_string();
            body(&ChainContent {
                seq,
                at_micros: at,
                actor: &actor,
                action: &action,
                entity: &entity,
                team: team.as_deref(),
                actor_name: actor_name.as_deref(),
                details: &details,
            })
        });
        v.check(&StoredLink {
            seq,
            body,
            digest: text("digest"),
            hash: text("hash"),
        })?;
    }
    v.finish()
}

#[test]
fn the_committed_test_vector_verifies_byte_for_byte() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/audit-chain-vector.jsonl"
    ))
    .expect("vector");
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let done = verify_extract(&lines).expect("the vector holds");
    assert_eq!(done.events, 3);
    assert_eq!(
        done.head.expect("head").to_string(),
        "3:8c9ae2998a39c17fa331ff295baf256fcc446d317b74fcf0186ec843e5a87338"
    );
    // The times survive the round trip through microseconds exactly.
    let at = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:15:42.250001Z")
        .expect("time")
        .timestamp_micros();
    assert_eq!(
        app::domain::audit_chain::time_text(at).expect("time"),
        "2026-01-05T09:15:42.250001Z"
    );
}

async fn every_change_is_chained_and_the_whole_chain_verifies(t: &TestDb) {
    let s = store(t);
    strata_server::demo::seed(&s).await.expect("seed");
    let done = verify(&*s, &[]).await.expect("intact");
    let events = s.recent_events(100_000).await.expect("events");
    assert_eq!(done.events, events.len() as u64);
    assert!(done.events > 30, "the demo's changes are recorded");
    assert_eq!(done.head, Some(head(&*s).await));
    assert!(events
        .iter()
        .all(|e| e.digest.len() == 64 && e.hash.len() == 64));
}

async fn an_edited_event_is_named(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    t.exec("update audit_events set entity = 'someone else' where seq = 3")
        .await;
    let b = verify(&*s, &[]).await.expect_err("edited");
    assert_eq!(b.seq, 3);
    assert!(b.reason.contains("changed"), "{b}");
}

/// The team an event is filed under and the name of the person who acted are what the audit
/// page filters and shows: the chain covers them, so editing either column breaks it.
async fn an_edited_team_or_actor_name_is_named(t: &TestDb) {
    let s = store(t);
    strata_server::demo::seed(&s).await.expect("seed");
    let person = UserId("0192e4a0-0000-7000-8000-000000000077".into());
    s.record_event(
        Some(&person),
        "Ada Obi",
        "session.sign_in",
        person.as_str(),
        &app::domain::audit::Details::new(),
    )
    .await
    .expect("event");
    let events = s.chain_page(0, 100_000).await.expect("events");
    let filed = events
        .iter()
        .find(|e| e.team_id.is_some())
        .expect("a team's");
    t.exec(&format!(
        "update audit_events set team_id = null where seq = {}",
        filed.seq
    ))
    .await;
    let b = verify(&*s, &[]).await.expect_err("team removed");
    assert_eq!(b.seq, filed.seq);
    assert!(b.reason.contains("changed"), "{b}");
    let team = filed.team_id.as_ref().expect("team");
    t.exec(&format!(
        "update audit_events set team_id = '{}' where seq = {}",
        team.as_str(),
        filed.seq
    ))
    .await;
    assert!(verify(&*s, &[]).await.is_ok(), "restored, it holds again");
    let last = events.last().expect("the sign-in");
    assert_eq!(last.actor_id.as_ref(), Some(&person));
    t.exec(&format!(
        "update audit_events set actor = 'Someone Else' where seq = {}",
        last.seq
    ))
    .await;
    let b = verify(&*s, &[]).await.expect_err("renamed");
    assert_eq!(b.seq, last.seq);
    assert!(b.reason.contains("changed"), "{b}");
}

async fn a_deleted_event_in_the_middle_is_named(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    t.exec("delete from audit_events where seq = 4").await;
    let b = verify(&*s, &[]).await.expect_err("deleted");
    assert_eq!(b.seq, 4);
    assert!(b.reason.contains("missing"), "{b}");
}

async fn an_event_numbered_below_the_chain_is_not_left_unread(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    t.exec(&format!(
        "insert into audit_events (seq, at, actor, action, entity, details, digest, hash) \
         values (0, 1, 'x', 'team.create', 'forged', '{{}}', '{}', '{}')",
        "0".repeat(64),
        "0".repeat(64)
    ))
    .await;
    let b = verify(&*s, &[]).await.expect_err("a forged row below 1");
    assert!(b.reason.contains("out of order"), "{b}");
}

async fn a_reordered_pair_is_named(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    t.exec("update audit_events set seq = -2 where seq = 2")
        .await;
    t.exec("update audit_events set seq = 2 where seq = 3")
        .await;
    t.exec("update audit_events set seq = 3 where seq = -2")
        .await;
    let b = verify(&*s, &[]).await.expect_err("reordered");
    assert_eq!(b.seq, 2, "{b}");
}

async fn a_cut_off_tail_is_found_by_the_head_or_an_anchor(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    let anchor = head(&*s).await;
    assert_eq!(anchor.seq, 6);
    t.exec("delete from audit_events where seq > 4").await;
    let b = verify(&*s, &[]).await.expect_err("cut");
    assert!(b.reason.contains("recorded head"), "{b}");
    // A careful intruder moves the head back too: only the anchor taken before tells.
    let four = s.event_hash(4).await.expect("read").expect("hash");
    t.exec(&format!(
        "update audit_head set seq = 4, hash = '{four}' where id = 1"
    ))
    .await;
    assert_eq!(verify(&*s, &[]).await.expect("holds").events, 4);
    let b = verify(&*s, &[anchor]).await.expect_err("cut");
    assert!(b.reason.contains("cut off"), "{b}");
}

async fn a_chain_recomputed_after_an_edit_is_found_by_an_anchor(t: &TestDb) {
    let s = store(t);
    six_teams(&s).await;
    let anchor = head(&*s).await;
    t.exec("update audit_events set entity = 'rewritten' where seq = 2")
        .await;
    // Every digest and hash recomputed from the edit on, and the head moved along.
    let events = s.chain_page(0, 100).await.expect("events");
    let mut previous = GENESIS;
    for e in &events {
        let d = digest(&body(&content_of(e)).expect("body"));
        previous = link(&previous, &d);
        t.exec(&format!(
            "update audit_events set digest = '{}', hash = '{}' where seq = {}",
            hex(&d),
            hex(&previous),
            e.seq
        ))
        .await;
    }
    t.exec(&format!(
        "update audit_head set hash = '{}' where id = 1",
        hex(&previous)
    ))
    .await;
    assert!(verify(&*s, &[]).await.is_ok(), "consistent in itself");
    let b = verify(&*s, &[anchor]).await.expect_err("recomputed");
    assert_eq!(b.seq, 6);
    assert!(b.reason.contains("recomputed"), "{b}");
}

async fn fifty_concurrent_changes_make_one_unbroken_chain(t: &TestDb) {
    let s = store(t);
    let writes: Vec<_> = (0..50)
        .map(|n| {
            let s = s.clone();
            tokio::spawn(async move {
                s.create_team(&format!("Concurrent {n}"), false, &by("test"))
                    .await
            })
        })
        .collect();
    for w in writes {
        w.await.expect("task").expect("team");
    }
    let done = verify(&*s, &[]).await.expect("one unbroken chain");
    assert_eq!(done.events, 50);
    let events = s.recent_events(100).await.expect("events");
    let mut teams: Vec<&str> = events
        .iter()
        .filter(|e| e.action == "team.create")
        .map(|e| e.entity.as_str())
        .collect();
    teams.sort_unstable();
    teams.dedup();
    assert_eq!(teams.len(), 50, "every change recorded exactly once");
}

async fn an_extract_of_a_time_range_verifies_on_its_own_in_any_scope(t: &TestDb) {
    let s = store(t);
    strata_server::demo::seed(&s).await.expect("seed");
    let events = s.chain_page(0, 100_000).await.expect("events");
    let (from, to) = (events[10].at, events[40].at);
    let mut lines = Vec::new();
    let written = export_chain(&*s, &by("test"), Some(from), Some(to), |l| {
        lines.push(l);
        Ok(())
    })
    .await
    .expect("export");
    assert!(written >= 20, "{written}");
    let start: ExtractStart = serde_json::from_str(&lines[0]).expect("start");
    assert!(start.first_seq > 1 && start.previous_hash != hex(&GENESIS));
    assert_eq!(
        verify_extract(&lines).expect("holds").events,
        written,
        "the extract verifies from the hash before its first event"
    );
    // A contributor of one team reads the other teams' events as digests, and still verifies.
    let team = events
        .iter()
        .find_map(|e| e.team_id.clone())
        .expect("an event of a team");
    let contributor = Principal::Person(Person {
        id: UserId("0192e4a0-0000-7000-8000-000000000099".into()),
        name: "C".into(),
        email: "c@example.org".into(),
        grants: vec![Grant::new(Role::Contributor, GrantScope::Team(team.clone())).expect("grant")],
        must_change_password: false,
        must_enrol_second_factor: false,
    });
    let mut scoped = Vec::new();
    export_chain(&*s, &contributor, None, None, |l| {
        scoped.push(l);
        Ok(())
    })
    .await
    .expect("export");
    let full = scoped.iter().filter(|l| l.contains("\"action\"")).count();
    assert!(
        full > 0 && full < scoped.len() - 1,
        "{full} of {}",
        scoped.len()
    );
    assert!(scoped
        .iter()
        .filter(|l| l.contains("\"action\""))
        .all(|l| l.contains(team.as_str())));
    assert_eq!(
        verify_extract(&scoped).expect("holds").events,
        events.len() as u64
    );
}

/// An extract is read a page at a time (5,000 events): one longer than a page is written
/// whole, in order, and verifies.
async fn an_extract_longer_than_a_page_is_written_whole(t: &TestDb) {
    let s = store(t);
    t.db.append_bench_events(5_120, 1_024)
        .await
        .expect("events");
    let mut lines = Vec::new();
    let written = export_chain(&*s, &by("test"), None, None, |l| {
        lines.push(l);
        Ok(())
    })
    .await
    .expect("export");
    assert_eq!(written, 5_120);
    assert_eq!(lines.len(), 5_121, "the start line and every event");
    let done = verify_extract(&lines).expect("holds");
    assert_eq!((done.events, done.head), (5_120, Some(head(&*s).await)));
}

async fn events_written_before_the_chain_are_chained_by_migrate(t: &TestDb) {
    let s = store(t);
    // What a database of the previous release holds: events with gaps and no digests.
    for (seq, entity) in [(10, "a"), (12, "b"), (13, "c")] {
        t.exec(&format!(
            "insert into audit_events (seq, at, actor_id, actor, action, entity, team_id, details) \
             values ({seq}, 1764775853000000, null, 'system:old', 'team.create', '{entity}', null, '{{}}')"
        ))
        .await;
    }
    t.db.migrate().await.expect("migrate");
    let done = verify(&*s, &[]).await.expect("chained");
    assert_eq!(done.events, 3);
    assert_eq!(done.head.expect("head").seq, 3, "numbered without gaps");
    s.create_team("After", false, &by("test"))
        .await
        .expect("team");
    assert_eq!(verify(&*s, &[]).await.expect("holds").events, 4);
}

async fn a_failed_append_fails_the_change_and_leaves_nothing(t: &TestDb) {
    let s = store(t);
    t.exec("update audit_head set hash = 'not a hash' where id = 1")
        .await;
    assert!(s.create_team("Never", false, &by("test")).await.is_err());
    let teams = s.list_teams().await.expect("teams");
    assert!(
        teams.iter().all(|t| t.name != "Never"),
        "no half-made change"
    );
    assert_eq!(t.scalar("select count(*) from audit_events").await, 0);
}

on_both_backends!(
    a_failed_append_fails_the_change_and_leaves_nothing,
    every_change_is_chained_and_the_whole_chain_verifies,
    an_edited_event_is_named,
    an_edited_team_or_actor_name_is_named,
    a_deleted_event_in_the_middle_is_named,
    a_reordered_pair_is_named,
    an_event_numbered_below_the_chain_is_not_left_unread,
    a_cut_off_tail_is_found_by_the_head_or_an_anchor,
    a_chain_recomputed_after_an_edit_is_found_by_an_anchor,
    fifty_concurrent_changes_make_one_unbroken_chain,
    an_extract_of_a_time_range_verifies_on_its_own_in_any_scope,
    an_extract_longer_than_a_page_is_written_whole,
    events_written_before_the_chain_are_chained_by_migrate
);
