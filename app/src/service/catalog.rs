//! Reading the control catalog.

use crate::domain::Principal;
use crate::dto::CatalogView;
use crate::error::AppError;
use crate::ports::Store;

/// The current catalog version with all its controls and rules; not found before any is loaded.
#[tracing::instrument(skip_all)]
pub async fn current(store: &dyn Store, caller: &Principal) -> Result<CatalogView, AppError> {
    super::authorize::require(caller, crate::domain::policy::Action::ReadCatalog)?;
    let v = store
        .current_catalog()
        .await?
        .ok_or_else(|| AppError::NotFound("The catalog".into()))?;
    Ok(CatalogView {
        name: v.catalog.name.clone(),
        version_id: v.id,
        content_hash: v.content_hash,
        loaded_at: v.loaded_at,
        source: v.source,
        controls: v.catalog.controls.clone(),
        pull_forward: v.catalog.pull_forward.clone(),
    })
}
