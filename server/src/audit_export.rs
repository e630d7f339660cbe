//! `GET /audit/export.jsonl?from=…&to=…`: the chain's events of a time range as JSON Lines that
//! verify on their own (the use case of `strata audit export`, in the caller's scope: events
//! they do not read in full as `{seq, digest, hash}`). The body streams a page of events at a
//! time, so an export of the whole chain is never held in memory; should reading fail midway,
//! the response ends without its last chunk and the client reports a broken transfer rather
//! than a shorter extract.

use crate::http_error::ApiError;
use crate::identity::Caller;
use crate::state::AppState;
use app::api::audit::{filter_of, AuditQuery};
use app::service::audit::ChainExtract;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn export(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let filter = filter_of(&query)?;
    // Refusals (sign-in, permission, a bad range) are answered before the body starts.
    let extract = ChainExtract::open(&*state.store, &caller, filter.from, filter.to).await?;
    let store = state.store.clone();
    let chunks = futures_util::stream::try_unfold(extract, move |mut extract| {
        let store = store.clone();
        async move {
            let Some(lines) = extract.next_lines(&*store).await.map_err(|e| {
                tracing::error!(error = %e, "the audit export stopped midway");
                std::io::Error::other("the audit export stopped midway")
            })?
            else {
                return Ok::<_, std::io::Error>(None);
            };
            let mut chunk = String::new();
            for line in lines {
                chunk.push_str(&line);
                chunk.push('\n');
            }
            Ok(Some((chunk, extract)))
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/jsonl; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"strata-audit-chain.jsonl\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
