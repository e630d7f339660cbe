//! One control in the catalog table.

use crate::domain::catalog::{Control, PullForward};
use leptos::prelude::*;

/// A control: id, title, objective, evidence, its condition, pull-forward rules and crosswalks.
#[component]
pub fn ControlRow(control: Control, pull: Vec<PullForward>) -> impl IntoView {
    let c = control;
    let rules: Vec<String> = pull
        .iter()
        .filter_map(|r| {
            r.controls
                .get(&c.id)
                .map(|p| format!("{} → {}", r.id, p.label().to_lowercase()))
        })
        .collect();
    let crosswalk: Vec<String> = c
        .crosswalk
        .iter()
        .map(|(k, ids)| format!("{k}: {}", ids.join(", ")))
        .collect();
    view! {
        <tr id=c.id.clone() data-control=c.id.clone()>
            <td>
                <span class="mono">{c.id.clone()}</span>" "<strong>{c.title.clone()}</strong>
                {(!c.objective.is_empty()).then(|| view! { <p class="objective">{c.objective.clone()}</p> })}
                {(!c.guidance.is_empty()).then(|| view! { <p class="guidance">{c.guidance.clone()}</p> })}
                {(!c.evidence.is_empty()).then(|| view! {
                    <p class="hint">{format!("Evidence: {}", c.evidence.join("; "))}</p>
                })}
            </td>
            <td>
                <code>{c.applies_when.to_string()}</code>
                <p class="hint">{c.applies_when.describe()}</p>
            </td>
            <td>{if rules.is_empty() { "—".to_string() } else { rules.join(", ") }}</td>
            <td class="crosswalk">{crosswalk.join("; ")}</td>
        </tr>
    }
}
