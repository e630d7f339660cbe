//! One slow request cannot take the server down: with the pool held by slow work, pages and
//! server functions answer 503 within their time limit instead of hanging, the slow work is cut
//! at the statement limit (SQLite's progress handler, PostgreSQL's statement_timeout), and the
//! server answers normally again as soon as it is.

use crate::http::start_with;
use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::TestDb;
use app::ports::SharedStore;
use std::sync::Arc;
use std::time::{Duration, Instant};
use strata_server::db::{Db, DbError, Limits};

/// Work that would run for minutes on each backend.
fn slow_sql(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => {
            "with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000000000) \
             select count(*) from c"
        }
        Db::Postgres(_) => "select count(*) from pg_sleep(120)",
    }
}

/// Runs one statement on the pool.
async fn run(db: &Db, sql: &str) -> Result<(), DbError> {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .map_err(DbError::from)
}

/// Slow work: a plain read, or (`write`) in a write transaction that has already written, as a
/// use case's would.
async fn run_slow(db: Db, write: bool) -> Result<(), DbError> {
    let sql = slow_sql(&db);
    if !write {
        return run(&db, sql).await;
    }
    let write = "insert into teams (id, name, is_demo, created_at) values ($1, $1, 0, 1)";
    let team = format!("slow-{}", chrono::Utc::now().timestamp_micros());
    match &db {
        Db::Sqlite(p) => {
            let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query(write).bind(&team).execute(&mut *tx).await?;
            sqlx::query(sql).execute(&mut *tx).await?;
            tx.commit().await
        }
        Db::Postgres(p) => {
            let mut tx = p.begin().await?;
            sqlx::query(write).bind(&team).execute(&mut *tx).await?;
            sqlx::query(sql).execute(&mut *tx).await?;
            tx.commit().await
        }
    }
    .map_err(DbError::from)
}

async fn slow_work_holding_the_pool_does_not_take_pages_down(t: &TestDb) {
    let limits = Limits {
        pool_size: Some(2),
        acquire_timeout: Duration::from_secs(2),
        statement_timeout: Duration::from_secs(3),
    };
    let db = Db::connect_with(&t.url, &limits).await.expect("pool");
    let store: SharedStore = Arc::new(db.clone());
    let env = [
        ("STRATA_REQUEST_TIMEOUT_MS", "500"),
        ("STRATA_DB_POOL_SIZE", "2"),
    ];
    let s = start_with(t, db.clone(), store, &env).await;
    let c = lead(&s).await;
    assert_eq!(
        c.get(format!("{}/", s.base))
            .send()
            .await
            .expect("home")
            .status()
            .as_u16(),
        200
    );

    let started = Instant::now();
    let slow: Vec<_> = [true, false]
        .into_iter()
        .map(|write| tokio::spawn(run_slow(db.clone(), write)))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Every connection is taken: the page and a server function answer 503 at their time limit.
    let at = Instant::now();
    let page = c
        .get(format!("{}/", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("home");
    assert_eq!(page.status().as_u16(), 503);
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(
            page.headers().get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "a 503 carries the security headers too: {name}"
        );
    }
    assert!(
        at.elapsed() < Duration::from_secs(2),
        "answered at the limit: {:?}",
        at.elapsed()
    );
    assert!(page.text().await.expect("body").contains("Strata is busy"));
    let fetch = c
        .post(format!("{}/api/phase_counts", s.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("fetch");
    assert_eq!(fetch.status().as_u16(), 503);
    let err: app::error::AppError = fetch.json().await.expect("the error as JSON");
    assert_eq!(err, app::error::AppError::Unavailable);
    assert_eq!(
        c.get(format!("{}/health", s.base))
            .send()
            .await
            .expect("health")
            .status()
            .as_u16(),
        503,
        "the health check says the database is unavailable rather than hanging"
    );

    // The slow work is cut at the statement limit, not left running.
    for task in slow {
        let result = task.await.expect("task");
        assert!(matches!(result, Err(DbError::Busy(_))), "{result:?}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "cut after {:?}",
        started.elapsed()
    );

    // And the server answers normally again, writes included, and the interrupted write left
    // nothing behind.
    let page = c.get(format!("{}/", s.base)).send().await.expect("home");
    assert_eq!(page.status().as_u16(), 200);
    for i in 0..4 {
        s.store
            .create_team(&format!("After {i}"), false, &crate::support::by("x"))
            .await
            .expect("writes work after an interrupted one");
    }
    let teams = s.store.list_teams().await.expect("teams");
    assert!(
        teams.iter().all(|t| !t.name.starts_with("slow-")),
        "the slow writes were rolled back"
    );
    db.close().await;
}

/// Work of a few milliseconds, long enough for SQLite's progress handler to look at the clock.
fn brief_sql(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => {
            "with recursive c(x) as (select 1 union all select x + 1 from c where x < 100000) \
             select count(*) from c"
        }
        Db::Postgres(_) => "select count(*) from generate_series(1, 100000)",
    }
}

async fn run_brief(db: &Db) -> Result<(), DbError> {
    run(db, brief_sql(db)).await
}

/// The limit bounds one taking of a connection, not its life in the pool: work on a connection
/// that was taken, used and given back longer ago than the limit still runs.
async fn each_taking_of_a_connection_gets_its_own_limit(t: &TestDb) {
    let limits = Limits {
        pool_size: Some(1),
        acquire_timeout: Duration::from_secs(2),
        statement_timeout: Duration::from_millis(500),
    };
    let db = Db::connect_with(&t.url, &limits).await.expect("pool");
    for round in 0..3 {
        run_brief(&db)
            .await
            .unwrap_or_else(|e| panic!("round {round}: brief work was cut: {e:?}"));
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    // And the limit still cuts work that runs past it.
    let slow = run_slow(db.clone(), false).await;
    assert!(matches!(slow, Err(DbError::Busy(_))), "{slow:?}");
    run_brief(&db).await.expect("the pool answers after a cut");
    db.close().await;
}

on_both_backends!(
    slow_work_holding_the_pool_does_not_take_pages_down,
    each_taking_of_a_connection_gets_its_own_limit
);
