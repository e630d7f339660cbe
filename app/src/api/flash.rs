//! One-shot flashes kept in the server-side session: a refused form's typed values and messages
//! survive the redirect back to the form without JavaScript, and never travel in a URL.

use crate::dto::FormFlash;
use crate::error::AppError;
use leptos::prelude::*;

/// Reads and removes the flash kept for `key` (the page path the form lives on).
#[server(endpoint = "take_flash", input = server_fn::codec::Json)]
pub async fn take_flash(key: String) -> Result<Option<FormFlash>, AppError> {
    let session = crate::api::context::session().await?;
    session
        .remove::<FormFlash>(&flash_key(&key))
        .await
        .map_err(crate::api::context::internal)
}

/// Session key of the flash for a page.
pub fn flash_key(page: &str) -> String {
    format!("flash:{page}")
}

/// Keeps a flash for `page` and sends the browser back there.
#[cfg(feature = "ssr")]
pub async fn keep_and_return(page: &str, flash: FormFlash) -> Result<(), AppError> {
    let session = crate::api::context::session().await?;
    session
        .insert(&flash_key(page), flash)
        .await
        .map_err(crate::api::context::internal)?;
    leptos_axum::redirect(page);
    Ok(())
}
