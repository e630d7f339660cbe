//! Charts drawn on the server as SVG with plotters: functions from data to a `ChartView`
//! (markup plus the same numbers as a table), the drawing memoized by its inputs (`bars.rs`).
//! Pages embed them; the server also serves them as standalone SVG files so that reports can
//! reuse them. No system fonts are needed.

mod bars;

pub use bars::{bar_chart, Series};

use crate::domain::{Layer, Phase};
use crate::dto::ChartView;

const PHASE_COLOURS: [(u8, u8, u8); 3] = [(69, 123, 157), (42, 157, 143), (141, 95, 211)];

/// Workloads per team, stacked by phase. `counts` holds (team, phase, workloads).
pub fn workloads_by_phase_and_team(counts: &[(String, Phase, u64)]) -> ChartView {
    let mut teams: Vec<String> = counts.iter().map(|(t, _, _)| t.clone()).collect();
    teams.sort_by_key(|t| t.to_lowercase());
    teams.dedup();
    let value = |team: &str, phase: Phase| {
        counts
            .iter()
            .filter(|(t, p, _)| t == team && *p == phase)
            .map(|(_, _, n)| n)
            .sum::<u64>()
    };
    let series: Vec<Series> = Phase::ALL
        .iter()
        .zip(PHASE_COLOURS)
        .map(|(p, colour)| Series {
            name: p.label().to_string(),
            values: teams.iter().map(|t| value(t, *p)).collect(),
            colour,
        })
        .collect();
    bar_chart(
        "chart-phase-team",
        "Workloads by team and phase",
        "Workloads",
        &teams,
        &series,
        "Team",
    )
}

/// Required controls of one workload per layer. `required` holds the layer of each.
pub fn required_by_layer(required: &[Layer]) -> ChartView {
    let labels: Vec<String> = Layer::ALL.iter().map(|l| l.label().to_string()).collect();
    let counts = crate::domain::applicability::count_by_layer(required);
    let series = [Series {
        name: "Required controls".to_string(),
        values: counts.iter().map(|n| *n as u64).collect(),
        colour: (42, 111, 151),
    }];
    bar_chart(
        "chart-layers",
        "Required controls by layer",
        "Controls",
        &labels,
        &series,
        "Layer",
    )
}

#[cfg(test)]
mod tests;
