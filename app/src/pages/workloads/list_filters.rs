//! The search and filter form of the workload list: a GET form, so it works without JavaScript
//! and the result is a shareable URL.

use crate::domain::listing::WorkloadQuery;
use crate::domain::{Layer, Phase};
use crate::dto::Team;
use leptos::prelude::*;
use leptos_router::components::Form;

/// Search box and filters.
#[component]
pub fn ListFilters(query: WorkloadQuery, teams: Vec<Team>) -> impl IntoView {
    let team = query.team.clone().unwrap_or_default();
    let phase = query.phase.map(|p| p.code()).unwrap_or("");
    let gap = query.gap_layer.map(|l| l.code()).unwrap_or("");
    view! {
        <Form method="GET" action="/workloads">
            <div class="filters" role="search">
                <div class="field">
                    <label for="filter-q">"Search by name"</label>
                    <input id="filter-q" type="search" name="q" value=query.search.clone()/>
                </div>
                <div class="field">
                    <label for="filter-team">"Team"</label>
                    <select id="filter-team" name="team">
                        <option value="" selected=team.is_empty()>"All teams"</option>
                        {teams.into_iter().map(|t| {
                            let selected = t.id.0 == team;
                            view! { <option value=t.id.0 selected=selected>{t.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-phase">"Phase"</label>
                    <select id="filter-phase" name="phase">
                        <option value="" selected=phase.is_empty()>"All phases"</option>
                        {Phase::ALL.iter().map(|p| view! {
                            <option value=p.code() selected=p.code() == phase>{p.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-gap">"Open gaps in layer"</label>
                    <select id="filter-gap" name="gap">
                        <option value="" selected=gap.is_empty()>"Any layer"</option>
                        {Layer::ALL.iter().map(|l| view! {
                            <option value=l.code() selected=l.code() == gap>{l.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <input type="hidden" name="sort" value=query.sort.code()/>
                <input type="hidden" name="dir" value=if query.descending { "desc" } else { "asc" }/>
                <button type="submit">"Apply"</button>
            </div>
        </Form>
    }
}
