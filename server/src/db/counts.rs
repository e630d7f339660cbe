//! The maintained counts (`workload_counts`, `open_layer_counts`): how many current workloads
//! each (team, phase) holds and how many of those have an open gap in each layer. The home page
//! and the list's totals read these few hundred rows instead of counting thousands of
//! workloads on every request.
//!
//! A write that moves a workload reads where it counted before it changes anything
//! (`footprint`) and, once its new version and requirements are written, applies the
//! difference (`moved`), inside its transaction; both read from the rows themselves, so no
//! caller passes a footprint that could disagree with them. The difference is applied last and
//! in key order: count rows are locked for the shortest time, an edit that moves nothing writes
//! none, and two writers on PostgreSQL always lock shared rows in the same order, so opposite
//! moves (team A to B and B to A at once) wait for each other instead of deadlocking.
//! Writes over every workload (catalog load, demo removal) recount everything (`recount_all`).

use super::errors::DbResult;
use super::write_tx::{with_tx, WriteTx};
use std::collections::BTreeMap;

/// Where a workload is counted: its current version's team and phase, and its open layers.
pub struct Footprint {
    team_id: String,
    phase: String,
    open_layers: Vec<String>,
}

/// Where the workload is counted now; `None` when it has no current version.
pub async fn footprint(tx: &mut WriteTx, workload_id: &str) -> DbResult<Option<Footprint>> {
    let (version, open_layers): (Option<(String, String)>, Vec<String>) = with_tx!(tx, conn => {
        let version = sqlx::query_as(
            "select team_id, phase from workload_versions where workload_id = $1 and valid_to is null",
        )
        .bind(workload_id)
        .fetch_optional(&mut *conn)
        .await?;
        let layers = sqlx::query_scalar("select layer from workload_open_layers where workload_id = $1")
            .bind(workload_id)
            .fetch_all(&mut *conn)
            .await?;
        (version, layers)
    });
    Ok(version.map(|(team_id, phase)| Footprint {
        team_id,
        phase,
        open_layers,
    }))
}

/// Moves the workload's counts from `before` (read with `footprint` before the write changed
/// anything) to where its rows count it now.
pub async fn moved(tx: &mut WriteTx, workload_id: &str, before: Option<Footprint>) -> DbResult<()> {
    let after = footprint(tx, workload_id).await?;
    let mut totals: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut open: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for (f, by) in [(before, -1), (after, 1)] {
        let Some(f) = f else { continue };
        *totals
            .entry((f.team_id.clone(), f.phase.clone()))
            .or_default() += by;
        for layer in f.open_layers {
            *open
                .entry((f.team_id.clone(), f.phase.clone(), layer))
                .or_default() += by;
        }
    }
    with_tx!(tx, conn => {
        for ((team, phase), by) in totals.iter().filter(|(_, by)| **by != 0) {
            sqlx::query(
                "insert into workload_counts (team_id, phase, workloads) values ($1, $2, $3) \
                 on conflict (team_id, phase) do update \
                 set workloads = workload_counts.workloads + excluded.workloads",
            )
            .bind(team)
            .bind(phase)
            .bind(by)
            .execute(&mut *conn)
            .await?;
        }
        for ((team, phase, layer), by) in open.iter().filter(|(_, by)| **by != 0) {
            sqlx::query(
                "insert into open_layer_counts (team_id, phase, layer, workloads) \
                 values ($1, $2, $3, $4) on conflict (team_id, phase, layer) do update \
                 set workloads = open_layer_counts.workloads + excluded.workloads",
            )
            .bind(team)
            .bind(phase)
            .bind(layer)
            .bind(by)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Recounts everything from the rows (for writes over every workload, which run alone).
pub async fn recount_all(tx: &mut WriteTx) -> DbResult<()> {
    with_tx!(tx, conn => {
        for sql in [
            "delete from workload_counts",
            "delete from open_layer_counts",
            "insert into workload_counts (team_id, phase, workloads) \
             select team_id, phase, count(*) from workload_versions where valid_to is null \
             group by team_id, phase",
            "insert into open_layer_counts (team_id, phase, layer, workloads) \
             select v.team_id, v.phase, g.layer, count(*) from workload_versions v \
             join workload_open_layers g on g.workload_id = v.workload_id \
             where v.valid_to is null group by v.team_id, v.phase, g.layer",
        ] {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
    });
    Ok(())
}
