//! The fields of the workload form, shared by the create and edit pages.

use super::field::TextField;
use super::select_field::SelectField;
use crate::domain::attribute_fields::ATTRIBUTE_FIELDS;
use crate::domain::workload_form::{WorkloadForm, DESCRIPTION_MAX, NAME_MAX, REF_MAX};
use crate::domain::FieldErrors;
use crate::dto::FormChoices;
use leptos::prelude::*;

/// All workload fields, filled with `values`, with `errors` next to their fields.
#[component]
pub fn WorkloadFields(
    values: WorkloadForm,
    errors: FieldErrors,
    choices: FormChoices,
) -> impl IntoView {
    let err = |f: &str| errors.get(f).map(String::from);
    let teams = choices
        .teams
        .iter()
        .map(|t| (t.id.0.clone(), t.name.clone()))
        .collect();
    let people = choices
        .users
        .iter()
        .map(|u| (u.id.0.clone(), format!("{} <{}>", u.name, u.email)))
        .collect();
    let v = values;
    view! {
        <input type="hidden" name="form[revision]" value=v.revision.clone()/>
        {err("revision").map(|e| view! { <p class="field-error" data-testid="revision-error">{e}</p> })}
        <fieldset>
            <legend>"The workload"</legend>
            <TextField name="name" label="Name" value=v.name.clone() error=err("name") max=NAME_MAX/>
            <TextField name="description" label="Purpose" value=v.description.clone() error=err("description")
                max=DESCRIPTION_MAX multiline=true hint="One or two sentences: what it does and for whom."/>
            <SelectField name="team_id" label="Team" value=v.team_id.clone() options=teams
                error=err("team_id") placeholder="Choose a team"/>
            <SelectField name="primary_owner" label="Primary owner" value=v.primary_owner.clone()
                options=people error=err("primary_owner") placeholder="Choose a person"/>
            <TextField name="other_owners" label="Other owners" value=v.other_owners.clone()
                error=err("other_owners") hint="Email addresses, separated by commas (optional)."/>
            <TextField name="tags" label="Tags" value=v.tags.clone() error=err("tags")
                hint="Separated by commas (optional)."/>
        </fieldset>
        <fieldset>
            <legend>"Attributes that decide which controls apply"</legend>
            {ATTRIBUTE_FIELDS.iter().map(|f| {
                let options = (f.options)().into_iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
                view! {
                    <SelectField name=f.code label=f.label value=v.attribute(f.code).to_string()
                        options error=err(f.code) hint=f.help/>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Model and dataset (optional)"</legend>
            <TextField name="model_name" label="Model name" value=v.model_name.clone() error=err("model_name") max=REF_MAX/>
            <TextField name="model_version" label="Model version" value=v.model_version.clone() error=err("model_version") max=REF_MAX/>
            <TextField name="model_digest" label="Model digest" value=v.model_digest.clone() error=err("model_digest")
                hint="sha256: followed by 64 hex digits."/>
            <TextField name="dataset_name" label="Dataset name" value=v.dataset_name.clone() error=err("dataset_name") max=REF_MAX/>
            <TextField name="dataset_version" label="Dataset version" value=v.dataset_version.clone() error=err("dataset_version") max=REF_MAX/>
            <TextField name="dataset_digest" label="Dataset digest" value=v.dataset_digest.clone() error=err("dataset_digest")/>
        </fieldset>
    }
}
