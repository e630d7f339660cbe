//! The control catalog as data: controls with their layer, minimum phase, `applies_when`
//! condition, cadence and crosswalks, and the pull-forward rules that lower a minimum phase.

mod validate;

pub use validate::validate;

use super::condition::Condition;
use super::layer::Layer;
use super::Phase;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days between re-attestations, per phase (stricter as a workload matures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub prototype: u32,
    pub production: u32,
    pub scale: u32,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            prototype: 365,
            production: 180,
            scale: 90,
        }
    }
}

impl Cadence {
    /// Days between attestations at `phase`.
    pub fn days(&self, phase: Phase) -> u32 {
        match phase {
            Phase::Prototype => self.prototype,
            Phase::Production => self.production,
            Phase::Scale => self.scale,
        }
    }
}

/// One control.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    pub id: String,
    pub layer: Layer,
    pub title: String,
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub guidance: String,
    /// What an auditor expects to see.
    #[serde(default)]
    pub evidence: Vec<String>,
    pub min_phase: Phase,
    pub applies_when: Condition,
    #[serde(default)]
    pub cadence_days: Option<Cadence>,
    /// Framework key (e.g. `owasp_llm_2025`) → identifiers.
    #[serde(default)]
    pub crosswalk: BTreeMap<String, Vec<String>>,
}

/// A rule that lowers the minimum phase of some controls for risky workloads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullForward {
    pub id: String,
    pub title: String,
    pub when: Condition,
    /// Control id → the phase it is required from when the rule fires.
    pub controls: BTreeMap<String, Phase>,
}

/// A whole catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub name: String,
    #[serde(default)]
    pub cadence_days: Cadence,
    pub controls: Vec<Control>,
    #[serde(default)]
    pub pull_forward: Vec<PullForward>,
}

impl Catalog {
    /// The control with this id.
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// The cadence of a control: its own, or the catalog's default.
    pub fn cadence(&self, control: &Control) -> Cadence {
        control.cadence_days.unwrap_or(self.cadence_days)
    }
}
