//! `/review`: the submissions awaiting review, oldest first, filtered by team, layer and
//! workload (a plain GET form); each with an approve button and a reject form whose comment is
//! required. Plain forms: the same with and without JavaScript. A reviewer's own submissions
//! are listed without buttons (another lead reviews them).

use crate::api::flash::take_flash;
use crate::api::review::{review_queue, DecideAttestation, REVIEW_PAGE};
use crate::api::workloads::get_teams;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::domain::Layer;
use crate::dto::{QueueItemView, Team};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let q = use_query_map().get_untracked();
    let field = |k: &str| q.get(k).unwrap_or_default();
    let (team, layer, workload) = (field("team"), field("layer"), field("workload"));
    let queue = Resource::new_blocking(
        {
            let (team, layer, workload) = (team.clone(), layer.clone(), workload.clone());
            move || (team.clone(), layer.clone(), workload.clone())
        },
        |(team, layer, workload)| review_queue(team, layer, workload),
    );
    let teams = Resource::new_blocking(|| (), |_| get_teams());
    let flash = Resource::new_blocking(|| (), |_| take_flash(REVIEW_PAGE.into()));
    view! {
        <Title text="Review queue"/>
        <h1>"Review queue"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let (team, layer) = (team.clone(), layer.clone());
                Suspend::new(async move {
                    match (queue.await, teams.await, flash.await) {
                        (Ok(items), Ok(teams), Ok(flash)) => {
                            let (errors, message, notice) = match flash {
                                Some(f) => (f.errors, f.message, f.notice),
                                None => (Default::default(), None, None),
                            };
                            view! {
                                {notice.map(|n| view! { <p class="notice notice-ok" role="status" data-testid="review-notice">{n}</p> })}
                                <FormMessage message/>
                                {errors.get("comment").map(|e| view! { <p class="notice notice-error" role="alert" data-testid="comment-error">{e.to_string()}</p> })}
                                <Filters teams team layer/>
                                <Queue items/>
                            }.into_any()
                        }
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Filters(teams: Vec<Team>, team: String, layer: String) -> impl IntoView {
    view! {
        <form method="get" action=REVIEW_PAGE class="filters" data-testid="review-filters">
            <div class="field">
                <label for="review-team">"Team"</label>
                <select id="review-team" name="team">
                    <option value="">"All teams"</option>
                    {teams.into_iter().map(|t| {
                        let selected = t.id.0 == team;
                        view! { <option value=t.id.0.clone() selected=selected>{t.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="review-layer">"Layer"</label>
                <select id="review-layer" name="layer">
                    <option value="">"All layers"</option>
                    {Layer::ALL.iter().map(|l| {
                        let selected = l.code() == layer;
                        view! { <option value=l.code() selected=selected>{l.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">"Filter"</button>
        </form>
    }
}

#[component]
fn Queue(items: Vec<QueueItemView>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p data-testid="review-empty">"Nothing awaits review."</p> }.into_any();
    }
    let count = items.len();
    view! {
        <p data-testid="review-count">{if count as u32 >= crate::dto::QUEUE_SHOWN {
            format!("The oldest {count} awaiting review; narrow the filters to see others.")
        } else {
            format!("{count} awaiting review, oldest first.")
        }}</p>
        <ol class="review-queue" data-testid="review-queue">
            {items.into_iter().map(|i| view! { <Item item=i/> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Item(item: QueueItemView) -> impl IntoView {
    let i = item;
    let comment_id = format!("comment-{}", i.attestation_id);
    let decisions = if i.own {
        view! { <p class="hint">"You submitted this: another security lead reviews it."</p> }
            .into_any()
    } else {
        view! {
            <div class="decisions">
                <form method="post" action=DecideAttestation::url() class="inline-form">
                    <input type="hidden" name="id" value=i.attestation_id.clone()/>
                    <input type="hidden" name="verdict" value="approve"/>
                    <button type="submit" data-testid="approve">"Approve"</button>
                </form>
                <form method="post" action=DecideAttestation::url() class="reject-form">
                    <input type="hidden" name="id" value=i.attestation_id.clone()/>
                    <input type="hidden" name="verdict" value="reject"/>
                    <label for=comment_id.clone()>"Why it is rejected (the contributor reads this)"</label>
                    <textarea id=comment_id name="comment" rows="2" maxlength="4000" required=true></textarea>
                    <button type="submit" class="secondary" data-testid="reject">"Reject"</button>
                </form>
            </div>
        }
        .into_any()
    };
    let (attestation, control) = (i.attestation_id.clone(), i.control_id.clone());
    let href = format!("/workloads/{}", i.workload_id);
    view! {
        <li class="review-item" data-attestation=attestation data-control=control>
            <p>
                <a href=href>{i.workload_name}</a>
                {format!(" ({}) — ", i.team)}
                <span class="mono">{i.control_id}</span>
                {i.layer.map(|l| format!(" · {}", l.label()))}
            </p>
            <p><strong>{i.status.label()}</strong>": "{i.statement}</p>
            <p class="hint">{format!("Submitted by {} on {}", i.submitted_by, i.submitted_at)}</p>
            {decisions}
        </li>
    }
}
