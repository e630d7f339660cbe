//! One workload: what it is, who owns it, its attributes, its phase actions and its history.

use super::attribute_table::AttributeTable;
use super::history_table::{HistoryTable, HISTORY_PARAM};
use super::phase_actions::PhaseActions;
use super::readiness_panel::ReadinessPanel;
use super::requirements_section::RequirementsSection;
use crate::api::flash::take_flash;
use crate::api::workloads::get_workload;
use crate::components::chart::Chart;
use crate::components::notice::{DoneNotice, ErrorNotice, FormMessage};
use crate::domain::attributes::EuAiActClass;
use crate::dto::{AsOfView, WorkloadView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The workload page.
#[component]
pub fn WorkloadPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let query = use_query_map();
    // Any text that is not a page number shows the newest page.
    let history_page = move || {
        query
            .get()
            .get(HISTORY_PARAM)
            .and_then(|p| p.trim().parse::<u32>().ok())
            .unwrap_or(1)
    };
    // "As of" a past day: the requirements as they stood then (design §3.5).
    let as_of = move || query.get().get(AS_OF_PARAM).unwrap_or_default();
    let workload = Resource::new_blocking(
        move || (id(), history_page(), as_of()),
        |(id, page, as_of)| get_workload(id, page, as_of),
    );
    let flash = Resource::new_blocking(id, |id| take_flash(format!("/workloads/{id}")));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (workload.await, flash.await) {
                    (Ok(view), Ok(flash)) => {
                        let (message, notice) = flash.map_or((None, None), |f| (f.message, f.notice));
                        view! {
                            <FormMessage message/>
                            <DoneNotice notice/>
                            <WorkloadDetails view/>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkloadDetails(view: WorkloadView) -> impl IntoView {
    let w = view.workload;
    let d = w.draft.clone();
    let refs = d
        .model_refs
        .iter()
        .map(|r| ("Model", r.clone()))
        .chain(d.dataset_refs.iter().map(|r| ("Dataset", r.clone())))
        .collect::<Vec<_>>();
    view! {
        <Title text=d.name.clone()/>
        <div class="page-head">
            <h1 data-testid="workload-name">{d.name.clone()}</h1>
            {view.actions.edit.then(|| view! {
                <a class="button" href=format!("/workloads/{}/edit", w.id)>"Edit"</a>
            })}
        </div>
        <p class="lead" data-testid="workload-description">{d.description.clone()}</p>
        <dl class="facts">
            <dt>"Team"</dt><dd data-testid="workload-team">{view.team_name}</dd>
            <dt>"Phase"</dt>
            <dd><span data-testid="workload-phase" class=format!("phase phase-{}", w.phase.code())>{w.phase.label()}</span></dd>
            <dt>"Owners"</dt>
            <dd>
                <ul class="owners">
                    {view.owners.into_iter().enumerate().map(|(i, u)| view! {
                        <li>{u.name} " <" {u.email} ">" {(i == 0).then_some(" (primary)")}</li>
                    }).collect_view()}
                </ul>
            </dd>
            <dt>"Tags"</dt><dd>{if d.tags.is_empty() { "—".to_string() } else { d.tags.join(", ") }}</dd>
        </dl>
        {(d.attributes.eu_ai_act_class == EuAiActClass::Prohibited).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="prohibited-flag">
                <p>"Flagged: classified as a prohibited practice under the EU AI Act. It cannot be promoted until its class changes."</p>
            </div>
        })}
        <PhaseActions id=w.id.0.clone() revision=w.revision phase=w.phase
            promote=view.actions.promote demote=view.actions.demote/>
        <ReadinessPanel readiness=view.readiness/>
        <h2>"Required controls"</h2>
        <AsOfForm id=w.id.0.clone() day=view.as_of.as_ref().map(|a| a.day.clone()) error=view.as_of_error/>
        {match view.as_of {
            Some(past) => view! { <PastRequirements id=w.id.0.clone() past/> }.into_any(),
            None => view! {
                <Chart chart=view.layer_chart testid="layer-chart"/>
                <RequirementsSection
                    workload_id=w.id.0.clone()
                    requirements=view.requirements
                    attest=view.actions.attest
                />
            }.into_any(),
        }}
        <h2>"Attributes"</h2>
        <AttributeTable attributes=d.attributes.clone()/>
        <h2>"Model and dataset"</h2>
        {if refs.is_empty() {
            view! { <p>"None recorded."</p> }.into_any()
        } else {
            view! {
                <table class="data-table">
                    <thead><tr><th scope="col">"Kind"</th><th scope="col">"Name"</th><th scope="col">"Version"</th><th scope="col">"Digest"</th></tr></thead>
                    <tbody>
                        {refs.into_iter().map(|(kind, r)| view! {
                            <tr><td>{kind}</td><td>{r.name}</td><td>{r.version}</td><td class="mono">{r.digest}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>"History"</h2>
        <HistoryTable history=view.history workload_id=w.id.0.clone()/>
    }
}

/// The query parameter of the "as of" day.
const AS_OF_PARAM: &str = "as_of";

/// Chooses the day whose requirement states are shown (a plain GET form).
#[component]
fn AsOfForm(id: String, day: Option<String>, error: Option<String>) -> impl IntoView {
    let now = format!("/workloads/{id}");
    let back = day.is_some().then(|| {
        let now = now.clone();
        view! { <a href=now>"Back to now"</a> }
    });
    view! {
        <form method="get" action=now class="filters as-of" data-testid="as-of-form">
            <div class="field">
                <label for="as-of-day">"States as of"</label>
                <input id="as-of-day" type="date" name=AS_OF_PARAM value=day.clone().unwrap_or_default()
                    aria-invalid=error.is_some().then_some("true")
                    aria-describedby=error.is_some().then_some("as-of-day-error")/>
                {error.map(|e| view! { <p class="field-error" id="as-of-day-error" data-testid="as-of-error">{e}</p> })}
            </div>
            <button type="submit" class="secondary">"Show"</button>
            {back}
        </form>
    }
}

/// The requirements as they stood at the end of a past day.
#[component]
fn PastRequirements(id: String, past: AsOfView) -> impl IntoView {
    let Some(phase) = past.phase else {
        return view! {
            <p class="notice" data-testid="as-of-notice">{format!("The workload was not registered yet on {}.", past.day)}</p>
        }
        .into_any();
    };
    view! {
        <p class="notice" data-testid="as-of-notice">{format!(
            "As of the end of {} (UTC), in {}: each state recomputed from what was recorded by then.",
            past.day,
            phase.label().to_lowercase()
        )}</p>
        {past.catalog_loaded_later.map(|loaded| view! {
            <p class="hint" data-testid="as-of-catalog">{format!(
                "No catalog was loaded yet on that day: the requirements follow the first one, loaded on {loaded}."
            )}</p>
        })}
        <RequirementsSection workload_id=id requirements=past.requirements attest=false/>
    }
    .into_any()
}
