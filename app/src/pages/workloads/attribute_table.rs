//! The attribute vector of a workload as a readable table.

use crate::domain::Attributes;
use leptos::prelude::*;

fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

/// Attributes with their labels.
#[component]
pub fn AttributeTable(attributes: Attributes) -> impl IntoView {
    let a = attributes;
    let rows: Vec<(&str, &str, String)> = vec![
        (
            "model_source",
            "Model source",
            a.model_source.label().into(),
        ),
        ("hosting", "Hosting", a.hosting.label().into()),
        ("ai_type", "AI type", a.ai_type.label().into()),
        (
            "data_connectivity",
            "Data connectivity",
            a.data_connectivity.label().into(),
        ),
        (
            "autonomy_level",
            "Autonomy level",
            a.autonomy_level.label().into(),
        ),
        (
            "persistent_memory",
            "Persistent memory",
            yes_no(a.persistent_memory).into(),
        ),
        (
            "user_exposure",
            "User exposure",
            a.user_exposure.label().into(),
        ),
        (
            "processes_personal_data",
            "Personal data",
            a.processes_personal_data.label().into(),
        ),
        (
            "data_sensitivity",
            "Data sensitivity",
            a.data_sensitivity.label().into(),
        ),
        (
            "decision_impact",
            "Decision impact",
            a.decision_impact.label().into(),
        ),
        (
            "eu_ai_act_class",
            "EU AI Act class",
            a.eu_ai_act_class.label().into(),
        ),
        ("eu_role", "EU AI Act role", a.eu_role.label().into()),
        (
            "multi_tenant",
            "Multi-tenant",
            yes_no(a.multi_tenant).into(),
        ),
    ];
    view! {
        <table class="data-table attributes" data-testid="attributes">
            <tbody>
                {rows.into_iter().map(|(key, label, value)| view! {
                    <tr data-attribute=key><th scope="row">{label}</th><td>{value}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
