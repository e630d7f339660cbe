//! Checks a catalog's content beyond its syntax; each problem names the control or rule.

use super::Catalog;
use std::collections::BTreeSet;

/// Every problem found, or nothing.
pub fn validate(catalog: &Catalog) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    if catalog.controls.is_empty() {
        problems.push("the catalog has no controls".to_string());
    }
    for c in &catalog.controls {
        if !valid_id(&c.id) {
            problems.push(format!(
                "control “{}”: ids look like DATA-01 (capitals, digits, dashes)",
                c.id
            ));
        }
        if !seen.insert(c.id.as_str()) {
            problems.push(format!("control {}: the id is used twice", c.id));
        }
        if c.title.trim().is_empty() {
            problems.push(format!("control {}: the title is empty", c.id));
        }
        if let Some(cad) = c.cadence_days {
            if [cad.prototype, cad.production, cad.scale].contains(&0) {
                problems.push(format!("control {}: cadence days must be at least 1", c.id));
            }
        }
    }
    let mut rule_ids = BTreeSet::new();
    for r in &catalog.pull_forward {
        if !rule_ids.insert(r.id.as_str()) {
            problems.push(format!("pull-forward rule {}: the id is used twice", r.id));
        }
        for (id, phase) in &r.controls {
            match catalog.control(id) {
                None => problems.push(format!("pull-forward rule {}: no control {id}", r.id)),
                Some(c) if *phase >= c.min_phase => problems.push(format!(
                    "pull-forward rule {}: {id} is already required from {}; a rule may only lower it",
                    r.id, c.min_phase
                )),
                Some(_) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}
