//! Reading the control catalog.

use crate::dto::CatalogView;
use crate::error::AppError;
use leptos::prelude::*;

/// The current catalog version with all its controls and rules; 404 before any is loaded.
#[server(endpoint = "get_catalog", input = server_fn::codec::Json)]
pub async fn get_catalog() -> Result<CatalogView, AppError> {
    use crate::api::context::{fail, from_store, store};
    let Some(v) = store()?.current_catalog().await.map_err(from_store)? else {
        return fail(AppError::NotFound("The catalog".into()));
    };
    Ok(CatalogView {
        name: v.catalog.name.clone(),
        version_id: v.id,
        content_hash: v.content_hash,
        loaded_at: v.loaded_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        source: v.source,
        controls: v.catalog.controls,
        pull_forward: v.catalog.pull_forward,
    })
}
