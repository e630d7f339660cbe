//! A workload's versions: who changed what, and when.

use crate::domain::workload::{ChangeKind, Workload};
use crate::format::second;
use leptos::prelude::*;

fn describe(w: &Workload, previous: Option<&Workload>) -> String {
    match w.change {
        ChangeKind::Created => format!("Registered in {}", w.phase),
        ChangeKind::Edited => {
            let changed = previous
                .map(|p| w.draft.changed_since(&p.draft))
                .unwrap_or_default();
            if changed.is_empty() {
                "Edited (no field changed)".to_string()
            } else {
                format!("Edited: {}", changed.join(", "))
            }
        }
        ChangeKind::Promoted => format!("Promoted to {}", w.phase),
        ChangeKind::Demoted => format!("Demoted to {}", w.phase),
    }
}

/// History, newest first.
#[component]
pub fn HistoryTable(history: Vec<Workload>) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="history">
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
                {history.iter().enumerate().map(|(i, w)| view! {
                    <tr>
                        <td>{w.revision}</td>
                        <td>{describe(w, history.get(i + 1))}</td>
                        <td>{w.changed_by.clone()}</td>
                        <td>{second(w.valid_from)}</td>
                        <td>{w.valid_to.map(second).unwrap_or_else(|| "current".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
