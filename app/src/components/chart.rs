//! A server-drawn chart with its table alternative right below it.

use crate::dto::ChartView;
use leptos::prelude::*;

/// The SVG (which names itself through `role="img"` and `<title>`) and the same numbers as a
/// table, for screen readers, copying and printing.
#[component]
pub fn Chart(chart: ChartView, #[prop(into)] testid: String) -> impl IntoView {
    let columns = chart.columns.clone();
    view! {
        <figure class="chart" data-testid=testid>
            <div class="chart-svg" inner_html=chart.svg></div>
            <figcaption>
                <table class="data-table chart-table">
                    <caption>{format!("{} (table)", chart.title)}</caption>
                    <thead>
                        <tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {chart.rows.into_iter().map(|(label, values)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                {values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </figcaption>
        </figure>
    }
}
