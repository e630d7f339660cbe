//! Creating and editing workloads. A refused form goes back to its page with what was typed and
//! a message per field (a one-shot session flash), with or without JavaScript.

use crate::domain::workload_form::WorkloadForm;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the page with the new-workload form.
pub const NEW_PAGE: &str = "/workloads/new";

/// Path of the page with the edit form of a workload.
pub fn edit_page(id: &str) -> String {
    format!("/workloads/{id}/edit")
}

/// Registers a workload (it starts at prototype) and opens its page.
#[server(endpoint = "create_workload")]
pub async fn create_workload(form: WorkloadForm) -> Result<(), AppError> {
    use crate::api::context::{from_store, store, ANONYMOUS_ACTOR};
    use crate::domain::Phase;
    use crate::ports::StoreError;
    let store = store()?;
    let draft = match ssr::resolve(&*store, &form).await? {
        Ok(draft) => draft,
        Err(errors) => return ssr::refuse(NEW_PAGE, form, errors).await,
    };
    match store
        .create_workload(&draft, Phase::Prototype, ANONYMOUS_ACTOR, false)
        .await
    {
        Ok(id) => {
            leptos_axum::redirect(&format!("/workloads/{id}"));
            Ok(())
        }
        Err(StoreError::Conflict { constraint }) if constraint.contains("name") => {
            ssr::refuse(NEW_PAGE, form, ssr::duplicate_name()).await
        }
        Err(e) => Err(from_store(e)),
    }
}

/// Saves an edit, unless someone else changed the workload since the form was opened.
#[server(endpoint = "update_workload")]
pub async fn update_workload(id: String, form: WorkloadForm) -> Result<(), AppError> {
    use crate::api::context::{fail, from_store, store, ANONYMOUS_ACTOR};
    use crate::domain::{FieldErrors, WorkloadId};
    use crate::ports::StoreError;
    let store = store()?;
    let page = edit_page(&id);
    let wid = WorkloadId(id.clone());
    if store
        .get_workload(&wid)
        .await
        .map_err(from_store)?
        .is_none()
    {
        return fail(AppError::NotFound("This workload".into()));
    }
    let (draft, expected) = match ssr::resolve(&*store, &form).await? {
        Ok(draft) => match form.check().ok().and_then(|c| c.revision) {
            Some(rev) => (draft, rev),
            None => {
                let mut e = FieldErrors::default();
                e.add("revision", "The form is damaged; reload the page.");
                return ssr::refuse(&page, form, e).await;
            }
        },
        Err(errors) => return ssr::refuse(&page, form, errors).await,
    };
    match store
        .update_workload(&wid, expected, &draft, ANONYMOUS_ACTOR)
        .await
    {
        Ok(_) => {
            leptos_axum::redirect(&format!("/workloads/{id}"));
            Ok(())
        }
        Err(StoreError::Conflict { constraint }) if constraint.contains("name") => {
            ssr::refuse(&page, form, ssr::duplicate_name()).await
        }
        Err(StoreError::StaleRevision { .. }) => {
            let mut e = FieldErrors::default();
            e.add(
                "revision",
                "Someone else saved this workload after you opened the form. Your changes are \
                 below; open the workload in a new tab to see theirs, then save again.",
            );
            // The person may retry on top of the newest version, keeping what they typed.
            let current = store.get_workload(&wid).await.map_err(from_store)?;
            let mut form = form;
            if let Some(w) = current {
                form.revision = w.revision.to_string();
            }
            ssr::refuse(&page, form, e).await
        }
        Err(e) => Err(from_store(e)),
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::context::from_store;
    use crate::api::flash::keep_and_return;
    use crate::domain::workload::WorkloadDraft;
    use crate::domain::workload_form::WorkloadForm;
    use crate::domain::{FieldErrors, TeamId, UserId};
    use crate::dto::FormFlash;
    use crate::error::AppError;
    use crate::ports::Store;

    /// Validates the form, then checks what needs the store: the team and the owners exist.
    pub async fn resolve(
        store: &dyn Store,
        form: &WorkloadForm,
    ) -> Result<Result<WorkloadDraft, FieldErrors>, AppError> {
        let checked = match form.check() {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let mut errors = FieldErrors::default();
        let team_id = TeamId(checked.team_id.clone());
        if store
            .get_team(&team_id)
            .await
            .map_err(from_store)?
            .is_none()
        {
            errors.add(
                "team_id",
                "Choose a team from the list; this one does not exist.",
            );
        }
        let primary = UserId(checked.primary_owner.clone());
        if store
            .users_by_ids(std::slice::from_ref(&primary))
            .await
            .map_err(from_store)?
            .is_empty()
        {
            errors.add(
                "primary_owner",
                "Choose an owner from the list; this person does not exist.",
            );
        }
        let found = store
            .users_by_emails(&checked.other_owner_emails)
            .await
            .map_err(from_store)?;
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
        Ok(Ok(WorkloadDraft {
            name: checked.name,
            description: checked.description,
            team_id,
            primary_owner: primary,
            other_owners,
            attributes: checked.attributes,
            model_refs: checked.model_refs,
            dataset_refs: checked.dataset_refs,
            tags: checked.tags,
        }))
    }

    /// The field error for a name already used in the team.
    pub fn duplicate_name() -> FieldErrors {
        let mut e = FieldErrors::default();
        e.add("name", "This team already has a workload with this name.");
        e
    }

    /// Sends the form back to its page with what was typed and why it was refused.
    pub async fn refuse(
        page: &str,
        values: WorkloadForm,
        errors: FieldErrors,
    ) -> Result<(), AppError> {
        let message = Some("Nothing was saved. Correct the fields marked below.".to_string());
        keep_and_return(
            page,
            FormFlash {
                values: values.clipped(),
                errors,
                message,
            },
        )
        .await
    }
}
