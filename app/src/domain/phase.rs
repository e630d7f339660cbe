//! Phases of a workload: prototype < production < scale. Security compounds along them.

use crate::coded_enum;

/// Longest reason a promotion with open requirements may give.
pub const REASON_MAX: usize = 500;

coded_enum!(
    /// Where a workload is in its life; the order of the variants is the order of phases.
    Phase {
        Prototype => ("prototype", "Prototype"),
        Production => ("production", "Production"),
        Scale => ("scale", "Scale"),
    }
);

coded_enum!(
    /// Which way a phase change goes: one phase up or one down.
    PhaseDirection {
        Promote => ("promote", "Promote"),
        Demote => ("demote", "Demote"),
    }
);

impl PhaseDirection {
    /// Reads the `direction` field of a phase-change form.
    pub fn from_field(value: &str) -> Result<Self, super::FieldErrors> {
        Self::from_code(value).ok_or_else(|| {
            let mut e = super::FieldErrors::default();
            e.add("direction", "Choose promote or demote.");
            e
        })
    }
}

impl Phase {
    /// The phase a promotion leads to, if any.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Prototype => Some(Phase::Production),
            Phase::Production => Some(Phase::Scale),
            Phase::Scale => None,
        }
    }

    /// The phase a demotion leads to, if any.
    pub fn previous(self) -> Option<Phase> {
        match self {
            Phase::Prototype => None,
            Phase::Production => Some(Phase::Prototype),
            Phase::Scale => Some(Phase::Production),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_ordered_and_linked() {
        assert!(Phase::Prototype < Phase::Production && Phase::Production < Phase::Scale);
        for p in Phase::ALL {
            if let Some(n) = p.next() {
                assert!(n > *p);
                assert_eq!(n.previous(), Some(*p));
            }
        }
        assert_eq!(Phase::Scale.next(), None);
        assert_eq!(Phase::Prototype.previous(), None);
    }

    #[test]
    fn codes_round_trip() {
        for p in Phase::ALL {
            assert_eq!(Phase::from_code(p.code()), Some(*p));
        }
        assert_eq!(Phase::from_code("Production"), None);
    }
}
