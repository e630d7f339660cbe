//! Coverage (design §3.3): of the requirements in force, the share that is covered —
//! satisfied, expiring, not applicable by attestation, or excepted — as a whole and per layer.

use super::requirement_state::RequirementState;
use super::Layer;

/// Covered of required.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub covered: usize,
    pub required: usize,
}

impl Coverage {
    /// Counts the states of required requirements.
    pub fn of(states: impl IntoIterator<Item = RequirementState>) -> Coverage {
        states
            .into_iter()
            .fold(Coverage::default(), |c, s| Coverage {
                covered: c.covered + usize::from(s.covers()),
                required: c.required + 1,
            })
    }

    /// The covered share in whole percent, rounded down so that 100 % means all of it;
    /// none when nothing is required.
    pub fn percent(self) -> Option<usize> {
        (self.required > 0).then(|| self.covered * 100 / self.required)
    }

    /// "3 of 12 covered (25 %)", or that nothing is required.
    pub fn label(self) -> String {
        match self.percent() {
            Some(p) => format!("{} of {} covered ({p} %)", self.covered, self.required),
            None => "nothing required".to_string(),
        }
    }
}

/// Coverage per layer, in the layers' order, from (layer, state) of each required requirement.
pub fn by_layer(required: &[(Layer, RequirementState)]) -> Vec<(Layer, Coverage)> {
    Layer::ALL
        .iter()
        .map(|layer| {
            let states = required.iter().filter(|(l, _)| l == layer).map(|(_, s)| *s);
            (*layer, Coverage::of(states))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequirementState::*;

    #[test]
    fn covered_states_are_those_of_design_3_3() {
        let all = RequirementState::ALL;
        let c = Coverage::of(all.iter().copied());
        assert_eq!(c.required, all.len());
        assert_eq!(
            c.covered, 4,
            "satisfied, expiring, not applicable, excepted"
        );
        for s in [PendingReview, Rejected, Partial, Expired, Gap] {
            assert_eq!(Coverage::of([s]).covered, 0, "{s:?}");
        }
    }

    #[test]
    fn the_share_rounds_down_and_nothing_required_has_none() {
        assert_eq!(Coverage::of([Satisfied, Gap, Gap]).percent(), Some(33));
        assert_eq!(
            Coverage::of([Satisfied, Satisfied, Satisfied, Gap]).label(),
            "3 of 4 covered (75 %)"
        );
        let almost = Coverage {
            covered: 199,
            required: 200,
        };
        assert_eq!(almost.percent(), Some(99), "never 100 % while one is open");
        assert_eq!(Coverage::of([]).percent(), None);
        assert_eq!(Coverage::default().label(), "nothing required");
    }

    #[test]
    fn each_layer_counts_its_own() {
        let rows = [
            (Layer::Data, Satisfied),
            (Layer::Data, Gap),
            (Layer::Model, Excepted),
        ];
        let by = by_layer(&rows);
        assert_eq!(by.len(), Layer::ALL.len());
        assert_eq!(
            by[0],
            (
                Layer::Data,
                Coverage {
                    covered: 1,
                    required: 2
                }
            )
        );
        assert_eq!(
            by[1],
            (
                Layer::Model,
                Coverage {
                    covered: 1,
                    required: 1
                }
            )
        );
        assert!(by[2..].iter().all(|(_, c)| c.required == 0));
    }
}
