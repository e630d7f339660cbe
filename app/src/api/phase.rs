//! Changing a workload's phase: its own action, never a field of the edit form.

use crate::error::AppError;
use leptos::prelude::*;

/// Promotes (`direction = "promote"`) or demotes (`"demote"`) a workload by one phase.
#[server(endpoint = "change_phase")]
pub async fn change_phase(id: String, revision: i64, direction: String) -> Result<(), AppError> {
    use crate::api::context::{fail, from_store, store, ANONYMOUS_ACTOR};
    use crate::api::flash::keep_and_return;
    use crate::domain::workload_form::WorkloadForm;
    use crate::domain::{FieldErrors, WorkloadId};
    use crate::dto::FormFlash;
    use crate::ports::StoreError;
    let store = store()?;
    let wid = WorkloadId(id.clone());
    let page = format!("/workloads/{id}");
    let Some(current) = store.get_workload(&wid).await.map_err(from_store)? else {
        return fail(AppError::NotFound("This workload".into()));
    };
    let target = match direction.as_str() {
        "promote" => current.phase.next(),
        "demote" => current.phase.previous(),
        _ => {
            let mut e = FieldErrors::default();
            e.add("direction", "Choose promote or demote.");
            return fail(AppError::Validation(e));
        }
    };
    let blocked = (direction == "promote")
        .then(|| crate::domain::applicability::promotion_blocker(&current.draft.attributes))
        .flatten();
    let message = match target {
        _ if blocked.is_some() => blocked.map(String::from),
        None => Some(format!(
            "A workload in {} cannot be {direction}d further.",
            current.phase
        )),
        Some(to) => match store
            .change_phase(&wid, revision, to, ANONYMOUS_ACTOR)
            .await
        {
            Ok(_) => None,
            Err(StoreError::StaleRevision { .. }) => Some(
                "The workload changed since this page was opened; nothing was changed. \
                 Check its phase below and try again."
                    .to_string(),
            ),
            Err(e) => return Err(from_store(e)),
        },
    };
    match message {
        None => {
            leptos_axum::redirect(&page);
            Ok(())
        }
        Some(message) => {
            let flash = FormFlash {
                values: WorkloadForm::default(),
                errors: FieldErrors::default(),
                message: Some(message),
            };
            keep_and_return(&page, flash).await
        }
    }
}
