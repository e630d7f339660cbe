//! A workload's versions, one page at a time: who changed what, and when.

use crate::dto::HistoryPage;
use crate::format::second;
use leptos::prelude::*;

/// The URL query parameter that names the history page.
pub const HISTORY_PARAM: &str = "history";

/// One page of history, newest first, with links to the newer and older pages.
#[component]
pub fn HistoryTable(history: HistoryPage, workload_id: String) -> impl IntoView {
    let link = move |page: u32| {
        if page == 1 {
            format!("/workloads/{workload_id}#history")
        } else {
            format!("/workloads/{workload_id}?{HISTORY_PARAM}={page}#history")
        }
    };
    let (page, pages) = (history.page, history.pages);
    view! {
        <table class="data-table" data-testid="history" id="history">
            <thead>
                <tr>
                    <th scope="col">"Revision"</th>
                    <th scope="col">"Change"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"From (UTC)"</th>
                    <th scope="col">"Until (UTC)"</th>
                </tr>
            </thead>
            <tbody>
                {history.entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.revision}</td>
                        <td>
                            {e.summary}
                            {e.note.map(|n| view! { <br/><span class="change-note">{format!("Reason: {n}")}</span> })}
                        </td>
                        <td>{e.changed_by}</td>
                        <td>{second(e.valid_from)}</td>
                        <td>{e.valid_to.map(second).unwrap_or_else(|| "current".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label="History pages" data-testid="history-pager">
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">"← Newer changes"</a> })}
                <span>{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">"Older changes →"</a> })}
            </nav>
        })}
    }
}
