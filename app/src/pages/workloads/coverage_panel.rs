//! A workload's coverage (design §3.3), as a whole and per layer; each layer's figure opens to
//! the requirements it counts (the layer's group below, with every state and its reason).

use crate::domain::coverage::{by_layer, Coverage};
use crate::dto::RequirementView;
use leptos::prelude::*;

#[component]
pub fn CoveragePanel(requirements: Vec<RequirementView>) -> impl IntoView {
    let required: Vec<_> = requirements
        .iter()
        .filter(|r| r.required)
        .filter_map(|r| r.state.as_ref().map(|(s, _)| (r.layer, *s)))
        .collect();
    let total = Coverage::of(required.iter().map(|(_, s)| *s));
    view! {
        <section class="coverage" aria-label="Coverage">
            <p data-testid="coverage">
                <strong>"Coverage: "</strong>{total.label()}
            </p>
            <ul class="coverage-layers">
                {by_layer(&required).into_iter().filter(|(_, c)| c.required > 0).map(|(layer, c)| view! {
                    <li data-testid=format!("coverage-{}", layer.code())>
                        <a href=format!("#layer-{}", layer.code())>{layer.label()}</a>
                        {format!(": {}", c.label())}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
