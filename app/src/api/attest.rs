//! Attesting a requirement: the form's page reads it here; the form itself posts multipart to
//! the server's own route (`server/src/attest.rs`), so that files can join it.

use crate::dto::AttestFormView;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the attest page of `control` on workload `id` (also the flash key of its form);
/// the control is percent-encoded, so that whatever a request names stays one path segment.
pub fn attest_page(id: &str, control: &str) -> String {
    let control = crate::domain::text::percent_encode(control);
    format!("/workloads/{id}/attest/{control}")
}

/// Where the attest form posts (multipart), for workload `id`.
pub fn attest_action(id: &str) -> String {
    format!("/workloads/{id}/attestations")
}

/// The attest form of `control` on workload `id`.
#[server(endpoint = "get_attest_form", input = server_fn::codec::Json)]
pub async fn get_attest_form(id: String, control: String) -> Result<AttestFormView, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        let wid = crate::service::workloads::workload_id(&id)?;
        crate::service::attestations::attest_form(&*c.store, &c.principal, &wid, &control).await
    })
    .await
}
