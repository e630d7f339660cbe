//! The audit record on both backends: every change writes its event in its own transaction
//! (actor as a person's id, action, entity, the entity's team, details), a refused write
//! writes none, and events that go with no other write are recorded on their own.

use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::audit::Details;
use app::domain::{Person, Principal, UserId};
use app::ports::{SharedStore, StoreError};
use std::sync::Arc;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

async fn every_change_writes_its_event_and_a_refused_one_writes_none(t: &TestDb) {
    let s = store(t);
    strata_server::demo::seed(&s).await.expect("seed");
    let ada = s
        .create_user("Ada Lovelace", "ada@example.org", false, &by("x"))
        .await
        .expect("user");
    let actor = Principal::Person(Person {
        id: ada.id.clone(),
        name: "Ada Lovelace".into(),
        email: "ada@example.org".into(),
        grants: Vec::new(),
        must_change_password: false,
        must_enrol_second_factor: false,
    });
    let page = s
        .list_workloads(
            &Default::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    let id = page.rows.first().expect("a workload").id.clone();
    let w = s.get_workload(&id).await.expect("read").expect("exists");
    let before = s.recent_events(1_000).await.expect("events").len();

    let next = w
        .phase
        .next()
        .or(w.phase.previous())
        .expect("another phase");
    s.change_phase(&id, w.revision, next, Some("Committee approval"), &actor)
        .await
        .expect("phase");
    let events = s.recent_events(1).await.expect("events");
    let e = events.first().expect("an event");
    assert_eq!(e.actor_id.as_ref(), Some(&ada.id), "the person, by id");
    assert_eq!(e.actor, "Ada Lovelace");
    assert!(
        e.action == "workload.promote" || e.action == "workload.demote",
        "{}",
        e.action
    );
    assert_eq!(e.entity, id.as_str());
    assert_eq!(e.team_id.as_ref(), Some(&w.draft.team_id));
    let details: serde_json::Value = serde_json::from_str(&e.details).expect("JSON");
    assert_eq!(details["revision"], w.revision + 1);
    assert_eq!(details["phase"], next.code());
    assert_eq!(details["reason"], "Committee approval");

    // Refused (someone else changed it first): nothing is recorded.
    let stale = s.change_phase(&id, w.revision, w.phase, None, &actor).await;
    assert!(
        matches!(stale, Err(StoreError::StaleRevision { .. })),
        "{stale:?}"
    );
    assert_eq!(
        s.recent_events(1_000).await.expect("events").len(),
        before + 1
    );

    // A task of the server is recorded without a person.
    let team = s
        .create_team("Audit team", false, &by("strata migrate"))
        .await
        .expect("team");
    let e = s.recent_events(1).await.expect("events").remove(0);
    assert_eq!(
        (e.action.as_str(), e.entity.as_str(), e.actor.as_str()),
        ("team.create", team.id.as_str(), "strata migrate")
    );
    assert_eq!(e.actor_id, None);
}

async fn an_event_of_its_own_is_recorded_in_order(t: &TestDb) {
    let s = store(t);
    let ghost = UserId("0190aaaa-0000-7000-8000-000000000000".into());
    let details = Details::new().with("reason", "wrong password");
    s.record_event(
        None,
        "web (not signed in)",
        "session.sign_in_failed",
        ghost.as_str(),
        &details,
    )
    .await
    .expect("record");
    s.record_event(
        Some(&ghost),
        "ada@example.org",
        "session.sign_in",
        ghost.as_str(),
        &Details::new(),
    )
    .await
    .expect("record");
    let events = s.recent_events(2).await.expect("events");
    assert_eq!(events[0].action, "session.sign_in", "newest first");
    assert_eq!(events[1].action, "session.sign_in_failed");
    assert!(events[0].seq > events[1].seq);
    assert_eq!(events[1].details, r#"{"reason":"wrong password"}"#);
    assert_eq!(events[0].actor_id.as_ref(), Some(&ghost));
}

on_both_backends!(
    every_change_writes_its_event_and_a_refused_one_writes_none,
    an_event_of_its_own_is_recorded_in_order
);
