//! The workload form's checks that need the store: the team and the owners exist. The checks
//! that need nothing else run first, in `domain::workload_form`, the same code as the browser's.

use crate::domain::workload::WorkloadDraft;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::{FieldErrors, TeamId, UserId};
use crate::error::AppError;
use crate::ports::Store;

/// The draft the form describes with the revision it was opened at (none for a new one), or the
/// field errors that refuse it.
pub async fn resolve(
    store: &dyn Store,
    form: &WorkloadForm,
) -> Result<Result<(WorkloadDraft, Option<i64>), FieldErrors>, AppError> {
    let checked = match form.check() {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = FieldErrors::default();
    let team_id = TeamId(checked.team_id.clone());
    if store.get_team(&team_id).await?.is_none() {
        errors.add(
            "team_id",
            "Choose a team from the list; this one does not exist.",
        );
    }
    let primary = UserId(checked.primary_owner.clone());
    if store
        .users_by_ids(std::slice::from_ref(&primary))
        .await?
        .is_empty()
    {
        errors.add(
            "primary_owner",
            "Choose an owner from the list; this person does not exist.",
        );
    }
    let found = store.users_by_emails(&checked.other_owner_emails).await?;
    let mut other_owners: Vec<UserId> = Vec::new();
    for email in &checked.other_owner_emails {
        match found.iter().find(|u| u.email == *email) {
            Some(u) if u.id != primary && !other_owners.contains(&u.id) => {
                other_owners.push(u.id.clone())
            }
            Some(_) => {}
            None => errors.add("other_owners", format!("No user has the email {email}.")),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let draft = WorkloadDraft {
        name: checked.name,
        description: checked.description,
        team_id,
        primary_owner: primary,
        other_owners,
        attributes: checked.attributes,
        model_refs: checked.model_refs,
        dataset_refs: checked.dataset_refs,
        tags: checked.tags,
    };
    Ok(Ok((draft, checked.revision)))
}
