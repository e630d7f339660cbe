//! `strata bench`: builds a fresh organization of N workloads in a temporary database on SQLite
//! and on PostgreSQL, starts a real server on it (pinned to one core when `taskset` exists, the
//! load generator on another), drives every page and chart route over HTTP at 1 and 10
//! concurrent clients, and prints one stable table row per (backend, size, route, clients),
//! then the sizes of the browser bundle. Figures are for people; no test asserts them.

mod bundle;
pub mod draw;
mod load;
mod org;
mod routes;
mod server;

pub use server::with_database;

use crate::db::Db;
use app::domain::Principal;
use app::ports::SharedStore;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// Organization sizes to measure, e.g. `[5000]` or `[500, 5000, 20000]`.
    pub sizes: Vec<usize>,
    /// A PostgreSQL URL whose role may create databases; without it only SQLite is measured.
    pub postgres_admin_url: Option<String>,
    /// Seconds per measurement (after a short warm-up).
    pub seconds: f64,
    /// The built browser assets (for the bundle sizes and the pages' stylesheet).
    pub site_root: PathBuf,
    /// The `strata` binary to run as the server.
    pub server_binary: PathBuf,
    /// Keep the generated databases (and print where they are), e.g. to read query plans.
    pub keep: bool,
}

/// Client counts every route is driven with.
const CONCURRENCY: [usize; 2] = [1, 10];

/// Runs the whole bench and prints the tables.
pub async fn run(options: Options) -> Result<(), Failure> {
    let started = Instant::now();
    // Decided before this process is pinned (pinning narrows what it sees to one CPU).
    let pinned = server::can_pin() && server::pin_self_to_cpu(1);
    println!(
        "strata bench: sizes {:?}, {} s per measurement, {}",
        options.sizes,
        options.seconds,
        if pinned {
            "server on CPU 0, load generator on CPU 1"
        } else {
            "not pinned (no taskset or one CPU)"
        }
    );
    println!("{}", routes::header());
    let mut backends = vec![server::Backend::Sqlite];
    match &options.postgres_admin_url {
        Some(_) => backends.push(server::Backend::Postgres),
        None => println!("(no PostgreSQL URL: PostgreSQL is not measured)"),
    }
    for &size in &options.sizes {
        for &backend in &backends {
            measure(&options, backend, size, pinned).await?;
        }
    }
    bundle::print(&options.site_root)?;
    println!("bench finished in {} s", started.elapsed().as_secs());
    Ok(())
}

/// A client signed in as `email` (its session cookie kept), for the measured requests.
async fn signed_in(base: &str, email: &str) -> Result<reqwest::Client, Failure> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(32)
        .timeout(Duration::from_secs(30))
        .build()?;
    let res = client
        .post(format!("{base}/api/sign_in"))
        .header("accept", "text/html")
        .header("origin", base)
        .form(&[("email", email), ("password", org::PASSWORD)])
        .send()
        .await?;
    let to = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if to != "/" {
        return Err(format!("the bench could not sign in as {email} (sent to {to:?})").into());
    }
    Ok(client)
}

async fn measure(
    options: &Options,
    backend: server::Backend,
    size: usize,
    pinned: bool,
) -> Result<(), Failure> {
    let database =
        server::TempDatabase::create(backend, options.postgres_admin_url.as_deref()).await?;
    let result = measure_on(options, backend, size, pinned, &database.url).await;
    if options.keep {
        eprintln!(
            "{}: kept the database at {}",
            backend.name(),
            crate::config::redact_url(&database.url)
        );
    } else {
        // Also when the measurement failed: no bench database is left behind.
        database.drop().await;
    }
    result
}

/// Events the bench's chain holds when it is verified and the audit page is measured.
const CHAIN_EVENTS: u64 = 100_000;
/// Changes timed for the append overhead, with and without the chain.
const APPENDS_TIMED: u64 = 1_000;

/// The audit chain's figures: what an append costs a change (a transaction each, with the
/// chain and without), then the time to verify a chain of `CHAIN_EVENTS`.
async fn audit_chain(db: &Db, backend: server::Backend) -> Result<(), Failure> {
    use app::ports::AuditStore as _;
    let at = Instant::now();
    db.append_plain_bench_events(APPENDS_TIMED).await?;
    let plain = APPENDS_TIMED as f64 / at.elapsed().as_secs_f64();
    let at = Instant::now();
    db.append_bench_events(APPENDS_TIMED, 1).await?;
    let chained = APPENDS_TIMED as f64 / at.elapsed().as_secs_f64();
    let (head, _) = db.chain_head().await?;
    let missing = CHAIN_EVENTS.saturating_sub(u64::try_from(head).unwrap_or(0));
    db.append_bench_events(missing, 5_000).await?;
    let at = Instant::now();
    let system = Principal::System("strata bench".into());
    let verified = app::service::audit::verify_chain(db, &system, &[], |_| ()).await?;
    let took = at.elapsed();
    let events = verified
        .map_err(|b| format!("the bench's chain is broken at {b}"))?
        .events;
    println!(
        "{}: audit chain: {events} events verified in {} ms ({:.0} events/s); changes with          the chain {chained:.0}/s, without {plain:.0}/s (one transaction each)",
        backend.name(),
        took.as_millis(),
        events as f64 / took.as_secs_f64(),
    );
    Ok(())
}

async fn measure_on(
    options: &Options,
    backend: server::Backend,
    size: usize,
    pinned: bool,
    database_url: &str,
) -> Result<(), Failure> {
    let seeded_in = {
        let db = Db::connect_with(database_url, &crate::db::Limits::for_tasks()).await?;
        db.migrate().await?;
        let store: SharedStore = Arc::new(db.clone());
        crate::catalog::load_starter(&store, &Principal::System("strata bench".into())).await?;
        let at = Instant::now();
        let org = org::build(&store, org::Size::for_workloads(size)).await?;
        audit_chain(&db, backend).await?;
        // What a database in use has: the statistics (and, on PostgreSQL, the visibility map)
        // that autovacuum or `PRAGMA optimize` keep after a bulk of writes.
        match &db {
            Db::Sqlite(p) => sqlx::query("analyze").execute(p).await.map(|_| ())?,
            Db::Postgres(p) => sqlx::query(
                "vacuum analyze workload_versions, workload_owners, workload_tags, requirements, role_grants, credentials, \
                 workload_open_layers, workload_counts, open_layer_counts, workloads, teams, users, \
                 audit_events",
            )
            .execute(p)
            .await
            .map(|_| ())?,
        }
        db.close().await;
        (at.elapsed(), org)
    };
    let (took, org) = seeded_in;
    eprintln!(
        "{}: seeded {size} workloads in {:.1} s",
        backend.name(),
        took.as_secs_f64()
    );
    let running = server::Running::start(options, database_url, pinned).await?;
    // Every page asks who is signing in: the security lead reads every route, a contributor
    // of one team the scoped ones.
    let lead = signed_in(&running.base, org::LEAD).await?;
    let contributor = signed_in(&running.base, org::CONTRIBUTOR).await?;
    let admin = signed_in(&running.base, org::ADMIN).await?;
    let runs = routes::all(&org, size)
        .into_iter()
        .map(|r| (&lead, r))
        .chain(
            routes::for_contributor(&org)
                .into_iter()
                .map(|r| (&contributor, r)),
        )
        .chain(routes::for_admin(&org).into_iter().map(|r| (&admin, r)));
    for (client, route) in runs {
        for clients in CONCURRENCY {
            let url = format!("{}{}", running.base, route.path);
            let measured = load::drive(
                client,
                &url,
                clients,
                Duration::from_millis(300),
                Duration::from_secs_f64(options.seconds),
            )
            .await;
            println!(
                "{}",
                routes::row(
                    backend.name(),
                    size,
                    &route,
                    clients,
                    &measured,
                    running.peak_rss_mb()
                )
            );
        }
    }
    running.stop().await;
    Ok(())
}
