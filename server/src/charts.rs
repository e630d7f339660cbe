//! Charts as standalone SVG files (the same use cases and chart functions the pages use), so
//! that reports and other tools can reuse them.

use crate::http_error::ApiError;
use crate::identity::Caller;
use crate::state::AppState;
use app::service::charts;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

fn svg(markup: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        markup,
    )
        .into_response()
}

/// `GET /charts/workloads-by-phase-and-team.svg`
pub async fn phase_and_team(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Response, ApiError> {
    let chart = charts::phase_and_team(&*state.store, &caller).await?;
    Ok(svg(chart.svg))
}

/// `GET /charts/workloads/{id}/required-by-layer.svg`
pub async fn required_by_layer(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = app::service::workloads::workload_id(&id)?;
    let chart = charts::required_by_layer(&*state.store, &caller, &id).await?;
    Ok(svg(chart.svg))
}
