//! Overview: how many workloads sit in each phase, with links into the filtered list.

use crate::api::workloads::{phase_counts, phase_team_chart};
use crate::components::chart::Chart;
use crate::components::notice::ErrorNotice;
use crate::components::register_button::RegisterButton;
use leptos::prelude::*;
use leptos_meta::Title;

/// The landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let counts = Resource::new_blocking(|| (), |_| phase_counts());
    let chart = Resource::new_blocking(|| (), |_| phase_team_chart());
    view! {
        <Title text="Overview"/>
        <h1>"AI workloads at a glance"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(counts) => {
                        let total: u64 = counts.iter().map(|c| c.count).sum();
                        view! {
                            <p data-testid="workload-total">{format!("{total} workloads registered.")}</p>
                            <ul class="phase-cards">
                                {counts.into_iter().map(|c| view! {
                                    <li class="card">
                                        <a href=format!("/workloads?phase={}", c.phase.code())>
                                            <span class="card-number">{c.count}</span>
                                            <span class="card-label">{c.phase.label()}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>"Loading chart…"</p> }>
            {move || Suspend::new(async move {
                match chart.await {
                    Ok(chart) => view! { <Chart chart testid="phase-team-chart"/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <p><RegisterButton/></p>
    }
}
