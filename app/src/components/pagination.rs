//! Previous / next links for a paginated list, keeping the rest of the query.

use crate::domain::listing::WorkloadQuery;
use leptos::prelude::*;

/// Page links for `query` over `total` rows.
#[component]
pub fn Pagination(query: WorkloadQuery, total: u64) -> impl IntoView {
    let per = u64::from(query.per_page.max(1));
    let pages = total.div_ceil(per).max(1);
    let page = u64::from(query.page);
    let link = move |p: u64| {
        let q = WorkloadQuery {
            page: p as u32,
            ..query.clone()
        };
        format!("/workloads?{}", q.to_query_string())
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            {(page > 1).then(|| view! { <a rel="prev" href=link(page.min(pages + 1) - 1)>"← Previous"</a> })}
            <span data-testid="page-status">{format!("Page {page} of {pages} · {total} {}", if total == 1 { "workload" } else { "workloads" })}</span>
            {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next →"</a> })}
        </nav>
    }
}
