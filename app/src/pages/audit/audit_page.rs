//! `/audit`. Plain GET and POST forms: the same with and without JavaScript.

use crate::api::audit::{
    audit_job, audit_signing_key, list_audit_events, AuditQuery, VerifyAuditChain,
};
use crate::api::workloads::get_teams;
use crate::components::notice::ErrorNotice;
use crate::dto::{AuditPageView, VerifyJobView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    // Read once: the page is rendered once per request.
    let q = use_query_map().get_untracked();
    let field = |k: &str| q.get(k).unwrap_or_default();
    let query = AuditQuery {
        actor: field("actor"),
        action: field("action"),
        entity: field("entity"),
        team: field("team"),
        from: field("from"),
        to: field("to"),
        before: q.get("before").and_then(|b| b.parse().ok()),
    };
    let job_id: Option<i64> = q.get("job").and_then(|j| j.parse().ok());
    let events = Resource::new_blocking(
        {
            let query = query.clone();
            move || query.clone()
        },
        list_audit_events,
    );
    let job = Resource::new_blocking(
        move || job_id,
        |id| async move {
            match id {
                Some(id) => audit_job(id).await,
                None => Ok(None),
            }
        },
    );
    let key = Resource::new_blocking(|| (), |_| audit_signing_key());
    let teams = Resource::new_blocking(|| (), |_| get_teams());
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let query = query.clone();
                Suspend::new(async move {
                    match (events.await, job.await, key.await, teams.await) {
                        (Ok(page), Ok(job), Ok(key), Ok(teams)) => {
                            view! {
                                <Chain page=page.clone() key job=job job_id/>
                                <Filters query=query.clone() teams/>
                                <Events page query/>
                            }
                            .into_any()
                        }
                        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
                            view! { <ErrorNotice error=e/> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The head, the signing key, and the verification.
#[component]
fn Chain(
    page: AuditPageView,
    key: Option<String>,
    job: Option<VerifyJobView>,
    job_id: Option<i64>,
) -> impl IntoView {
    let status = match (job_id, job) {
        (Some(_), Some(j)) if !j.done => view! {
            // Without JavaScript too, the page follows the job by reloading itself.
            <Meta http_equiv="refresh" content="1"/>
            <p class="notice" role="status" data-testid="verify-running">
                {format!("Verifying the chain… {} events checked so far. ", j.checked)}
                <a href=format!("/audit?job={}", job_id.unwrap_or_default())>"Check again"</a>
            </p>
        }
        .into_any(),
        (Some(_), Some(j)) => {
            let class = if j.intact { "notice notice-ok" } else { "notice notice-error" };
            view! {
                <p class=class role="status" data-testid="verify-outcome">{j.outcome.unwrap_or_default()}</p>
            }
            .into_any()
        }
        (Some(_), None) => view! {
            <p class="notice" role="status">"This verification is no longer known (the server restarted). Start another."</p>
        }
        .into_any(),
        (None, _) => ().into_any(),
    };
    view! {
        <section class="chain" aria-label="The chain">
            <p>
                "Head of the chain (record it somewhere else to detect a cut or a rewrite later): "
                <code data-testid="chain-head">{page.head}</code>
            </p>
            {key.map(|k| view! {
                <p>"Checkpoints are signed with the key " <code data-testid="signing-key">{k}</code> "."</p>
            })}
            {status}
            <form method="post" action=VerifyAuditChain::url() class="inline-form">
                <button type="submit" data-testid="verify-chain">"Verify the whole chain"</button>
            </form>
        </section>
    }
}

/// The filter form (GET).
#[component]
fn Filters(query: AuditQuery, teams: Vec<crate::dto::Team>) -> impl IntoView {
    let export = {
        let mut parts = Vec::new();
        if !query.from.is_empty() {
            parts.push(format!(
                "from={}",
                crate::domain::text::percent_encode(&query.from)
            ));
        }
        if !query.to.is_empty() {
            parts.push(format!(
                "to={}",
                crate::domain::text::percent_encode(&query.to)
            ));
        }
        if parts.is_empty() {
            "/audit/export.jsonl".to_string()
        } else {
            format!("/audit/export.jsonl?{}", parts.join("&"))
        }
    };
    let selected = query.team.clone();
    view! {
        <form method="get" action="/audit" class="filters" data-testid="audit-filters">
            <label>"Actor (a person's id, or a name)" <input name="actor" value=query.actor/></label>
            <label>"Action" <input name="action" value=query.action placeholder="workload.promote"/></label>
            <label>"Entity" <input name="entity" value=query.entity/></label>
            <label>"Team"
                <select name="team">
                    <option value="">"Any"</option>
                    {teams.into_iter().map(|t| {
                        let is = t.id.0 == selected;
                        view! { <option value=t.id.0.clone() selected=is>{t.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"From" <input type="date" name="from" value=query.from/></label>
            <label>"To" <input type="date" name="to" value=query.to/></label>
            <button type="submit">"Filter"</button>
            " " <a href="/audit">"Clear"</a>
        </form>
        <p><a href=export data-testid="export-chain">"Download these dates' chain (JSON Lines)"</a></p>
    }
}

/// The events, with the link to older ones.
#[component]
fn Events(page: AuditPageView, query: AuditQuery) -> impl IntoView {
    let older = page.next_before.map(|b| query.href(Some(b)));
    let note = page.filtered.then(|| {
        view! {
            <p class="hint">"Filtered: only events you read in full are listed."</p>
        }
    });
    view! {
        {note}
        <table class="data-table" data-testid="audit-events">
            <thead><tr>
                <th scope="col">"#"</th><th scope="col">"Time"</th><th scope="col">"Actor"</th>
                <th scope="col">"Action"</th><th scope="col">"Entity"</th><th scope="col">"Team"</th>
                <th scope="col">"Details"</th><th scope="col">"Hash"</th>
            </tr></thead>
            <tbody>
                {page.events.into_iter().map(|e| {
                    let short = e.hash.chars().take(12).collect::<String>();
                    if e.full {
                        let entity = e.entity.unwrap_or_default();
                        let entity = match e.entity_link {
                            Some(href) => view! { <a href=href>{entity}</a> }.into_any(),
                            None => view! { <span>{entity}</span> }.into_any(),
                        };
                        view! {
                            <tr>
                                <td>{e.seq}</td><td>{e.time}</td><td>{e.actor}</td><td>{e.action}</td>
                                <td>{entity}</td><td>{e.team}</td><td>{e.details}</td>
                                <td><code title=e.hash.clone()>{short}</code></td>
                            </tr>
                        }.into_any()
                    } else {
                        view! {
                            <tr class="digest-only">
                                <td>{e.seq}</td>
                                <td colspan="6">"An event outside your teams (another team's, or the organization's): its digest " <code>{e.digest}</code></td>
                                <td><code title=e.hash.clone()>{short}</code></td>
                            </tr>
                        }.into_any()
                    }
                }).collect_view()}
            </tbody>
        </table>
        {older.map(|href| view! { <p><a href=href data-testid="older-events">"Older events"</a></p> })}
    }
}
