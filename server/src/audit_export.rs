//! `GET /audit/export.jsonl?from=…&to=…`: the chain's events of a time range as JSON Lines that
//! verify on their own (the use case of `strata audit export`, in the caller's scope: events
//! they do not read in full as `{seq, digest, hash}`).

use crate::http_error::ApiError;
use crate::identity::Caller;
use crate::state::AppState;
use app::api::audit::{filter_of, AuditQuery};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn export(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let filter = filter_of(&query)?;
    let mut out = String::new();
    app::service::audit::export_chain(&*state.store, &caller, filter.from, filter.to, |line| {
        out.push_str(&line);
        out.push('\n');
        Ok(())
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/jsonl; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"strata-audit-chain.jsonl\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response())
}
