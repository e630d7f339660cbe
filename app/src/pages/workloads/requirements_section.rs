//! A workload's requirements grouped by layer: what is required now (all open gaps until
//! attestations exist), what a later phase brings, and what does not apply — with the reason.

use crate::domain::Layer;
use crate::dto::RequirementView;
use leptos::prelude::*;

/// Requirements by layer.
#[component]
pub fn RequirementsSection(requirements: Vec<RequirementView>) -> impl IntoView {
    if requirements.is_empty() {
        return view! { <p>"No catalog is loaded yet, so no requirements were derived."</p> }
            .into_any();
    }
    let required = requirements.iter().filter(|r| r.required).count();
    view! {
        <p data-testid="required-total">{format!("{required} controls required now.")}</p>
        {Layer::ALL.iter().map(|layer| {
            let rows: Vec<RequirementView> = requirements.iter().filter(|r| r.layer == *layer).cloned().collect();
            view! { <LayerGroup layer=*layer rows/> }
        }).collect_view()}
    }
    .into_any()
}

#[component]
fn LayerGroup(layer: Layer, rows: Vec<RequirementView>) -> impl IntoView {
    let required = rows.iter().filter(|r| r.required).count();
    let id = format!("layer-{}", layer.code());
    let labelled_by = id.clone();
    view! {
        <section class="layer-group" aria-labelledby=labelled_by data-testid=format!("requirements-{}", layer.code())>
            <h3 id=id>{format!("{} — {required} required", layer.label())}</h3>
            <table class="data-table requirements">
                <thead>
                    <tr>
                        <th scope="col">"Control"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Why"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let (state, class) = if r.required {
                            ("Gap".to_string(), "state state-gap")
                        } else if r.applicable {
                            (format!("From {}", r.effective_min_phase.label().to_lowercase()), "state state-later")
                        } else {
                            ("Not applicable".to_string(), "state state-na")
                        };
                        let control = r.control_id.clone();
                        let href = format!("/catalog#{}", r.control_id);
                        view! {
                            <tr data-control=control data-required=r.required.to_string()>
                                <td>
                                    <a class="mono" href=href>{r.control_id}</a>
                                    " "{r.title}
                                </td>
                                <td><span class=class>{state}</span></td>
                                <td class="reason">{r.reason}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
