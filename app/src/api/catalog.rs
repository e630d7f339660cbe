//! Reading the control catalog.

use crate::dto::CatalogView;
use crate::error::AppError;
use leptos::prelude::*;

/// The current catalog version with all its controls and rules; 404 before any is loaded.
#[server(endpoint = "get_catalog", input = server_fn::codec::Json)]
pub async fn get_catalog() -> Result<CatalogView, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::catalog::current(&*c.store, &c.principal).await }).await
}
