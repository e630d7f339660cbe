//! Catalog versions and materialized requirements on both backends: versions only when content
//! changes, and the requirements table always equal to the pure rules.

use crate::on_both_backends;
use crate::store_contract::{draft, futures_join, team_and_owner};
use crate::support::{by, TestDb};
use app::domain::applicability::evaluate;
use app::domain::listing::WorkloadQuery;
use app::domain::{CatalogVersionId, Layer, Phase};
use app::ports::SharedStore;
use std::sync::Arc;
use strata_server::catalog::{content_hash, load_starter, parse, STARTER};

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

/// Asserts that every current workload's requirement rows equal the pure rules.
async fn assert_materialized(s: &SharedStore) -> usize {
    let catalog = s.current_catalog().await.expect("current").expect("loaded");
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
    for row in &all.rows {
        let id = row.id.clone();
        let w = s.get_workload(&id).await.expect("get").expect("exists");
        let mut expected: Vec<_> = evaluate(&w.draft.attributes, &catalog.catalog)
            .into_iter()
            .map(|d| {
                (
                    d.control_id.clone(),
                    d.applies,
                    d.required_at(w.phase),
                    d.effective_min_phase,
                    d.reason,
                )
            })
            .collect();
        expected.sort();
        let mut stored: Vec<_> = s
            .requirements(&id)
            .await
            .expect("requirements")
            .into_iter()
            .map(|r| {
                assert_eq!(
                    r.catalog_version_id, catalog.id,
                    "rows belong to the current catalog"
                );
                (
                    r.control_id,
                    r.applicable,
                    r.required,
                    r.effective_min_phase,
                    r.reason,
                )
            })
            .collect();
        stored.sort();
        assert_eq!(stored, expected, "requirements of {}", row.name);
    }
    all.rows.len()
}

async fn a_catalog_version_is_recorded_only_when_its_content_changes(t: &TestDb) {
    let s = store(t);
    assert!(s.current_catalog().await.expect("none yet").is_none());
    let first = load_starter(&s, &by("x")).await.expect("load");
    assert!(first.created);
    let again = load_starter(&s, &by("x")).await.expect("reload");
    assert_eq!(
        (again.created, again.version_id.as_str()),
        (false, first.version_id.as_str()),
        "a restart records nothing"
    );
    let mut changed = parse(STARTER).expect("valid");
    changed.controls[0].title = "Data source inventory".into();
    let next = s
        .load_catalog(&changed, &content_hash(&changed), "test", &by("x"))
        .await
        .expect("load changed");
    assert!(next.created && next.version_id != first.version_id);
    let current = s.current_catalog().await.expect("current").expect("loaded");
    assert_eq!(
        (&current.id, current.source.as_str()),
        (&next.version_id, "test")
    );
    assert_eq!(*current.catalog, changed);
    // Every version stays readable by its id, the older one included.
    let older = s.catalog_version(&first.version_id).await.expect("older");
    assert_eq!(*older, parse(STARTER).expect("valid"));
    let newer = s.catalog_version(&next.version_id).await.expect("newer");
    assert_eq!(*newer, changed);
    let unknown = CatalogVersionId("no-such-version".into());
    assert!(s.catalog_version(&unknown).await.is_err());
}

async fn requirements_equal_the_rules_for_every_demo_workload(t: &TestDb) {
    let s = store(t);
    load_starter(&s, &by("x")).await.expect("load");
    strata_server::demo::seed(&s).await.expect("seed");
    assert_eq!(assert_materialized(&s).await, 30);
    // A new catalog version rewrites every workload in the same transaction.
    let mut changed = parse(STARTER).expect("valid");
    changed.controls.retain(|c| c.id != "APP-01");
    let load = s
        .load_catalog(&changed, &content_hash(&changed), "test", &by("x"))
        .await
        .expect("load");
    assert_eq!(load.workloads, 30);
    assert_materialized(&s).await;
    assert_eq!(
        s.rematerialize_all(&by("x")).await.expect("rematerialize"),
        30
    );
    assert_materialized(&s).await;
}

async fn promotion_grows_the_required_set_and_edits_rewrite_it(t: &TestDb) {
    let s = store(t);
    load_starter(&s, &by("x")).await.expect("load");
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
    let required =
        |rows: Vec<app::ports::RequirementRecord>| rows.iter().filter(|r| r.required).count();
    let at_prototype = required(s.requirements(&id).await.expect("rows"));
    assert!(at_prototype > 0);
    s.change_phase(&id, 1, Phase::Production, None, &by("x"))
        .await
        .expect("promote");
    let at_production = required(s.requirements(&id).await.expect("rows"));
    assert!(
        at_production > at_prototype,
        "{at_production} > {at_prototype}"
    );
    let mut personal = draft("Bot", &team, &ana);
    personal.attributes.processes_personal_data = app::domain::attributes::PersonalData::Yes;
    s.update_workload(&id, 2, &personal, &by("x"))
        .await
        .expect("edit");
    let rows = s.requirements(&id).await.expect("rows");
    assert!(
        rows.iter().any(|r| r.control_id == "DATA-06" && r.required),
        "personal data adds DATA-06"
    );
    assert_materialized(&s).await;
}

/// Every count a page shows — the list's total under each team, phase and gap filter, and the
/// home page's counts by phase and by team and phase — equals what the rows say: the current
/// workloads as listed and their requirement rows (the counts are maintained, not recounted).
async fn assert_counts_follow_rows(s: &SharedStore) {
    let all = s
        .list_workloads(
            &WorkloadQuery {
                per_page: 100,
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list")
        .rows;
    let teams = s.list_teams().await.expect("teams");
    let mut facts = Vec::new();
    for w in &all {
        let current = s.get_workload(&w.id).await.expect("get").expect("exists");
        let layers: Vec<Layer> = s
            .requirements(&w.id)
            .await
            .expect("requirements")
            .iter()
            .filter(|r| r.required)
            .map(|r| r.layer)
            .collect();
        facts.push((current.draft.team_id, w.phase, layers));
    }
    let layers = Layer::ALL.iter().map(Some).chain([None]);
    for layer in layers {
        let has = |ls: &Vec<Layer>| layer.is_none_or(|l| ls.contains(l));
        let query = WorkloadQuery {
            gap_layer: layer.copied(),
            per_page: 100,
            ..Default::default()
        };
        let expected = facts.iter().filter(|(_, _, ls)| has(ls)).count() as u64;
        let page = s
            .list_workloads(&query, &app::domain::policy::Reach::Organization)
            .await
            .expect("list");
        assert_eq!(
            (page.total, page.rows.len() as u64),
            (expected, expected),
            "{layer:?}"
        );
        for phase in Phase::ALL {
            let expected = facts
                .iter()
                .filter(|(_, p, ls)| p == phase && has(ls))
                .count() as u64;
            let q = WorkloadQuery {
                phase: Some(*phase),
                ..query.clone()
            };
            let total = s
                .list_workloads(&q, &app::domain::policy::Reach::Organization)
                .await
                .expect("list")
                .total;
            assert_eq!(total, expected, "{layer:?} in {phase}");
        }
        for team in &teams {
            let expected = facts
                .iter()
                .filter(|(t, _, ls)| *t == team.id && has(ls))
                .count() as u64;
            let q = WorkloadQuery {
                team: Some(team.id.0.clone()),
                phase: Some(Phase::Prototype),
                ..query.clone()
            };
            let in_prototype = facts
                .iter()
                .filter(|(t, p, ls)| *t == team.id && *p == Phase::Prototype && has(ls))
                .count() as u64;
            assert_eq!(
                s.list_workloads(&q, &app::domain::policy::Reach::Organization)
                    .await
                    .expect("list")
                    .total,
                in_prototype
            );
            let q = WorkloadQuery { phase: None, ..q };
            let total = s
                .list_workloads(&q, &app::domain::policy::Reach::Organization)
                .await
                .expect("list")
                .total;
            assert_eq!(total, expected, "{layer:?} in team {}", team.name);
        }
    }
    let by_phase = s
        .count_by_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("by phase");
    for c in &by_phase {
        let expected = facts.iter().filter(|(_, p, _)| *p == c.phase).count() as u64;
        assert_eq!(c.count, expected, "{}", c.phase);
    }
    let mut by_team = s
        .count_by_team_and_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("by team");
    by_team.sort();
    let mut expected = Vec::new();
    for team in &teams {
        for phase in Phase::ALL {
            let n = facts
                .iter()
                .filter(|(t, p, _)| *t == team.id && p == phase)
                .count() as u64;
            if n > 0 {
                expected.push((team.name.clone(), *phase, n));
            }
        }
    }
    expected.sort();
    assert_eq!(by_team, expected);
}

async fn the_list_filters_by_layer_gap_and_counts_by_team(t: &TestDb) {
    let s = store(t);
    load_starter(&s, &by("x")).await.expect("load");
    strata_server::demo::seed(&s).await.expect("seed");
    let gaps = |layer| {
        let s = s.clone();
        async move {
            s.list_workloads(
                &WorkloadQuery {
                    gap_layer: Some(layer),
                    per_page: 100,
                    ..Default::default()
                },
                &app::domain::policy::Reach::Organization,
            )
            .await
            .expect("list")
            .total
        }
    };
    // Every workload has required organizational controls (ORG-01 applies to all from prototype)…
    assert_eq!(gaps(Layer::Organizational).await, 30);
    // …but four predictive, internal, tool-less prototypes have no application requirement yet.
    assert_eq!(gaps(Layer::Application).await, 26);
    let listed = s
        .list_workloads(
            &WorkloadQuery {
                gap_layer: Some(Layer::Application),
                search: "meeting emotion".into(),
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list");
    assert_eq!(
        listed.total, 0,
        "Meeting emotion monitor has no application gap"
    );
    assert_counts_follow_rows(&s).await;
    // A promotion rewrites the requirements, and the open layers with them.
    let prototype = s
        .list_workloads(
            &WorkloadQuery {
                phase: Some(Phase::Prototype),
                ..Default::default()
            },
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list")
        .rows
        .remove(0);
    s.change_phase(&prototype.id, 1, Phase::Production, None, &by("x"))
        .await
        .expect("promote");
    assert_counts_follow_rows(&s).await;
    let counts = s
        .count_by_team_and_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("counts");
    assert_eq!(counts.iter().map(|(_, _, n)| n).sum::<u64>(), 30);
    assert!(counts
        .iter()
        .any(|(t, p, n)| t == "Risk & Fraud" && *p == Phase::Scale && *n == 2));
    // An edit that moves a workload to another team moves its counts with it.
    let moved = s
        .get_workload(&prototype.id)
        .await
        .expect("get")
        .expect("exists");
    let teams = s.list_teams().await.expect("teams");
    let other = teams
        .iter()
        .find(|t| t.id != moved.draft.team_id)
        .expect("another team");
    let mut elsewhere = moved.draft.clone();
    elsewhere.team_id = other.id.clone();
    s.update_workload(&prototype.id, moved.revision, &elsewhere, &by("x"))
        .await
        .expect("move");
    assert_counts_follow_rows(&s).await;
    s.rematerialize_all(&by("x")).await.expect("rematerialize");
    assert_counts_follow_rows(&s).await;
    // Removing the demo organization leaves nothing counted.
    s.remove_demo(&by("x")).await.expect("remove");
    assert_counts_follow_rows(&s).await;
    let counted: u64 = s
        .count_by_phase(&app::domain::policy::Reach::Organization)
        .await
        .expect("counts")
        .iter()
        .map(|c| c.count)
        .sum();
    assert_eq!(counted, 0);
}

/// Workloads moving between two teams in opposite directions at once: every move succeeds (on
/// PostgreSQL the count rows are locked in one order, so opposite moves cannot deadlock) and
/// the counts still equal the rows.
async fn opposite_moves_at_once_keep_the_counts(t: &TestDb) {
    let s = store(t);
    load_starter(&s, &by("x")).await.expect("load");
    let (a, ana) = team_and_owner(&s).await;
    let b = s.create_team("B", false, &by("x")).await.expect("team").id;
    let mut moves = Vec::new();
    for i in 0..12 {
        let (from, to) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let mut d = draft(&format!("Bot {i}"), from, &ana);
        d.attributes.processes_personal_data = app::domain::attributes::PersonalData::Yes;
        let id = s
            .create_workload(&d, Phase::Prototype, &by("x"), false)
            .await
            .expect("create");
        d.team_id = to.clone();
        moves.push((id, d));
    }
    assert_counts_follow_rows(&s).await;
    let tasks: Vec<_> = moves
        .into_iter()
        .map(|(id, d)| {
            let s = s.clone();
            tokio::spawn(async move { s.update_workload(&id, 1, &d, &by("x")).await })
        })
        .collect();
    for r in futures_join(tasks).await {
        r.expect("every move succeeds");
    }
    assert_counts_follow_rows(&s).await;
}

on_both_backends!(
    opposite_moves_at_once_keep_the_counts,
    a_catalog_version_is_recorded_only_when_its_content_changes,
    requirements_equal_the_rules_for_every_demo_workload,
    promotion_grows_the_required_set_and_edits_rewrite_it,
    the_list_filters_by_layer_gap_and_counts_by_team,
);
