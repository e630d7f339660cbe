//! The rules of design §3.1 and catalog-design §4: whether a control applies to a workload (with
//! the reason in words), its effective minimum phase after pull-forward rules, the required set,
//! and what the next phase adds.

use super::catalog::{Catalog, Control, PullForward};
use super::condition::{Condition, ConditionCode};
use super::layer::Layer;
use super::{Attributes, Phase};
use serde::{Deserialize, Serialize};

/// The decision for one (workload, control) pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicability {
    pub control_id: String,
    pub layer: Layer,
    /// Whether the control's condition holds for the workload.
    pub applies: bool,
    /// The catalog's minimum phase, lowered by every pull-forward rule that fires.
    pub effective_min_phase: Phase,
    /// Ids of the pull-forward rules that lowered it.
    pub pulled_forward_by: Vec<String>,
    /// Why, in words a reviewer can check.
    pub reason: String,
}

impl Applicability {
    /// Required at `phase`: it applies and its effective minimum phase has been reached.
    pub fn required_at(&self, phase: Phase) -> bool {
        self.applies && self.effective_min_phase <= phase
    }
}

fn facts(condition: &Condition, a: &Attributes, holding: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    for code in condition.codes() {
        if code.holds(a) == holding {
            let f = code.facts(a);
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out.join("; ")
}

/// The effective minimum phase of `control` for these attributes, and the rules that set it.
pub fn effective_min_phase(
    a: &Attributes,
    control: &Control,
    rules: &[PullForward],
) -> (Phase, Vec<String>) {
    let mut phase = control.min_phase;
    let mut by = Vec::new();
    for rule in rules {
        if let Some(to) = rule.controls.get(&control.id) {
            if rule.when.holds(a) && *to < control.min_phase {
                phase = phase.min(*to);
                by.push(rule.id.clone());
            }
        }
    }
    (phase, by)
}

/// Whether `control` applies to a workload with these attributes, and why.
pub fn applicability(a: &Attributes, control: &Control, rules: &[PullForward]) -> Applicability {
    let applies = control.applies_when.holds(a);
    let (effective_min_phase, pulled_forward_by) = effective_min_phase(a, control, rules);
    let mut reason = if !applies {
        format!(
            "Not applicable: applies only when the workload {}; here {}.",
            control.applies_when.describe(),
            facts(&control.applies_when, a, false)
        )
    } else if control.applies_when == Condition::Code(ConditionCode::Always) {
        "Applies to every workload.".to_string()
    } else {
        format!(
            "Applies because the workload {} ({}).",
            control.applies_when.describe(),
            facts(&control.applies_when, a, true)
        )
    };
    if applies && !pulled_forward_by.is_empty() {
        let names: Vec<String> = rules
            .iter()
            .filter(|r| pulled_forward_by.contains(&r.id))
            .map(|r| format!("{} ({})", r.id, r.title))
            .collect();
        reason.push_str(&format!(
            " Required from {} instead of {} by pull-forward rule {}.",
            effective_min_phase.label().to_lowercase(),
            control.min_phase.label().to_lowercase(),
            names.join(", ")
        ));
    }
    Applicability {
        control_id: control.id.clone(),
        layer: control.layer,
        applies,
        effective_min_phase,
        pulled_forward_by,
        reason,
    }
}

/// The decision for every control of the catalog, in catalog order.
pub fn evaluate(a: &Attributes, catalog: &Catalog) -> Vec<Applicability> {
    catalog
        .controls
        .iter()
        .map(|c| applicability(a, c, &catalog.pull_forward))
        .collect()
}

/// The controls required of a workload with these attributes in `phase`.
pub fn required<'c>(a: &Attributes, phase: Phase, catalog: &'c Catalog) -> Vec<&'c Control> {
    catalog
        .controls
        .iter()
        .filter(|c| applicability(a, c, &catalog.pull_forward).required_at(phase))
        .collect()
}

/// Counts per layer, in `Layer::ALL` order.
pub fn count_by_layer<'a>(layers: impl IntoIterator<Item = &'a Layer>) -> [usize; 5] {
    let mut counts = [0; 5];
    for l in layers {
        if let Some(i) = Layer::ALL.iter().position(|x| x == l) {
            counts[i] += 1;
        }
    }
    counts
}

/// Why a workload may not be promoted at all, whatever its requirements.
pub fn promotion_blocker(a: &Attributes) -> Option<&'static str> {
    (a.eu_ai_act_class == super::attributes::EuAiActClass::Prohibited).then_some(
        "Classified as a prohibited practice under the EU AI Act: it cannot be promoted \
         until its EU AI Act class changes.",
    )
}

/// What a promotion to the next phase would add.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub next: Phase,
    /// Controls required at the next phase that are not required now.
    pub added: Vec<String>,
    /// Set when promotion is blocked outright.
    pub blocked_by: Option<String>,
}

/// Promotion readiness: `None` at the last phase.
pub fn readiness(a: &Attributes, phase: Phase, catalog: &Catalog) -> Option<Readiness> {
    let next = phase.next()?;
    let decisions = evaluate(a, catalog);
    let added = decisions
        .iter()
        .filter(|d| d.required_at(next) && !d.required_at(phase))
        .map(|d| d.control_id.clone())
        .collect();
    Some(Readiness {
        next,
        added,
        blocked_by: promotion_blocker(a).map(String::from),
    })
}

#[cfg(test)]
mod tests;
