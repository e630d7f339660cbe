//! The workload list: search, filters, sorting and pagination, all kept in the URL.

use super::list_filters::ListFilters;
use super::list_table::ListTable;
use crate::api::workloads::{get_teams, list_workloads};
use crate::components::notice::ErrorNotice;
use crate::components::pagination::Pagination;
use crate::components::register_button::RegisterButton;
use crate::domain::listing::WorkloadQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

const PARAMS: [&str; 8] = [
    "q", "team", "phase", "gap", "sort", "dir", "page", "per_page",
];

/// Lists workloads.
#[component]
pub fn WorkloadListPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.get();
        let params: BTreeMap<String, String> = PARAMS
            .iter()
            .filter_map(|k| map.get(k).map(|v| (k.to_string(), v)))
            .collect();
        WorkloadQuery::from_params(&params)
    });
    let page = Resource::new_blocking(move || query.get(), list_workloads);
    let teams = Resource::new_blocking(|| (), |_| get_teams());
    view! {
        <Title text="Workloads"/>
        <div class="page-head">
            <h1>"Workloads"</h1>
            <RegisterButton/>
        </div>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = query.get();
                match (teams.await, page.await) {
                    (Ok(teams), Ok(page)) => view! {
                        <ListFilters query=q.clone() teams/>
                        <ListTable query=q.clone() rows=page.rows/>
                        <Pagination query=q total=page.total/>
                    }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
