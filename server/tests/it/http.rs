//! HTTP through the real router on a random port, on both backends: status codes, pages,
//! escaping, and the server's guards.

use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::TestDb;
use app::ports::SharedStore;
use std::sync::Arc;
use strata_server::config::Config;
use strata_server::state::AppState;

/// A running server on 127.0.0.1 with a random port, stopped when dropped.
pub struct Running {
    pub base: String,
    pub store: SharedStore,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

pub async fn start(t: &TestDb) -> Running {
    start_with_store(t, Arc::new(t.db.clone())).await
}

/// A running server whose use cases call `store` (the real one, or one that fails on demand).
pub async fn start_with_store(t: &TestDb, store: SharedStore) -> Running {
    start_with(t, t.db.clone(), store, &[]).await
}

/// A running server on `db` (a pool of `t`'s database), configured by `env` beyond the
/// address and the database URL.
pub async fn start_with(
    t: &TestDb,
    db: strata_server::db::Db,
    store: SharedStore,
    env: &[(&str, &str)],
) -> Running {
    let given = |name: &str| {
        env.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    // `STRATA_ADDR` may ask for every interface (`0.0.0.0:0`); tests still call on loopback.
    let bind = given("STRATA_ADDR").unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(bind).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let loopback = format!("http://127.0.0.1:{}", addr.port());
    let url = t.url.clone();
    let config = Config::from_lookup(|k| match k {
        "STRATA_ADDR" => Some(addr.to_string()),
        "STRATA_DATABASE_URL" => Some(url.clone()),
        "STRATA_PUBLIC_URL" if addr.ip().is_unspecified() => {
            given(k).or_else(|| Some(loopback.clone()))
        }
        _ => env
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.to_string()),
    })
    .expect("config");
    let data_dir = config.data_dir.clone();
    let mut state = AppState::new(config, db);
    // As `serve` does when the test gives a data folder: checkpoints signed there count.
    if given("STRATA_DATA_DIR").is_some() {
        let key = strata_server::checkpoint::signing_key(None, &data_dir).expect("key");
        state = state.with_checkpoints(&key, data_dir.join("checkpoints"));
    }
    state.store = store.clone();
    let app = strata_server::router::build(state);
    let handle = tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app).await.expect("serve");
    });
    Running {
        base: loopback,
        store,
        handle,
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // A request that hangs fails the test with its URL instead of stalling the run.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

pub async fn seeded(t: &TestDb) -> Running {
    let running = start(t).await;
    strata_server::demo::seed(&running.store)
        .await
        .expect("seed");
    running
}

async fn get(c: &reqwest::Client, url: &str) -> (u16, String) {
    let res = c
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// The body of a page, whatever its status.
pub async fn body(c: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    c.get(url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body")
}

/// A response header as text.
fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

pub fn first_workload_link(html: &str) -> String {
    let start = html.find("href=\"/workloads/0").expect("a workload link") + 6;
    let end = start + html[start..].find('"').expect("link end");
    html[start..end].to_string()
}

async fn health_and_pages_answer_with_the_right_status(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let (status, body) = get(&c, &format!("{}/health", s.base)).await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let res = c.get(format!("{}/", s.base)).send().await.expect("home");
    let csp = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let html = res.text().await.expect("body");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("the policy carries a nonce");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
    );
    assert!(csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"));
    let (status, home) = get(&c, &format!("{}/", s.base)).await;
    assert_eq!(status, 200);
    assert!(
        home.contains("30 workloads registered."),
        "the home page counts in the first response"
    );
    let (status, list) = get(&c, &format!("{}/workloads", s.base)).await;
    assert_eq!(status, 200);
    assert!(list.contains("Page 1 of 2 · 30 workloads"));
    let link = first_workload_link(&list);
    let (status, page) = get(&c, &format!("{}{link}", s.base)).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"history\""));
    let (status, page) = get(
        &c,
        &format!("{}/workloads/00000000-0000-0000-0000-000000000000", s.base),
    )
    .await;
    assert_eq!(status, 404);
    assert!(page.contains("This workload was not found"));
    let (status, _) = get(&c, &format!("{}/workloads/nope/edit", s.base)).await;
    assert_eq!(status, 404);
    let (status, _) = get(&c, &format!("{}/no/such/page", s.base)).await;
    assert_eq!(status, 404);
}

/// Every response carries a request id (the reference of internal errors, on every log line);
/// an error answers with its status on each path: a page, a server function called by fetch, a
/// plain axum route, and a form posted without JavaScript, which gets an HTML page.
async fn errors_answer_with_their_status_on_every_path(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let missing = "00000000-0000-0000-0000-000000000000";
    let page = c
        .get(format!("{}/workloads/{missing}", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 404);
    let id = page
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    assert!(
        id.is_some_and(|id| id.len() >= 32),
        "a request id on the page response"
    );
    let fetch = c
        .post(format!("{}/api/get_workload", s.base))
        .header("content-type", "application/json")
        .body(format!(r#"{{"id":"{missing}"}}"#))
        .send()
        .await
        .expect("fetch");
    assert_eq!(fetch.status().as_u16(), 404);
    assert!(fetch.headers().contains_key("x-request-id"));
    let err: app::error::AppError = fetch.json().await.expect("the error as JSON");
    assert_eq!(err, app::error::AppError::NotFound("This workload".into()));
    let route = c
        .get(format!(
            "{}/charts/workloads/{missing}/required-by-layer.svg",
            s.base
        ))
        .send()
        .await
        .expect("svg");
    assert_eq!(route.status().as_u16(), 404);
    assert!(route
        .text()
        .await
        .expect("body")
        .contains("This workload was not found"));
    let bad = c
        .post(format!("{}/api/get_workload", s.base))
        .header("content-type", "application/json")
        .body(r#"{"id":7}"#)
        .send()
        .await
        .expect("fetch");
    assert_eq!(bad.status().as_u16(), 400, "arguments of the wrong type");
    let no_js = c
        .post(format!("{}/api/change_phase", s.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/workloads/{missing}", s.base))
        .form(&[("id", missing), ("revision", "1"), ("direction", "promote")])
        .send()
        .await
        .expect("form");
    assert_eq!(no_js.status().as_u16(), 404);
    assert!(
        no_js.headers().get("location").is_none(),
        "no redirect that would hide the error"
    );
    let content_type = no_js
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = no_js.text().await.expect("body");
    assert!(
        html.contains("data-testid=\"error-page\"") && html.contains("This workload was not found"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/workloads/{missing}\"")),
        "a way back: {html}"
    );
}

async fn malformed_list_parameters_are_clamped_never_a_500(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    for query in [
        "page=abc",
        "page=-1&per_page=0",
        "page=999999999999999999999",
        "sort=drop%20table&dir=up",
        "phase=beta&team=no-such-team",
        "q=%25%25%25&per_page=100000",
    ] {
        let (status, body) = get(&c, &format!("{}/workloads?{query}", s.base)).await;
        assert_eq!(status, 200, "{query}");
        assert!(body.contains("Workloads"), "{query}");
    }
    // What no team id or search text holds is refused, with the parameter named.
    for query in ["team=%27%3B--", "team=t%00", "q=credit%00", "q=%1b%5b2J"] {
        let (status, body) = get(&c, &format!("{}/workloads?{query}", s.base)).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            body.contains("team filter")
                || body.contains("search text")
                || body.contains("parameter holds control characters"),
            "{query}"
        );
    }
    // The server function behind the list applies the same bounds to direct callers.
    let res = c
        .post(format!("{}/api/list_workloads", s.base))
        .header("content-type", "application/json")
        .body(r#"{"query":{"search":"","team":null,"phase":null,"gap_layer":null,"sort":"Name","descending":false,"page":0,"per_page":100000}}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
    let page: app::dto::WorkloadPage = res.json().await.expect("json");
    assert_eq!((page.rows.len(), page.total), (30, 30));
    let res = c
        .post(format!("{}/api/list_workloads", s.base))
        .header("content-type", "application/json")
        .body(r#"{"query":{"page":"x"}}"#)
        .send()
        .await
        .expect("request");
    assert!(
        res.status().is_client_error(),
        "malformed JSON is refused: {}",
        res.status()
    );
    let (_, body) = get(&c, &format!("{}/workloads?page=99&per_page=10", s.base)).await;
    assert!(
        body.contains("No workload matches"),
        "a page past the end is empty, not an error"
    );
    let (_, body) = get(&c, &format!("{}/workloads?q=credit", s.base)).await;
    assert!(body.contains("Credit scorer") && body.contains("Page 1 of 1 · 1 workload<"));
}

async fn cross_origin_posts_are_refused(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let res = c
        .post(format!("{}/api/create_workload", s.base))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("form%5Bname%5D=x")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 403);
    let res = c
        .post(format!("{}/api/create_workload", s.base))
        .header("sec-fetch-site", "cross-site")
        .body("")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 403);
    let total = s
        .store
        .list_workloads(
            &Default::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list")
        .total;
    assert_eq!(total, 30, "nothing was created");
    let res = c
        .get(format!("{}/workloads", s.base))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
}

/// A page on a rebinding DNS name (its Host is that name) gets 421 on every path but the health
/// check, pages and server functions alike; our own names and the configured ones are served.
async fn only_our_own_host_names_are_answered(t: &TestDb) {
    let store: app::ports::SharedStore = Arc::new(t.db.clone());
    let s = start_with(
        t,
        t.db.clone(),
        store,
        &[("STRATA_ALLOWED_HOSTS", "strata.internal")],
    )
    .await;
    let c = lead(&s).await;
    let port = s.base.rsplit(':').next().expect("port").to_string();
    let evil = format!("evil.example:{port}");
    let res = c
        .get(format!("{}/workloads", s.base))
        .header("host", &evil)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 421);
    assert_eq!(
        res.headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("STRATA_ALLOWED_HOSTS"));
    let res = c
        .post(format!("{}/api/phase_counts", s.base))
        .header("host", &evil)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 421, "server functions too");
    // Pages of our own names may post: the configured name and every loopback name.
    for origin in ["http://strata.internal", &format!("http://[::1]:{port}")] {
        let res = c
            .post(format!("{}/api/phase_counts", s.base))
            .header("origin", origin)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 200, "{origin}");
    }
    let res = c
        .get(format!("{}/health", s.base))
        .header("host", "10.1.2.3")
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status().as_u16(),
        200,
        "load balancers probe by address"
    );
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "strata.internal".to_string(),
    ] {
        let res = c
            .get(format!("{}/workloads", s.base))
            .header("host", &host)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 200, "{host}");
    }
}

/// Every kind of answer carries the security headers: pages (whose own nonce CSP is kept),
/// server functions, refusals from the outer layers, static files and SVG (with a CSP of its
/// own); HTML is never stored; HSTS only when the public URL is https.
async fn security_headers_are_on_every_response(t: &TestDb) {
    let store: app::ports::SharedStore = Arc::new(t.db.clone());
    let https = start_with(
        t,
        t.db.clone(),
        store.clone(),
        &[("STRATA_PUBLIC_URL", "https://strata.example.org")],
    )
    .await;
    // The browser assets `make test` builds before these tests, for a real static file.
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");
    let s = start_with(t, t.db.clone(), store, &[("STRATA_SITE_ROOT", site)]).await;
    let c = lead(&s).await;
    let answers = [
        ("page", c.get(format!("{}/workloads", s.base))),
        ("not found", c.get(format!("{}/workloads/nope", s.base))),
        (
            "server function",
            c.post(format!("{}/api/phase_counts", s.base)),
        ),
        (
            "cross-origin refusal",
            c.post(format!("{}/api/phase_counts", s.base))
                .header("origin", "https://evil.example"),
        ),
        ("static file", c.get(format!("{}/pkg/strata.css", s.base))),
        (
            "SVG",
            c.get(format!("{}/charts/workloads-by-phase-and-team.svg", s.base)),
        ),
        ("health", c.get(format!("{}/health", s.base))),
    ];
    for (what, request) in answers {
        let res = request.send().await.expect("request");
        if what == "static file" {
            assert_eq!(res.status().as_u16(), 200, "{what}");
        }
        assert_eq!(
            header(&res, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            header(&res, "referrer-policy").as_deref(),
            Some("same-origin"),
            "{what}"
        );
        assert_eq!(
            header(&res, "x-frame-options").as_deref(),
            Some("DENY"),
            "{what}"
        );
        assert_eq!(
            header(&res, "strict-transport-security"),
            None,
            "{what}: not https"
        );
        let media = header(&res, "content-type").unwrap_or_default();
        let csp = header(&res, "content-security-policy").unwrap_or_default();
        if media.starts_with("text/html") {
            assert_eq!(
                header(&res, "cache-control").as_deref(),
                Some("no-store"),
                "{what}"
            );
        }
        if media.starts_with("image/svg+xml") {
            assert!(csp.starts_with("default-src 'none'"), "{what}: {csp}");
        }
        if what == "page" {
            assert!(
                csp.contains("'nonce-"),
                "the page's own policy is kept: {csp}"
            );
        }
    }
    let res = c
        .get(format!("{}/workloads", https.base))
        .header("host", "strata.example.org")
        .send()
        .await
        .expect("request");
    // Whatever the answer (this client is not signed in on that server), it carries HSTS.
    assert!(header(&res, "strict-transport-security").is_some_and(|v| v.starts_with("max-age=")));
}

/// Pages are compressed with what the client accepts (br before gzip); the browser bundle is
/// served from its versioned folder, precompressed at build time, cached as immutable; every
/// file is sent as it is to a client that accepts no compression.
async fn responses_are_compressed_when_the_client_accepts_it(t: &TestDb) {
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site");
    let store: app::ports::SharedStore = Arc::new(t.db.clone());
    let s = start_with(t, t.db.clone(), store, &[("STRATA_SITE_ROOT", site)]).await;
    let c = lead(&s).await;
    let page = body(&c, format!("{}/workloads", s.base)).await;
    let at = page.find("href=\"/pkg/").expect("the stylesheet link") + 6;
    let folder = &page[at..at + page[at..].find("/strata.css").expect("its folder")];
    assert!(
        folder.len() == 5 + 16 && folder[5..].bytes().all(|b| b.is_ascii_hexdigit()),
        "a content-hash folder: {folder}"
    );
    assert!(
        page.contains(&format!("{folder}/strata.js")),
        "the script too"
    );
    let fetch = |path: String, accepts: Option<&'static str>| {
        let req = c.get(format!("{}{path}", s.base));
        let req = match accepts {
            Some(a) => req.header("accept-encoding", a),
            None => req,
        };
        async move { req.send().await.expect("request") }
    };
    let mut paths = vec!["/workloads".to_string()];
    paths.extend(["strata.css", "strata.js", "strata.wasm"].map(|f| format!("{folder}/{f}")));
    for path in paths {
        let plain = fetch(path.clone(), None).await;
        assert_eq!(plain.status().as_u16(), 200, "{path}");
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        if path.starts_with("/pkg/") {
            assert_eq!(
                header(&plain, "cache-control").as_deref(),
                Some("public, max-age=31536000, immutable"),
                "{path}"
            );
        }
        let raw = plain.bytes().await.expect("body").len();
        for (accepts, used) in [("gzip, deflate, br", ["br", "gzip"]), ("gzip", ["gzip"; 2])] {
            let res = fetch(path.clone(), Some(accepts)).await;
            let encoding = header(&res, "content-encoding").unwrap_or_default();
            // Pages are compressed as they go, with br first; the bundle was compressed at
            // build time (gzip for a debug build, br and gzip for a release).
            let expected: &[&str] = if path.starts_with("/pkg/") {
                &used
            } else {
                &used[..1]
            };
            assert!(
                expected.contains(&encoding.as_str()),
                "{path} with {accepts}: {encoding}"
            );
            let sent = res.bytes().await.expect("body").len();
            assert!(
                sent * 2 < raw,
                "{path} with {encoding}: {sent} of {raw} bytes"
            );
        }
    }
    let wasm = fetch(format!("{folder}/strata.wasm"), Some("br, gzip")).await;
    assert_eq!(
        header(&wasm, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        header(&wasm, "vary").as_deref(),
        Some("accept-encoding"),
        "a cache keeps one copy per encoding"
    );
    // A file missing from our folder, or another build's folder: not found, and not cached.
    let missing = fetch(format!("{folder}/missing.js"), None).await;
    assert_eq!(missing.status().as_u16(), 404);
    assert_ne!(
        header(&missing, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let old = fetch("/pkg/0123456789abcdef/strata.js".into(), None).await;
    assert_eq!(old.status().as_u16(), 404);
    assert_ne!(
        header(&old, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}

on_both_backends!(
    responses_are_compressed_when_the_client_accepts_it,
    security_headers_are_on_every_response,
    only_our_own_host_names_are_answered,
    health_and_pages_answer_with_the_right_status,
    malformed_list_parameters_are_clamped_never_a_500,
    cross_origin_posts_are_refused,
    catalog_requirements_and_charts_are_served,
    errors_answer_with_their_status_on_every_path,
);

async fn catalog_requirements_and_charts_are_served(t: &TestDb) {
    let store: app::ports::SharedStore = Arc::new(t.db.clone());
    strata_server::catalog::load_starter(&store, &crate::support::by("test"))
        .await
        .expect("catalog");
    let s = seeded(t).await;
    let c = lead(&s).await;
    let (status, catalog) = get(&c, &format!("{}/catalog", s.base)).await;
    assert_eq!(status, 200);
    assert!(catalog.contains("Strata starter catalog") && catalog.contains("DATA-01"));
    let (_, list) = get(&c, &format!("{}/workloads?q=credit%20scorer", s.base)).await;
    let link = first_workload_link(&list);
    let (status, page) = get(&c, &format!("{}{link}", s.base)).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"requirements-organizational\""));
    assert!(page.contains("Not applicable: applies only when the workload is generative"));
    assert!(
        page.contains("role=\"img\" aria-labelledby=\"chart-layers-title\""),
        "the chart is inline SVG"
    );
    let res = c
        .get(format!("{}/charts/workloads-by-phase-and-team.svg", s.base))
        .send()
        .await
        .expect("svg");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"image/svg+xml; charset=utf-8"[..])
    );
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("<title id=\"chart-phase-team-title\">"));
    let res = c
        .get(format!("{}/charts{link}/required-by-layer.svg", s.base))
        .send()
        .await
        .expect("svg");
    assert_eq!(res.status().as_u16(), 200);
    let res = c
        .get(format!(
            "{}/charts/workloads/nope/required-by-layer.svg",
            s.base
        ))
        .send()
        .await
        .expect("svg");
    assert_eq!(res.status().as_u16(), 404);
    let (_, gaps) = get(&c, &format!("{}/workloads?gap=application", s.base)).await;
    assert!(
        gaps.contains("26 workloads"),
        "four demo workloads have no application gap"
    );
    assert!(!gaps.contains("Meeting emotion monitor"));
}
