//! A workload's requirements grouped by layer: what is required now with its state and why,
//! what a later phase brings, and what does not apply — with the reason; under each control,
//! its attestations and their reviews.

use super::coverage_panel::CoveragePanel;
use crate::api::attest::attest_page;
use crate::domain::Layer;
use crate::dto::{AttestationView, RequirementView};
use leptos::prelude::*;

/// Requirements by layer.
#[component]
pub fn RequirementsSection(
    workload_id: String,
    requirements: Vec<RequirementView>,
    /// The caller may attest (`WorkloadActions::attest`).
    attest: bool,
) -> impl IntoView {
    if requirements.is_empty() {
        return view! { <p>"No catalog is loaded yet, so no requirements were derived."</p> }
            .into_any();
    }
    let required = requirements.iter().filter(|r| r.required).count();
    view! {
        <p data-testid="required-total">{format!("{required} controls required now.")}</p>
        <CoveragePanel requirements=requirements.clone()/>
        {Layer::ALL.iter().map(|layer| {
            let rows: Vec<RequirementView> = requirements.iter().filter(|r| r.layer == *layer).cloned().collect();
            view! { <LayerGroup layer=*layer rows workload_id=workload_id.clone() attest/> }
        }).collect_view()}
    }
    .into_any()
}

#[component]
fn LayerGroup(
    layer: Layer,
    rows: Vec<RequirementView>,
    workload_id: String,
    attest: bool,
) -> impl IntoView {
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
                        let later = format!("From {}", r.effective_min_phase.label().to_lowercase());
                        // Required now: its state. Applies later: when, and its state once
                        // someone attests ahead. Does not apply: why.
                        let (state, class, why) = match (&r.state, r.required) {
                            (Some((s, reason)), true) => (s.label().to_string(), format!("state state-{}", s.code()), reason.clone()),
                            (Some((s, reason)), false) if !r.attestations.is_empty() => (
                                format!("{later} · {}", s.label()),
                                format!("state state-{}", s.code()),
                                reason.clone(),
                            ),
                            (Some(_), false) => (later, "state state-later".to_string(), r.reason.clone()),
                            (None, _) => ("Not applicable".to_string(), "state state-na".to_string(), r.reason.clone()),
                        };
                        let control = r.control_id.clone();
                        let href = format!("/catalog#{}", r.control_id);
                        let action = (attest && r.attestable)
                            .then(|| attest_link(&workload_id, &r.control_id, r.attestations.first()));
                        let history = (!r.attestations.is_empty()).then(|| view! {
                            <AttestationHistory attestations=r.attestations.clone()/>
                        });
                        view! {
                            <tr data-control=control data-required=r.required.to_string()>
                                <td>
                                    <a class="mono" href=href>{r.control_id}</a>
                                    " "{r.title}
                                    {history}
                                </td>
                                <td>
                                    <span class=class data-testid="requirement-state">{state}</span>
                                    {action}
                                </td>
                                <td class="reason">{why}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// What the caller can do next about one requirement they may attest: attest it, answer a
/// rejection, attest again — or wait while a submission awaits review.
fn attest_link(workload: &str, control: &str, latest: Option<&AttestationView>) -> AnyView {
    let label = match latest.map(|a| a.review.as_str()) {
        Some("submitted") => {
            return view! { <span class="hint" data-testid="awaiting-review">"Awaiting review"</span> }
                .into_any()
        }
        Some("rejected") => "Resubmit",
        Some(_) => "Attest again",
        None => "Attest",
    };
    view! {
        <a class="button-link" href=attest_page(workload, control) data-testid="attest-link">{label}</a>
    }
    .into_any()
}

/// The attestations of one requirement, newest first: what was claimed, by whom, and how it was
/// reviewed (a rejection's comment is what the contributor answers).
#[component]
fn AttestationHistory(attestations: Vec<AttestationView>) -> impl IntoView {
    let count = attestations.len();
    view! {
        <details class="attestations" data-testid="attestation-history">
            <summary>{format!("{count} attestation{}", if count == 1 { "" } else { "s" })}</summary>
            <ol>
                {attestations.into_iter().map(|a| {
                    let review = match (a.review.as_str(), a.decided_by) {
                        ("submitted", _) => "Awaiting review".to_string(),
                        (verdict, Some(by)) => format!("{} by {by}", if verdict == "approved" { "Approved" } else { "Rejected" }),
                        (verdict, None) => verdict.to_string(),
                    };
                    view! {
                        <li data-review=a.review.clone()>
                            <p>
                                <strong>{a.status.label()}</strong>
                                {format!(" — {}, effective {} until {}", a.submitted_by, a.effective, a.expiry)}
                            </p>
                            <p>{a.statement}</p>
                            {(!a.because.is_empty()).then(|| view! { <p>{a.because}</p> })}
                            {a.artifact.map(|x| view! { <p>{format!("About {x}")}</p> })}
                            {(!a.evidence.is_empty()).then(|| view! {
                                <ul class="evidence">
                                    {a.evidence.into_iter().map(|(title, url, text)| match url {
                                        Some(url) => view! { <li><a href=url rel="noopener noreferrer nofollow">{title}</a></li> }.into_any(),
                                        None => view! { <li>{title}{(!text.is_empty()).then(|| view! { <p class="evidence-note">{text}</p> })}</li> }.into_any(),
                                    }).collect_view()}
                                </ul>
                            })}
                            <p class="review" data-testid="attestation-review">{review}</p>
                            {(!a.comment.is_empty()).then(|| view! {
                                <blockquote class="review-comment" data-testid="review-comment">{a.comment}</blockquote>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}
