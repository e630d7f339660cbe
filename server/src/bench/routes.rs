//! The routes the bench drives, and the table it prints (a stable format: later issues add
//! their routes as rows).

use super::load::Measured;
use super::org::Org;

/// One route: a short stable name and the path with its query.
pub struct Route {
    pub name: &'static str,
    pub path: String,
}

/// Every page and chart route, with each list filter and sort.
pub fn all(org: &Org, size: usize) -> Vec<Route> {
    let workload = org
        .workload_ids
        .get(size / 2)
        .map(|w| w.to_string())
        .unwrap_or_default();
    let team = org
        .team_ids
        .first()
        .map(|t| t.to_string())
        .unwrap_or_default();
    let last_page = size.div_ceil(25).max(1);
    let r = |name, path: String| Route { name, path };
    vec![
        r("home", "/".into()),
        r("list", "/workloads".into()),
        r("list search", "/workloads?q=scorer".into()),
        r("list team", format!("/workloads?team={team}")),
        r("list phase", "/workloads?phase=production".into()),
        r("list gap model", "/workloads?gap=model".into()),
        r("list gap application", "/workloads?gap=application".into()),
        r("list sort team", "/workloads?sort=team".into()),
        r(
            "list sort phase desc",
            "/workloads?sort=phase&dir=desc".into(),
        ),
        r(
            "list sort updated desc",
            "/workloads?sort=updated&dir=desc".into(),
        ),
        r("list last page", format!("/workloads?page={last_page}")),
        r("list past the end", "/workloads?page=100000".into()),
        r("workload", format!("/workloads/{workload}")),
        r(
            "workload as of 30 days ago",
            format!(
                "/workloads/{workload}?as_of={}",
                (chrono::Utc::now() - chrono::TimeDelta::days(30)).format("%Y-%m-%d")
            ),
        ),
        r("workload edit form", format!("/workloads/{workload}/edit")),
        r("new workload form", "/workloads/new".into()),
        r("catalog", "/catalog".into()),
        r(
            "chart phase x team",
            "/charts/workloads-by-phase-and-team.svg".into(),
        ),
        r(
            "chart layers",
            format!("/charts/workloads/{workload}/required-by-layer.svg"),
        ),
        r("review queue (1,000 pending)", "/review".into()),
        r("review queue team", format!("/review?team={team}")),
        r("audit log", "/audit".into()),
        r("audit log filtered", "/audit?action=workload.create".into()),
    ]
}

/// The routes a contributor of one team is measured on: their scoped list, counts and charts,
/// and a workload of their team (the first one made belongs to the first team).
pub fn for_contributor(org: &Org) -> Vec<Route> {
    let workload = org
        .workload_ids
        .first()
        .map(|w| w.to_string())
        .unwrap_or_default();
    let r = |name, path: String| Route { name, path };
    vec![
        r("contributor: home", "/".into()),
        r("contributor: list", "/workloads".into()),
        r("contributor: search", "/workloads?q=scorer".into()),
        r("contributor: workload", format!("/workloads/{workload}")),
        r(
            "contributor: chart",
            "/charts/workloads-by-phase-and-team.svg".into(),
        ),
        r("contributor: 2nd factor", "/account/second-factor".into()),
        r("contributor: audit log", "/audit".into()),
    ]
}

/// The routes of an administrator: every person with their roles, and one person's page.
pub fn for_admin(org: &Org) -> Vec<Route> {
    vec![
        Route {
            name: "admin: people",
            path: "/admin/people".into(),
        },
        Route {
            name: "admin: person",
            path: format!("/admin/people/{}", org.person_id),
        },
    ]
}

/// The table header.
pub fn header() -> String {
    format!(
        "{:<9} {:>9}  {:<24} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>12}",
        "backend",
        "workloads",
        "route",
        "clients",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "bytes",
        "requests",
        "errors",
        "peak RSS MB"
    )
}

/// One row of the table.
pub fn row(
    backend: &str,
    size: usize,
    route: &Route,
    clients: usize,
    m: &Measured,
    rss_mb: f64,
) -> String {
    format!(
        "{:<9} {:>9}  {:<24} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>8} {:>7} {:>12.1}",
        backend,
        size,
        route.name,
        clients,
        m.per_second,
        m.p50_ms,
        m.p95_ms,
        m.p99_ms,
        m.bytes,
        m.requests,
        m.errors,
        rss_mb
    )
}
