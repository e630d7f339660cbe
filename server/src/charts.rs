//! Charts as standalone SVG files (the same pure functions the pages embed), so that reports
//! and other tools can reuse them.

use crate::state::AppState;
use app::domain::WorkloadId;
use app::ports::StoreError;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
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

fn failed(e: StoreError) -> Response {
    match e {
        StoreError::NotFound => (StatusCode::NOT_FOUND, "Not found.").into_response(),
        other => {
            tracing::error!(error = %other, "chart data");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The chart could not be drawn.",
            )
                .into_response()
        }
    }
}

/// `GET /charts/workloads-by-phase-and-team.svg`
pub async fn phase_and_team(State(state): State<AppState>) -> Response {
    match state.store.count_by_team_and_phase().await {
        Ok(counts) => svg(app::charts::workloads_by_phase_and_team(&counts).svg),
        Err(e) => failed(e),
    }
}

/// `GET /charts/workloads/{id}/required-by-layer.svg`
pub async fn required_by_layer(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = WorkloadId(id);
    match state.store.get_workload(&id).await {
        Ok(Some(_)) => {}
        Ok(None) => return failed(StoreError::NotFound),
        Err(e) => return failed(e),
    }
    match state.store.requirements(&id).await {
        Ok(rows) => {
            let layers: Vec<_> = rows
                .iter()
                .filter(|r| r.required)
                .map(|r| r.layer)
                .collect();
            svg(app::charts::required_by_layer(&layers).svg)
        }
        Err(e) => failed(e),
    }
}
