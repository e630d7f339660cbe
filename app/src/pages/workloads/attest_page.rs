//! `/workloads/:id/attest/:control`: the attest form of one requirement. A plain multipart
//! form posting to the server's own route, the same with and without JavaScript; a refusal
//! comes back here with what was typed and each field's problem. After a rejection it opens
//! with the rejected claim's values and the reviewer's comment, to be corrected and resubmitted.

use crate::api::attest::{attest_action, attest_page, get_attest_form};
use crate::api::flash::take_flash;
use crate::components::field::TextField;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::components::select_field::SelectField;
use crate::domain::attestation::TEXT_MAX;
use crate::domain::FieldErrors;
use crate::dto::AttestFormView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AttestPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.get();
        (
            p.get("id").unwrap_or_default(),
            p.get("control").unwrap_or_default(),
        )
    };
    let view = Resource::new_blocking(key, |(id, control)| get_attest_form(id, control));
    let flash = Resource::new_blocking(key, |(id, control)| take_flash(attest_page(&id, &control)));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (view.await, flash.await) {
                    (Ok(v), Ok(flash)) => {
                        let (values, errors, message) = match flash {
                            Some(f) => (f.values.attestation(), f.errors, f.message),
                            None => (None, FieldErrors::default(), None),
                        };
                        view! { <Attest view=v values errors message/> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! {
                        <Title text="Attest"/>
                        <ErrorNotice error=e/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Attest(
    view: AttestFormView,
    values: Option<crate::domain::attestation_form::AttestationForm>,
    errors: FieldErrors,
    message: Option<String>,
) -> impl IntoView {
    let v = view;
    let back = format!("/workloads/{}", v.workload_id);
    let rejected = v.latest.as_ref().filter(|a| a.review == "rejected").map(|a| {
        let by = a.decided_by.clone().unwrap_or_else(|| "A reviewer".into());
        view! {
            <div class="notice notice-error" data-testid="rejected-notice">
                <p>{format!("{by} rejected the last attestation. Correct it below and submit it again:")}</p>
                <blockquote class="review-comment" data-testid="review-comment">{a.comment.clone()}</blockquote>
            </div>
        }
    });
    let lead = format!(
        "{} layer · required at {} · re-attested every {} days.",
        v.layer.label(),
        v.required_at.label().to_lowercase(),
        v.cadence_days
    );
    let hints = (!v.evidence_hints.is_empty()).then(|| {
        view! {
            <p>"What an auditor expects to see:"</p>
            <ul class="evidence-hints">
                {v.evidence_hints.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view()}
            </ul>
        }
    });
    let pending = v.pending.then(|| {
        let by = v
            .latest
            .as_ref()
            .map(|a| format!("{} on {}", a.submitted_by, a.submitted_at))
            .unwrap_or_default();
        view! {
            <div class="notice" role="status" data-testid="pending-notice">
                <p>{format!("An attestation submitted by {by} awaits review. Its decision comes first; a rejection can then be answered here.")}</p>
            </div>
        }
    });
    // While one awaits review there is no form to fill — unless this person's submission was
    // just refused for it: what they typed comes back, to keep for later.
    let body = if v.pending && values.is_none() {
        pending.into_any()
    } else {
        let f = values.unwrap_or(v.form);
        let e = |name: &str| errors.get(name).map(str::to_string);
        let max = TEXT_MAX;
        view! {
            {pending}
            {rejected}
            <FormMessage message/>
            <form method="post" action=attest_action(&v.workload_id) enctype="multipart/form-data"
                class="attest-form" data-testid="attest-form">
                <input type="hidden" name="control" value=v.control_id.clone()/>
                <SelectField name="status" label="What is in place" value=f.status options=v.statuses
                    error=e("status") placeholder="Choose…" bare=true/>
                <TextField name="statement" label="Statement" value=f.statement error=e("statement")
                    hint="What is in place and how, in words an auditor can check." max multiline=true bare=true/>
                <TextField name="justification" label="Justification" value=f.justification error=e("justification")
                    hint="Required when the control does not apply: why not." max multiline=true bare=true/>
                <TextField name="inherited_from" label="Inherited from" value=f.inherited_from error=e("inherited_from")
                    hint="Required when inherited: the vendor or platform that provides it." bare=true/>
                <TextField name="effective" label="Effective date" value=f.effective error=e("effective")
                    input_type="date" hint=format!("Empty: today, {}.", v.today) bare=true/>
                <TextField name="expiry" label="Expiry" value=f.expiry error=e("expiry") input_type="date"
                    hint=format!(
                        "Empty: the effective date plus {} days ({} from today). At most {} days after the effective date.",
                        v.cadence_days, v.default_expiry, 2 * v.cadence_days
                    ) bare=true/>
                {(!v.artifacts.is_empty()).then(|| view! {
                    <SelectField name="artifact" label="About the model or dataset" value=f.artifact.clone()
                        options=v.artifacts.clone() error=e("artifact") placeholder="Neither"
                        hint="A claim about one reference stops being in force when that reference changes." bare=true/>
                })}
                <TextField name="links" label="Evidence links" value=f.links error=e("links")
                    hint="One http:// or https:// link per line, at most 20." multiline=true bare=true/>
                <TextField name="note" label="Evidence note" value=f.note error=e("note") max multiline=true bare=true/>
                <div class="form-actions">
                    <button type="submit" data-testid="submit-attestation">"Submit for review"</button>
                    <a href=back.clone()>"Cancel"</a>
                </div>
            </form>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Attest {}", v.control_id)/>
        <p class="breadcrumb"><a href=back>{v.workload_name.clone()}</a></p>
        <h1><span class="mono">{v.control_id.clone()}</span>" "{v.title.clone()}</h1>
        <p class="lead">{lead}</p>
        {(!v.objective.is_empty()).then(|| view! { <p>{v.objective.clone()}</p> })}
        {(!v.guidance.is_empty()).then(|| view! { <p class="hint">{v.guidance.clone()}</p> })}
        {hints}
        {body}
    }
}
