//! Bad input never answers 5xx: a few thousand generated requests — random, over-long and
//! control-character text, wrong types, wrong JSON shapes, hostile paths and query strings —
//! to every server function and route, on both backends, from a visitor who has not signed in
//! and from people of each role in turn. The generator is seeded, so a failure names the seed
//! and the request and can be replayed.

use crate::http::{client, first_workload_link, seeded, Running};
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::text::percent_encode;
use serde_json::{json, Value};
use strata_server::bench::draw::Draw;

/// Requests per backend. Every route and server function gets a few hundred.
const REQUESTS: usize = 3_000;

/// Server functions that take JSON, with the argument names each expects.
const JSON_FUNCTIONS: [(&str, &[&str]); 21] = [
    ("list_workloads", &["query"]),
    ("get_workload", &["id"]),
    ("get_edit_form", &["id"]),
    ("phase_team_chart", &[]),
    ("phase_counts", &[]),
    ("get_teams", &[]),
    ("get_form_choices", &[]),
    ("take_flash", &["key"]),
    ("get_catalog", &[]),
    ("me", &[]),
    ("list_people", &[]),
    ("get_person", &["id"]),
    ("all_teams", &[]),
    ("second_factor_status", &[]),
    ("pending_sign_in", &[]),
    ("security_settings", &[]),
    ("list_audit_events", &["query"]),
    ("audit_job", &["id"]),
    ("audit_signing_key", &[]),
    ("review_queue", &["team", "layer", "workload"]),
    ("get_attest_form", &["id", "control"]),
];

/// Fields of the attest form (posted multipart to the server's own route).
const ATTEST_FIELDS: [&str; 10] = [
    "control",
    "status",
    "statement",
    "justification",
    "inherited_from",
    "effective",
    "expiry",
    "artifact",
    "links",
    "note",
];

/// Server functions that take a form (what a browser without JavaScript posts). Not
/// `change_password` or `remove_second_factor`, whose refusals of a wrong password slow the
/// account by design (up to 8 s a try), nor `sign_out`, which would end the prober's session,
/// nor `set_second_factor_required`, which would hold an administrator prober at the set-up.
const FORM_FUNCTIONS: [(&str, &[&str]); 16] = [
    (
        "create_workload",
        &["form[name]", "form[team_id]", "form[primary_owner]"],
    ),
    ("update_workload", &["id", "form[name]", "form[revision]"]),
    ("change_phase", &["id", "revision", "direction", "reason"]),
    ("sign_in", &["email", "password", "next"]),
    (
        "add_person",
        &["form[name]", "form[email]", "form[role]", "form[team_id]"],
    ),
    ("grant_role", &["id", "role", "team_id"]),
    ("revoke_role", &["id", "role", "team_id"]),
    ("set_person_disabled", &["id", "disabled", "new_owner"]),
    ("reset_person_password", &["id"]),
    ("add_team", &["name"]),
    ("rename_team", &["id", "name"]),
    ("set_team_archived", &["id", "archived"]),
    ("start_second_factor", &[]),
    ("confirm_second_factor", &["code"]),
    ("verify_second_factor", &["code"]),
    ("decide_attestation", &["id", "verdict", "comment"]),
];

/// Fields of the workload form, so that generated forms reach every check.
const FORM_FIELDS: [&str; 16] = [
    "name",
    "description",
    "team_id",
    "primary_owner",
    "other_owners",
    "ai_type",
    "hosting",
    "data_sensitivity",
    "model_name",
    "model_version",
    "model_digest",
    "dataset_name",
    "dataset_version",
    "dataset_digest",
    "tags",
    "revision",
];

/// The generator of requests: the same seed gives the same requests.
struct Gen(Draw);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Text of the kinds that break servers; `real` are values the server knows (ids).
    fn text(&mut self, real: &[String]) -> String {
        match self.below(12) {
            0 => String::new(),
            1 => "\0".repeat(1 + self.below(3)),
            2 => format!(
                "a{}b",
                char::from_u32(self.below(32) as u32).unwrap_or('\0')
            ),
            3 => "x".repeat(1 + self.below(70_000)),
            4 => "é✓😀".repeat(1 + self.below(2_000)),
            5 => self
                .pick(&["' or 1=1 --", "\"; drop table teams; --", "%", "_", "\\"])
                .to_string(),
            6 => self
                .pick(&[
                    "<script>alert(1)</script>",
                    "{{x}}",
                    "${x}",
                    "../../etc/passwd",
                ])
                .to_string(),
            7 => self
                .pick(&[
                    "-1",
                    "0",
                    "1",
                    "99999999999999999999",
                    "NaN",
                    "1e309",
                    "true",
                ])
                .to_string(),
            8 => self
                .pick(&["\u{202e}", "\u{feff}", "\u{7f}", "\u{85}", "\r\n", "\t"])
                .to_string(),
            9 if !real.is_empty() => self.pick(real).clone(),
            10 if !real.is_empty() => format!("{}\0", self.pick(real)),
            _ => (0..self.below(40))
                .map(|_| char::from_u32(self.below(0x2FFF) as u32).unwrap_or('?'))
                .collect(),
        }
    }

    /// A JSON value of any shape.
    fn value(&mut self, real: &[String], depth: usize) -> Value {
        match self.below(if depth > 2 { 5 } else { 8 }) {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => json!(self.pick(&[0i64, -1, 1, i64::MAX, i64::MIN, 4_294_967_296])),
            3 => json!(1.5e300),
            4 => Value::String(self.text(real)),
            5 => Value::Array(
                (0..self.below(4))
                    .map(|_| self.value(real, depth + 1))
                    .collect(),
            ),
            _ => {
                let keys = [
                    "search",
                    "team",
                    "page",
                    "per_page",
                    "sort",
                    "descending",
                    "id",
                ];
                Value::Object(
                    (0..self.below(6))
                        .map(|_| (self.pick(&keys).to_string(), self.value(real, depth + 1)))
                        .collect(),
                )
            }
        }
    }

    /// A percent-encoded query value or path segment.
    fn encoded(&mut self, real: &[String]) -> String {
        let raw = self.text(real);
        let mut out: String = raw.chars().take(3_000).collect::<String>();
        out = percent_encode(&out);
        // Cut (maybe inside a %XX) so that five values stay within what a client can send.
        out.truncate(6_000);
        if self.below(5) == 0 {
            let tail = *self.pick(&["%00", "%ff", "%", "%zz", "%c0%af"]);
            out.push_str(tail);
        }
        out
    }
}

/// One generated request, described for a failure message.
struct Probe {
    what: String,
    request: reqwest::RequestBuilder,
}

fn probe(g: &mut Gen, s: &Running, c: &reqwest::Client, real: &[String]) -> Probe {
    let base = &s.base;
    match g.below(5) {
        // A server function taking JSON: the right argument names with values of any shape,
        // or a body of any shape at all.
        0 => {
            let (name, args) = *g.pick(&JSON_FUNCTIONS);
            let body = if g.below(4) == 0 {
                g.value(real, 0).to_string()
            } else {
                let mut obj = serde_json::Map::new();
                for a in args {
                    obj.insert(a.to_string(), g.value(real, 0));
                }
                Value::Object(obj).to_string()
            };
            let cut = if g.below(10) == 0 {
                body.len() / 2
            } else {
                body.len()
            };
            let body = body.as_bytes()[..cut].to_vec();
            Probe {
                what: format!(
                    "POST /api/{name} {}",
                    preview(&String::from_utf8_lossy(&body))
                ),
                request: c
                    .post(format!("{base}/api/{name}"))
                    .header("content-type", "application/json")
                    .body(body),
            }
        }
        // A server function taking a form, posted with or without JavaScript's Accept.
        1 => {
            let (name, args) = *g.pick(&FORM_FUNCTIONS);
            let mut pairs: Vec<String> = args
                .iter()
                .map(|a| format!("{}={}", percent_encode(a), g.encoded(real)))
                .collect();
            for _ in 0..g.below(8) {
                let field = if g.below(6) == 0 {
                    g.text(&[])
                } else {
                    format!("form[{}]", g.pick(&FORM_FIELDS))
                };
                pairs.push(format!("{}={}", percent_encode(&field), g.encoded(real)));
            }
            let body = pairs.join("&");
            let accept = if g.below(2) == 0 { "text/html" } else { "*/*" };
            Probe {
                what: format!("POST /api/{name} ({accept}) {}", preview(&body)),
                request: c
                    .post(format!("{base}/api/{name}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", accept)
                    .body(body),
            }
        }
        // A page or chart route with a generated id, or the list with generated parameters.
        2 => {
            let id = g.encoded(real);
            let path = match g.below(6) {
                0 => format!("/workloads/{id}"),
                1 => format!("/workloads/{id}/edit"),
                2 => format!("/charts/workloads/{id}/required-by-layer.svg"),
                3 => format!("/{id}"),
                4 => format!("/pkg/{id}"),
                _ => format!("/workloads/{id}/{}", g.encoded(&[])),
            };
            get_probe(c, base, &path)
        }
        // The attest form: generated fields, a field repeated or unknown, or a body that is
        // not multipart at all.
        3 => {
            let id = g.encoded(real);
            let url = format!("{base}/workloads/{id}/attestations");
            if g.below(6) == 0 {
                let body = g.text(real);
                return Probe {
                    what: format!("POST /workloads/{id}/attestations (raw) {}", preview(&body)),
                    request: c
                        .post(url)
                        .header("content-type", "multipart/form-data; boundary=x")
                        .body(body),
                };
            }
            let mut form = reqwest::multipart::Form::new();
            let mut what = Vec::new();
            for _ in 0..1 + g.below(12) {
                let name = if g.below(8) == 0 {
                    g.text(&[])
                } else {
                    g.pick(&ATTEST_FIELDS).to_string()
                };
                let value = g.text(real);
                what.push(format!("{}={}", preview(&name), preview(&value)));
                form = form.text(name, value);
            }
            Probe {
                what: format!("POST /workloads/{id}/attestations {}", what.join(" ")),
                request: c.post(url).header("accept", "text/html").multipart(form),
            }
        }
        _ => {
            let keys = [
                "q", "team", "phase", "gap", "sort", "dir", "page", "per_page", "x",
            ];
            let query: Vec<String> = (0..1 + g.below(5))
                .map(|_| format!("{}={}", g.pick(&keys), g.encoded(real)))
                .collect();
            let page = g.pick(&[
                "/workloads",
                "/",
                "/catalog",
                "/workloads/new",
                "/charts/workloads-by-phase-and-team.svg",
                "/health",
            ]);
            get_probe(c, base, &format!("{page}?{}", query.join("&")))
        }
    }
}

fn get_probe(c: &reqwest::Client, base: &str, path: &str) -> Probe {
    Probe {
        what: format!("GET {}", preview(path)),
        request: c.get(format!("{base}{path}")).header("accept", "text/html"),
    }
}

fn preview(s: &str) -> String {
    let cut: String = s.chars().take(160).collect();
    if cut.len() < s.len() {
        format!("{cut}… ({} bytes)", s.len())
    } else {
        cut
    }
}

async fn generated_bad_input_never_answers_5xx(t: &TestDb) {
    let s = seeded(t).await;
    use app::domain::policy::Role;
    let mut callers = vec![client()];
    for role in Role::ALL {
        callers.push(crate::http_accounts::as_role(&s, role).await);
    }
    let c = callers[2].clone();
    let html = crate::http::body(&c, format!("{}/workloads", s.base)).await;
    let workload = first_workload_link(&html)
        .trim_start_matches("/workloads/")
        .to_string();
    let teams = s.store.list_teams().await.expect("teams");
    // A few of the workload's controls, so that attest forms reach the checks past the target.
    let controls = s
        .store
        .requirements(&app::domain::WorkloadId::parse(&workload).expect("an id"))
        .await
        .expect("requirements");
    let mut real: Vec<String> = vec![workload];
    real.extend(controls.iter().take(3).map(|r| r.control_id.clone()));
    real.extend(teams.iter().map(|t| t.id.0.clone()));
    // A fixed seed by default, so that a run is repeatable; STRATA_FUZZ_SEED explores others.
    let seed = std::env::var("STRATA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(0x5eed_f00d, |s| s | 1);
    let mut g = Gen(Draw(seed));
    let mut failures: Vec<String> = Vec::new();
    for i in 0..REQUESTS {
        let Probe { what, request } = probe(&mut g, &s, &callers[i % callers.len()], &real);
        let res = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        if status.is_server_error() {
            failures.push(format!("{status} for {what}: {}", preview(&body)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} generated requests answered 5xx (replay with STRATA_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
    // The server still answers normally afterwards.
    let res = c
        .get(format!("{}/workloads", s.base))
        .send()
        .await
        .expect("list");
    assert_eq!(res.status().as_u16(), 200);
}

on_both_backends!(generated_bad_input_never_answers_5xx);
