//! The attribute vector of a workload as a readable table, labelled as the form labels it.

use crate::domain::attribute_fields::ATTRIBUTE_FIELDS;
use crate::domain::Attributes;
use leptos::prelude::*;

/// Attributes with their labels.
#[component]
pub fn AttributeTable(attributes: Attributes) -> impl IntoView {
    view! {
        <table class="data-table attributes" data-testid="attributes">
            <tbody>
                {ATTRIBUTE_FIELDS.iter().map(|f| view! {
                    <tr data-attribute=f.code><th scope="row">{f.label}</th><td>{(f.value)(&attributes).1}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
