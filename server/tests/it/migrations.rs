//! Forward migrations keep what was stored: a database at the schema before owners and tags
//! became rows, with data in it, reads the same after the remaining migrations, on both backends.

use crate::support::Backend;
use app::domain::{Attributes, UserId, WorkloadId};
use app::ports::SharedStore;
use sqlx::migrate::Migrator;
use std::sync::Arc;
use strata_server::db::Db;

/// The schema version before owners and tags became rows.
const BEFORE_ROWS: i64 = 3;

fn up_to(mut m: Migrator, version: i64) -> Migrator {
    m.migrations = m
        .migrations
        .iter()
        .filter(|x| x.version <= version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    m
}

/// A version row in the old schema: `revision, valid_from, valid_to` and the owners and tags
/// JSON as SQL literals; `$1` is the attributes.
fn old_version(revision_and_interval: &str, owners_and_tags: &str) -> String {
    format!(
        "insert into workload_versions (workload_id, revision, valid_from, valid_to, \
         changed_by, change_kind, name, description, team_id, phase, primary_owner, \
         attributes, model_refs, dataset_refs, name_key, other_owners, tags) \
         values ('w', {revision_and_interval}, 'x', 'edited', 'Bot', '', 't', 'prototype', \
         'u1', $1, '[]', '[]', 'bot', {owners_and_tags})"
    )
}

async fn owners_and_tags_move_from_json_to_rows(backend: Backend) {
    let t = backend.open_empty().await;
    match &t.db {
        Db::Sqlite(p) => {
            up_to(sqlx::migrate!("../migrations/sqlite"), BEFORE_ROWS)
                .run(p)
                .await
        }
        Db::Postgres(p) => {
            up_to(sqlx::migrate!("../migrations/postgres"), BEFORE_ROWS)
                .run(p)
                .await
        }
    }
    .expect("migrate to the old schema");
    let attributes = serde_json::to_string(&Attributes::default()).expect("json");
    // Revision 1 had two other owners (in this order) and two tags; revision 2 has none.
    let statements = [
        "insert into teams (id, name, is_demo, created_at) values ('t', 'Team', 0, 1)".to_string(),
        "insert into users (id, name, email, is_demo, created_at) values \
         ('u1', 'Ana', 'a@example.test', 0, 1), ('u2', 'Bo', 'b@example.test', 0, 1), \
         ('u3', 'Cy', 'c@example.test', 0, 1)"
            .to_string(),
        "insert into workloads (id, created_at, is_demo, current_revision) values ('w', 1, 0, 2)"
            .to_string(),
        old_version("1, 10, 20", r#"'["u3","u2"]', '["chat","pilot"]'"#),
        old_version("2, 20, null", "'[]', '[]'"),
    ];
    for sql in &statements {
        // Only the version rows take the attributes as a parameter.
        let binds: &[&str] = if sql.contains("$1") {
            &[&attributes]
        } else {
            &[]
        };
        match &t.db {
            Db::Sqlite(p) => binds
                .iter()
                .fold(sqlx::query(sql), |q, b| q.bind(*b))
                .execute(p)
                .await
                .map(|_| ()),
            Db::Postgres(p) => binds
                .iter()
                .fold(sqlx::query(sql), |q, b| q.bind(*b))
                .execute(p)
                .await
                .map(|_| ()),
        }
        .expect("an old row");
    }
    t.db.migrate().await.expect("the remaining migrations");
    let store: SharedStore = Arc::new(t.db.clone());
    let history = store
        .workload_history(&WorkloadId("w".into()))
        .await
        .expect("history");
    let owners_and_tags: Vec<_> = history
        .iter()
        .map(|w| {
            (
                w.revision,
                w.draft.primary_owner.clone(),
                w.draft.other_owners.clone(),
                w.draft.tags.clone(),
            )
        })
        .collect();
    let u = |s: &str| UserId(s.into());
    assert_eq!(
        owners_and_tags,
        vec![
            (2, u("u1"), vec![], vec![]),
            (
                1,
                u("u1"),
                vec![u("u3"), u("u2")],
                vec!["chat".to_string(), "pilot".to_string()]
            ),
        ]
    );
    assert!(
        store
            .workloads_owned_by(&u("u3"))
            .await
            .expect("owned")
            .is_empty(),
        "not in the current version"
    );
    assert_eq!(
        store.workloads_owned_by(&u("u1")).await.expect("owned"),
        vec![WorkloadId("w".into())]
    );
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_owners_and_tags_move_from_json_to_rows() {
    owners_and_tags_move_from_json_to_rows(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_owners_and_tags_move_from_json_to_rows() {
    owners_and_tags_move_from_json_to_rows(Backend::Postgres).await;
}
