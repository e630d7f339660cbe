//! The table of the workload list, with sortable column headers.

use crate::domain::listing::{SortKey, WorkloadQuery};
use crate::dto::WorkloadRow;
use leptos::prelude::*;

fn header(query: &WorkloadQuery, key: SortKey, label: &'static str) -> impl IntoView {
    let active = query.sort == key;
    let next = WorkloadQuery {
        sort: key,
        descending: active && !query.descending,
        page: 1,
        ..query.clone()
    };
    let sort = match (active, query.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    view! {
        <th scope="col" aria-sort=sort>
            <a href=format!("/workloads?{}", next.to_query_string())>{label}</a>
        </th>
    }
}

/// Workload rows; says so when nothing matches.
#[component]
pub fn ListTable(query: WorkloadQuery, rows: Vec<WorkloadRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty" data-testid="no-workloads">"No workload matches these filters."</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid="workload-table">
            <thead>
                <tr>
                    {header(&query, SortKey::Name, "Name")}
                    {header(&query, SortKey::Team, "Team")}
                    {header(&query, SortKey::Phase, "Phase")}
                    <th scope="col">"Primary owner"</th>
                    <th scope="col">"Tags"</th>
                    {header(&query, SortKey::Updated, "Last change")}
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/workloads/{}", r.id)>{r.name}</a></td>
                        <td>{r.team_name}</td>
                        <td><span class=format!("phase phase-{}", r.phase.code())>{r.phase.label()}</span></td>
                        <td>{r.primary_owner_name}</td>
                        <td>{r.tags.join(", ")}</td>
                        <td>{crate::format::minute(r.updated_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
