//! The store contract: every store method, the same assertions on SQLite and PostgreSQL.

use crate::on_both_backends;
use crate::support::by;
use crate::support::TestDb;
use app::domain::listing::{SortKey, WorkloadQuery};
use app::domain::workload::{ArtifactRef, ChangeKind, WorkloadDraft};
use app::domain::{Attributes, Phase, TeamId, UserId, WorkloadId};
use app::ports::{Constraint, SharedStore, StoreError};
use std::sync::Arc;
use strata_server::db::Db;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

pub fn draft(name: &str, team: &TeamId, owner: &UserId) -> WorkloadDraft {
    WorkloadDraft {
        name: name.into(),
        description: "Answers questions.".into(),
        team_id: team.clone(),
        primary_owner: owner.clone(),
        other_owners: vec![],
        attributes: Attributes::default(),
        model_refs: vec![ArtifactRef {
            name: "m".into(),
            version: "1".into(),
            digest: String::new(),
        }],
        dataset_refs: vec![],
        tags: vec!["a".into()],
    }
}

/// A team "T" and its member Ana, the setting most store tests need.
pub async fn team_and_owner(s: &SharedStore) -> (TeamId, UserId) {
    let team = s.create_team("T", false, &by("x")).await.expect("team").id;
    let ana = s
        .create_user("Ana", "ana@example.test", false, &by("x"))
        .await
        .expect("user")
        .id;
    (team, ana)
}

async fn teams_are_unique_by_name_and_listed_by_name(t: &TestDb) {
    let s = store(t);
    let b = s
        .create_team("Beta", false, &by("x"))
        .await
        .expect("create");
    s.create_team("alpha", true, &by("x"))
        .await
        .expect("create");
    let dup = s.create_team("BETA", false, &by("x")).await;
    assert!(
        matches!(
            dup,
            Err(StoreError::Conflict {
                constraint: Constraint::TeamName
            })
        ),
        "{dup:?}"
    );
    let names: Vec<String> = s
        .list_teams()
        .await
        .expect("list")
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, vec!["alpha", "Beta"]);
    assert_eq!(
        s.get_team(&b.id)
            .await
            .expect("get")
            .map(|t| t.name)
            .as_deref(),
        Some("Beta")
    );
    assert!(s
        .get_team(&TeamId("nope".into()))
        .await
        .expect("get")
        .is_none());
}

async fn users_are_found_by_id_and_email(t: &TestDb) {
    let s = store(t);
    let ana = s
        .create_user("Ana", "Ana@Example.test", false, &by("x"))
        .await
        .expect("create");
    assert_eq!(ana.email, "ana@example.test");
    let bo = s
        .create_user("Bo", "bo@example.test", true, &by("x"))
        .await
        .expect("create");
    assert!(matches!(
        s.create_user("Ana 2", "ana@example.TEST", false, &by("x"))
            .await,
        Err(StoreError::Conflict {
            constraint: Constraint::UserEmail
        })
    ));
    let by_ids = s
        .users_by_ids(&[bo.id.clone(), UserId("ghost".into())])
        .await
        .expect("by ids");
    assert_eq!(by_ids, vec![bo.clone()]);
    let by_email = s
        .users_by_emails(&["ANA@example.test".into()])
        .await
        .expect("by email");
    assert_eq!(by_email, vec![ana]);
    assert!(s.users_by_ids(&[]).await.expect("empty").is_empty());
    assert_eq!(s.list_users().await.expect("list").len(), 2);
}

async fn a_workload_round_trips_and_keeps_its_history(t: &TestDb) {
    let s = store(t);
    let (team, ana) = team_and_owner(&s).await;
    let bo = s
        .create_user("Bo", "bo@example.test", false, &by("x"))
        .await
        .expect("user")
        .id;
    let cy = s
        .create_user("Cy", "cy@example.test", false, &by("x"))
        .await
        .expect("user")
        .id;
    let mut d = draft("Bot", &team, &ana);
    // Owners keep the order they were given in; tags are stored as a set, sorted.
    d.other_owners = vec![cy.clone(), bo.clone()];
    d.tags = vec!["chat".into(), "internal".into(), "pilot".into()];
    let id = s
        .create_workload(&d, Phase::Prototype, &by("tester"), false)
        .await
        .expect("create");
    let w = s.get_workload(&id).await.expect("get").expect("exists");
    assert_eq!(
        (w.revision, w.phase, w.change),
        (1, Phase::Prototype, ChangeKind::Created)
    );
    assert_eq!(w.draft, d);
    assert_eq!(w.changed_by, "tester");
    let created_at = w.valid_from;

    let mut edited = d.clone();
    edited.description = "Now with <b>HTML</b> kept as text".into();
    let w2 = s
        .update_workload(&id, 1, &edited, &by("editor"))
        .await
        .expect("edit");
    assert_eq!((w2.revision, w2.change), (2, ChangeKind::Edited));
    let w3 = s
        .change_phase(&id, 2, Phase::Production, None, &by("promoter"))
        .await
        .expect("promote");
    assert_eq!(
        (w3.revision, w3.phase, w3.change),
        (3, Phase::Production, ChangeKind::Promoted)
    );
    assert_eq!(w3.draft, edited, "a phase change keeps the content");
    let w4 = s
        .change_phase(&id, 3, Phase::Prototype, None, &by("lead"))
        .await
        .expect("demote");
    assert_eq!(w4.change, ChangeKind::Demoted);
    for person in [&ana, &bo, &cy] {
        assert_eq!(
            s.workloads_owned_by(person).await.expect("owned"),
            vec![id.clone()]
        );
    }
    // Owners are looked up in the current version only.
    let mut fewer = edited.clone();
    fewer.other_owners = vec![bo.clone()];
    fewer.tags = vec![];
    let w5 = s
        .update_workload(&id, 4, &fewer, &by("editor"))
        .await
        .expect("edit");
    assert_eq!(
        (w5.draft.other_owners.clone(), w5.draft.tags.clone()),
        (vec![bo.clone()], vec![])
    );
    assert!(s.workloads_owned_by(&cy).await.expect("owned").is_empty());
    assert_eq!(
        s.workloads_owned_by(&bo).await.expect("owned"),
        vec![id.clone()]
    );

    let history = s.workload_history(&id).await.expect("history");
    assert_eq!(
        history.iter().map(|w| w.revision).collect::<Vec<_>>(),
        vec![5, 4, 3, 2, 1]
    );
    assert!(history[0].valid_to.is_none());
    for pair in history.windows(2) {
        assert_eq!(
            pair[1].valid_to,
            Some(pair[0].valid_from),
            "versions are contiguous"
        );
    }
    // As of the first version's instant, the workload was as created.
    let then = s
        .workload_as_of(&id, created_at)
        .await
        .expect("as of")
        .expect("existed");
    assert_eq!(
        (then.revision, then.draft.description.as_str()),
        (1, "Answers questions.")
    );
    assert_eq!(
        then.draft, d,
        "owners and tags of a past version are its own"
    );
    let before = created_at - chrono::Duration::microseconds(1);
    assert!(s
        .workload_as_of(&id, before)
        .await
        .expect("as of")
        .is_none());
    let at_promotion = history[2].valid_from;
    assert_eq!(
        s.workload_as_of(&id, at_promotion)
            .await
            .expect("as of")
            .map(|w| w.phase),
        Some(Phase::Production)
    );
    assert!(s
        .get_workload(&WorkloadId("missing".into()))
        .await
        .expect("get")
        .is_none());
}

async fn a_stale_revision_is_refused_and_changes_nothing(t: &TestDb) {
    let s = store(t);
    let (team, ana) = team_and_owner(&s).await;
    let id = s
        .create_workload(
            &draft("Bot", &team, &ana),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await
        .expect("create");
    s.update_workload(&id, 1, &draft("Bot 2", &team, &ana), &by("first"))
        .await
        .expect("first edit");
    let late = s
        .update_workload(&id, 1, &draft("Bot 3", &team, &ana), &by("second"))
        .await;
    assert!(
        matches!(late, Err(StoreError::StaleRevision { current: 2 })),
        "{late:?}"
    );
    let late_phase = s
        .change_phase(&id, 1, Phase::Production, None, &by("x"))
        .await;
    assert!(matches!(late_phase, Err(StoreError::StaleRevision { .. })));
    let w = s.get_workload(&id).await.expect("get").expect("exists");
    assert_eq!(
        (w.revision, w.draft.name.as_str(), w.phase),
        (2, "Bot 2", Phase::Prototype)
    );
    assert_eq!(s.workload_history(&id).await.expect("history").len(), 2);
    let missing = s
        .update_workload(
            &WorkloadId("nope".into()),
            1,
            &draft("x", &team, &ana),
            &by("x"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

async fn names_are_unique_per_team_among_current_versions(t: &TestDb) {
    let s = store(t);
    let t1 = s.create_team("T1", false, &by("x")).await.expect("team").id;
    let t2 = s.create_team("T2", false, &by("x")).await.expect("team").id;
    let ana = s
        .create_user("Ana", "ana@example.test", false, &by("x"))
        .await
        .expect("user")
        .id;
    let id = s
        .create_workload(&draft("Bot", &t1, &ana), Phase::Prototype, &by("x"), false)
        .await
        .expect("create");
    let dup = s
        .create_workload(&draft("bot", &t1, &ana), Phase::Prototype, &by("x"), false)
        .await;
    match dup {
        Err(StoreError::Conflict { constraint }) => {
            assert_eq!(constraint, Constraint::WorkloadName)
        }
        other => panic!("expected a name conflict, got {other:?}"),
    }
    s.create_workload(&draft("Bot", &t2, &ana), Phase::Prototype, &by("x"), false)
        .await
        .expect("other team may");
    // Renaming frees the old name: only current versions count.
    s.update_workload(&id, 1, &draft("Renamed", &t1, &ana), &by("x"))
        .await
        .expect("rename");
    s.create_workload(&draft("Bot", &t1, &ana), Phase::Prototype, &by("x"), false)
        .await
        .expect("name is free");
    assert_eq!(s.list_teams().await.expect("teams").len(), 2);
    // Case is folded the same way on both backends, beyond ASCII.
    s.create_workload(
        &draft("Éclair", &t1, &ana),
        Phase::Prototype,
        &by("x"),
        false,
    )
    .await
    .expect("create");
    let clash = s
        .create_workload(
            &draft("éCLAIR", &t1, &ana),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await;
    assert!(
        matches!(
            clash,
            Err(StoreError::Conflict {
                constraint: Constraint::WorkloadName
            })
        ),
        "{clash:?}"
    );
    let found = s
        .list_workloads(
            &WorkloadQuery {
                search: "ÉCLA".into(),
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("search");
    assert_eq!(
        found
            .rows
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Éclair"]
    );
}

async fn unknown_team_or_owner_is_refused_by_the_database(t: &TestDb) {
    let s = store(t);
    let (team, ana) = team_and_owner(&s).await;
    let bad_team = s
        .create_workload(
            &draft("Bot", &TeamId("ghost".into()), &ana),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await;
    assert!(
        matches!(
            bad_team,
            Err(StoreError::Conflict {
                constraint: Constraint::Reference
            })
        ),
        "{bad_team:?}"
    );
    let bad_owner = s
        .create_workload(
            &draft("Bot", &team, &UserId("ghost".into())),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await;
    assert!(matches!(
        bad_owner,
        Err(StoreError::Conflict {
            constraint: Constraint::Reference
        })
    ));
    // Nothing half-written: no workload row without a version, no stray version.
    let count = |table: &'static str| {
        let db = t.db.clone();
        async move {
            let sql = format!("select count(*) from {table}");
            match &db {
                Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await,
                Db::Postgres(p) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await,
            }
            .expect("count")
        }
    };
    assert_eq!(count("workloads").await, 0);
    assert_eq!(count("workload_versions").await, 0);
    assert_eq!(count("workload_owners").await, 0);
    assert_eq!(count("workload_tags").await, 0);
}

async fn unreadable_stored_data_is_an_error_not_a_default(t: &TestDb) {
    let s = store(t);
    let (team, ana) = team_and_owner(&s).await;
    let id = s
        .create_workload(
            &draft("Bot", &team, &ana),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await
        .expect("create");
    t.exec("update workload_versions set change_kind = 'mystery'")
        .await;
    let read = s.get_workload(&id).await;
    assert!(
        matches!(&read, Err(StoreError::Other(m)) if m.contains("change kind")),
        "{read:?}"
    );
    assert!(s.workload_history(&id).await.is_err());
    t.exec("update workload_versions set change_kind = 'created', attributes = '{\"hosting\": 7}'")
        .await;
    let read = s.get_workload(&id).await;
    assert!(
        matches!(&read, Err(StoreError::Other(m)) if m.contains("attributes")),
        "{read:?}"
    );
    t.exec("delete from workload_owners").await;
    t.exec("update workload_versions set attributes = '{}'")
        .await;
    assert!(
        s.get_workload(&id).await.is_err(),
        "a version without owners is unreadable"
    );
}

async fn the_list_searches_filters_sorts_and_pages(t: &TestDb) {
    let s = store(t);
    let t1 = s
        .create_team("Alpha", false, &by("x"))
        .await
        .expect("team")
        .id;
    let t2 = s
        .create_team("Beta", false, &by("x"))
        .await
        .expect("team")
        .id;
    let ana = s
        .create_user("Ana", "ana@example.test", false, &by("x"))
        .await
        .expect("user")
        .id;
    for (i, name) in [
        "Fraud 50% model",
        "Chat bot",
        "Fraud_x",
        "Zeta",
        "alpha scorer",
    ]
    .iter()
    .enumerate()
    {
        let team = if i % 2 == 0 { &t1 } else { &t2 };
        let id = s
            .create_workload(&draft(name, team, &ana), Phase::Prototype, &by("x"), false)
            .await
            .expect("create");
        if i >= 3 {
            s.change_phase(&id, 1, Phase::Scale, None, &by("x"))
                .await
                .expect("phase");
        }
    }
    let q = |f: &dyn Fn(&mut WorkloadQuery)| {
        let mut q = WorkloadQuery::default();
        f(&mut q);
        q
    };
    let names = |p: app::dto::WorkloadPage| p.rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
    let all = s
        .list_workloads(&q(&|_| {}), &app::domain::policy::Reach::Organization)
        .await
        .expect("list");
    assert_eq!(all.total, 5);
    assert_eq!(
        names(all),
        vec![
            "alpha scorer",
            "Chat bot",
            "Fraud 50% model",
            "Fraud_x",
            "Zeta"
        ]
    );
    let fraud = s
        .list_workloads(
            &q(&|q| q.search = "FRAUD".into()),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("search");
    assert_eq!(fraud.total, 2);
    let literal = s
        .list_workloads(
            &q(&|q| q.search = "50%".into()),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("search %");
    assert_eq!(
        names(literal),
        vec!["Fraud 50% model"],
        "% is not a wildcard"
    );
    let underscore = s
        .list_workloads(
            &q(&|q| q.search = "d_5".into()),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("search _");
    assert_eq!(
        names(underscore),
        Vec::<String>::new(),
        "_ is not a wildcard"
    );
    let team2 = s
        .list_workloads(
            &q(&|q| q.team = Some(t2.0.clone())),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("team");
    assert_eq!(names(team2), vec!["Chat bot", "Zeta"]);
    let scale = s
        .list_workloads(
            &q(&|q| q.phase = Some(Phase::Scale)),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("phase");
    assert_eq!(names(scale), vec!["alpha scorer", "Zeta"]);
    let by_phase_desc = s
        .list_workloads(
            &q(&|q| {
                q.sort = SortKey::Phase;
                q.descending = true;
            }),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("sort");
    assert_eq!(
        names(by_phase_desc)[..2],
        ["alpha scorer".to_string(), "Zeta".to_string()]
    );
    let by_team = s
        .list_workloads(
            &q(&|q| {
                q.sort = SortKey::Team;
                q.descending = true;
            }),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("sort");
    assert_eq!(by_team.rows[0].team_name, "Beta");
    let page2 = s
        .list_workloads(
            &q(&|q| {
                q.per_page = 2;
                q.page = 2;
            }),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("page");
    assert_eq!(
        (page2.total, names(page2)),
        (
            5,
            vec!["Fraud 50% model".to_string(), "Fraud_x".to_string()]
        )
    );
    let beyond = s
        .list_workloads(
            &q(&|q| {
                q.per_page = 2;
                q.page = 40;
            }),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("beyond");
    assert!(beyond.rows.is_empty() && beyond.total == 5);
    let counts = s
        .count_by_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("counts");
    let count = |p: Phase| counts.iter().find(|c| c.phase == p).map(|c| c.count);
    assert_eq!(
        (
            count(Phase::Prototype),
            count(Phase::Production),
            count(Phase::Scale)
        ),
        (Some(3), Some(0), Some(2))
    );
}

async fn demo_rows_are_seeded_once_and_removed(t: &TestDb) {
    let s = store(t);
    assert!(s.is_empty().await.expect("empty"));
    let seeded = strata_server::demo::seed(&s).await.expect("seed");
    assert_eq!((seeded.teams, seeded.users, seeded.workloads), (5, 15, 30));
    assert!(!s.is_empty().await.expect("not empty"));
    let all = s
        .list_workloads(
            &WorkloadQuery {
                per_page: 100,
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    assert_eq!(all.total, 30);
    let counts = s
        .count_by_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("counts");
    assert_eq!(
        counts.iter().map(|c| c.count).collect::<Vec<_>>(),
        vec![12, 12, 6]
    );
    // An organization's own workload in a demo team keeps that team and its owner.
    let team = s.list_teams().await.expect("teams").remove(0);
    let owner = s.list_users().await.expect("users").remove(0);
    let own = s
        .create_workload(
            &draft("Our own", &team.id, &owner.id),
            Phase::Prototype,
            &by("x"),
            false,
        )
        .await
        .expect("own");
    assert_eq!(s.remove_demo(&by("x")).await.expect("remove"), 30);
    let left = s
        .list_workloads(
            &WorkloadQuery::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    assert_eq!(
        left.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        vec![own]
    );
    assert_eq!(s.list_teams().await.expect("teams").len(), 1);
    assert_eq!(s.list_users().await.expect("users").len(), 1);
}

async fn concurrent_writers_are_serialized_not_failed(t: &TestDb) {
    let s = store(t);
    let (team, ana) = team_and_owner(&s).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let d = draft(&format!("Bot {i}"), &team, &ana);
        ids.push(
            s.create_workload(&d, Phase::Prototype, &by("x"), false)
                .await
                .expect("create"),
        );
    }
    // Twelve different workloads edited at once: all succeed. (Spawned before any is awaited.)
    let edits: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (s, team, ana, id) = (s.clone(), team.clone(), ana.clone(), id.clone());
            tokio::spawn(async move {
                let d = draft(&format!("Bot {i} edited"), &team, &ana);
                s.update_workload(&id, 1, &d, &by("x")).await
            })
        })
        .collect();
    for r in futures_join(edits).await {
        r.expect("every edit of a different workload succeeds");
    }
    // The same workload edited four times at once from revision 2: one wins, three are stale.
    let same: Vec<_> = (0..4)
        .map(|i| {
            let (s, team, ana, id) = (s.clone(), team.clone(), ana.clone(), ids[0].clone());
            tokio::spawn(async move {
                let d = draft(&format!("Bot 0 v{i}"), &team, &ana);
                s.update_workload(&id, 2, &d, &by("x")).await
            })
        })
        .collect();
    let results = futures_join(same).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    let stale = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::StaleRevision { .. })))
        .count();
    assert_eq!((won, stale), (1, 3), "{results:?}");
}

/// Awaits spawned tasks in order.
pub async fn futures_join<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

/// Attempts are counted per (scope, client, window), all of them under concurrency, and old
/// windows are forgotten.
async fn attempts_are_counted_per_client_and_window(t: &TestDb) {
    use app::ports::AttemptStore;
    let db = &t.db;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.count_attempt("login", "198.51.100.1", 600).await })
        })
        .collect();
    let mut counts: Vec<u64> = futures_join(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("count"))
        .collect();
    counts.sort_unstable();
    assert_eq!(
        counts,
        (1..=20).collect::<Vec<_>>(),
        "every attempt counted once"
    );
    assert_eq!(
        db.count_attempt("login", "198.51.100.2", 600)
            .await
            .expect("count"),
        1
    );
    assert_eq!(
        db.count_attempt("flash_session", "198.51.100.1", 600)
            .await
            .expect("count"),
        1
    );
    assert_eq!(
        db.count_attempt("login", "198.51.100.1", 660)
            .await
            .expect("count"),
        1
    );
    assert_eq!(db.forget_attempts_before(660).await.expect("forget"), 3);
    assert_eq!(
        db.count_attempt("login", "198.51.100.1", 600)
            .await
            .expect("count"),
        1,
        "forgotten"
    );
    assert_eq!(
        db.count_attempt("login", "198.51.100.1", 660)
            .await
            .expect("count"),
        2,
        "kept"
    );
}

on_both_backends!(
    attempts_are_counted_per_client_and_window,
    unreadable_stored_data_is_an_error_not_a_default,
    concurrent_writers_are_serialized_not_failed,
    teams_are_unique_by_name_and_listed_by_name,
    users_are_found_by_id_and_email,
    a_workload_round_trips_and_keeps_its_history,
    a_stale_revision_is_refused_and_changes_nothing,
    names_are_unique_per_team_among_current_versions,
    unknown_team_or_owner_is_refused_by_the_database,
    the_list_searches_filters_sorts_and_pages,
    demo_rows_are_seeded_once_and_removed,
);
