//! Controls by layer and phase, with their conditions, pull-forward rules and crosswalks.

use super::control_row::ControlRow;
use crate::api::catalog::get_catalog;
use crate::components::notice::ErrorNotice;
use crate::domain::{Layer, Phase};
use crate::dto::CatalogView;
use leptos::prelude::*;
use leptos_meta::Title;

/// The catalog page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalog = Resource::new_blocking(|| (), |_| get_catalog());
    view! {
        <Title text="Catalog"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(c) => view! { <CatalogBody catalog=c/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CatalogBody(catalog: CatalogView) -> impl IntoView {
    let c = catalog;
    let hash: String = c.content_hash.chars().take(12).collect();
    view! {
        <h1>{c.name.clone()}</h1>
        <p class="lead">
            {format!("{} controls · version {hash} loaded {} from the {}.", c.controls.len(), crate::format::minute(c.loaded_at), c.source)}
        </p>
        <p>"A control is required from its minimum phase on, when its condition holds for the workload. Pull-forward rules lower the minimum phase for riskier workloads."</p>
        {Layer::ALL.iter().map(|layer| {
            let in_layer: Vec<_> = c.controls.iter().filter(|x| x.layer == *layer).cloned().collect();
            let pull = c.pull_forward.clone();
            view! {
                <section class="layer-group" data-testid=format!("catalog-{}", layer.code())>
                    <h2>{format!("{} ({})", layer.label(), in_layer.len())}</h2>
                    {Phase::ALL.iter().map(|phase| {
                        let rows: Vec<_> = in_layer.iter().filter(|x| x.min_phase == *phase).cloned().collect();
                        let pull = pull.clone();
                        (!rows.is_empty()).then(|| view! {
                            <h3>{format!("From {}", phase.label().to_lowercase())}</h3>
                            <table class="data-table catalog">
                                <thead><tr>
                                    <th scope="col">"Control"</th>
                                    <th scope="col">"Applies when"</th>
                                    <th scope="col">"Pulled forward"</th>
                                    <th scope="col">"Crosswalk"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|control| view! { <ControlRow control pull=pull.clone()/> }).collect_view()}
                                </tbody>
                            </table>
                        })
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
        <h2>"Pull-forward rules"</h2>
        <ul data-testid="pull-forward">
            {c.pull_forward.into_iter().map(|r| view! {
                <li>
                    <strong>{format!("{} {}", r.id, r.title)}</strong>
                    {format!(" — when the workload {}: ", r.when.describe())}
                    {r.controls.iter().map(|(id, p)| format!("{id} from {}", p.label().to_lowercase())).collect::<Vec<_>>().join(", ")}
                </li>
            }).collect_view()}
        </ul>
    }
}
