use super::*;
use crate::domain::attributes::*;
use crate::domain::catalog::{Cadence, Control};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn control(id: &str, layer: Layer, min: Phase, when: &str) -> Control {
    Control {
        id: id.into(),
        layer,
        title: id.into(),
        objective: String::new(),
        guidance: String::new(),
        evidence: vec![],
        min_phase: min,
        applies_when: Condition::parse(when).expect("condition"),
        cadence_days: None,
        crosswalk: BTreeMap::new(),
    }
}

fn rule(id: &str, when: &str, controls: &[(&str, Phase)]) -> PullForward {
    PullForward {
        id: id.into(),
        title: format!("rule {id}"),
        when: Condition::parse(when).expect("condition"),
        controls: controls.iter().map(|(c, p)| (c.to_string(), *p)).collect(),
    }
}

/// A small catalog with one pull-forward rule per §4.2 trigger.
fn catalog() -> Catalog {
    use Phase::*;
    Catalog {
        name: "t".into(),
        cadence_days: Cadence::default(),
        controls: vec![
            control("DATA-05", Layer::Data, Production, "always"),
            control("DATA-06", Layer::Data, Production, "personal_data"),
            control(
                "DATA-14",
                Layer::Data,
                Scale,
                "customizes_model OR high_impact",
            ),
            control("MODEL-12", Layer::Model, Scale, "always"),
            control("APP-01", Layer::Application, Prototype, "genai"),
            control("APP-05", Layer::Application, Production, "always"),
            control("APP-12", Layer::Application, Scale, "multi_agent_or_memory"),
            control("APP-14", Layer::Application, Scale, "external_users"),
            control("INFRA-05", Layer::Infrastructure, Production, "always"),
            control(
                "ORG-06",
                Layer::Organizational,
                Production,
                "external_users OR high_impact OR personal_data",
            ),
        ],
        pull_forward: vec![
            rule("R1", "personal_data", &[("DATA-06", Prototype)]),
            rule(
                "R2",
                "sensitive_data",
                &[("DATA-05", Prototype), ("INFRA-05", Prototype)],
            ),
            rule("R3", "external_users", &[("APP-05", Prototype)]),
            rule("R4", "public_users", &[("APP-14", Production)]),
            rule(
                "R5",
                "high_impact",
                &[
                    ("ORG-06", Prototype),
                    ("DATA-14", Production),
                    ("MODEL-12", Production),
                ],
            ),
            rule(
                "R6",
                "full_autonomy",
                &[("MODEL-12", Production), ("APP-12", Production)],
            ),
            rule(
                "R7",
                "persistent_memory AND external_users",
                &[("APP-12", Production)],
            ),
        ],
    }
}

fn plain() -> Attributes {
    Attributes {
        ai_type: AiType::Predictive,
        ..Attributes::default()
    }
}

fn min_phase(a: &Attributes, id: &str) -> (bool, Phase, Vec<String>) {
    let c = catalog();
    let d = applicability(a, c.control(id).expect("control"), &c.pull_forward);
    (d.applies, d.effective_min_phase, d.pulled_forward_by)
}

#[test]
fn non_applicable_controls_say_why() {
    let c = catalog();
    let d = applicability(&plain(), c.control("APP-01").expect("c"), &c.pull_forward);
    assert!(!d.applies);
    assert_eq!(
        d.reason,
        "Not applicable: applies only when the workload is generative; here AI type: Predictive."
    );
    let d = applicability(&plain(), c.control("ORG-06").expect("c"), &c.pull_forward);
    assert!(
        d.reason.contains("user exposure: Internal users")
            && d.reason.contains("personal data: No")
    );
    let d = applicability(&plain(), c.control("DATA-05").expect("c"), &c.pull_forward);
    assert_eq!(d.reason, "Applies to every workload.");
}

#[test]
fn r1_personal_data_pulls_data_06_to_prototype() {
    assert!(!min_phase(&plain(), "DATA-06").0);
    let a = Attributes {
        processes_personal_data: PersonalData::Yes,
        ..plain()
    };
    assert_eq!(
        min_phase(&a, "DATA-06"),
        (true, Phase::Prototype, vec!["R1".into()])
    );
}

#[test]
fn r2_sensitive_data_pulls_access_and_network_controls() {
    assert_eq!(min_phase(&plain(), "DATA-05").1, Phase::Production);
    let a = Attributes {
        data_sensitivity: DataSensitivity::Confidential,
        ..plain()
    };
    assert_eq!(min_phase(&a, "DATA-05").1, Phase::Prototype);
    assert_eq!(min_phase(&a, "INFRA-05").1, Phase::Prototype);
    let r = Attributes {
        data_sensitivity: DataSensitivity::Restricted,
        ..plain()
    };
    assert_eq!(min_phase(&r, "INFRA-05").2, vec!["R2".to_string()]);
}

#[test]
fn r3_and_r4_external_and_public_users() {
    let customers = Attributes {
        user_exposure: UserExposure::Customers,
        ..plain()
    };
    assert_eq!(min_phase(&customers, "APP-05").1, Phase::Prototype);
    assert_eq!(
        min_phase(&customers, "APP-14").1,
        Phase::Scale,
        "R4 needs the public"
    );
    let public = Attributes {
        user_exposure: UserExposure::Public,
        ..plain()
    };
    assert_eq!(
        min_phase(&public, "APP-14"),
        (true, Phase::Production, vec!["R4".into()])
    );
}

#[test]
fn r5_high_impact_pulls_three_controls() {
    let a = Attributes {
        decision_impact: DecisionImpact::Consequential,
        ..plain()
    };
    assert_eq!(min_phase(&a, "ORG-06").1, Phase::Prototype);
    assert_eq!(
        min_phase(&a, "DATA-14"),
        (true, Phase::Production, vec!["R5".into()])
    );
    assert_eq!(min_phase(&a, "MODEL-12").1, Phase::Production);
}

#[test]
fn r6_and_r7_autonomy_and_memory() {
    let auto = Attributes {
        autonomy_level: AutonomyLevel::Autonomous,
        ..plain()
    };
    assert_eq!(
        min_phase(&auto, "APP-12"),
        (true, Phase::Production, vec!["R6".into()])
    );
    assert_eq!(min_phase(&auto, "MODEL-12").2, vec!["R6".to_string()]);
    let memory_internal = Attributes {
        persistent_memory: true,
        ..plain()
    };
    assert_eq!(
        min_phase(&memory_internal, "APP-12").1,
        Phase::Scale,
        "R7 needs external users"
    );
    let memory_external = Attributes {
        user_exposure: UserExposure::Customers,
        ..memory_internal
    };
    let (applies, phase, by) = min_phase(&memory_external, "APP-12");
    assert_eq!(
        (applies, phase, by),
        (true, Phase::Production, vec!["R7".into()])
    );
    let both = Attributes {
        autonomy_level: AutonomyLevel::Autonomous,
        ..memory_external
    };
    assert_eq!(
        min_phase(&both, "APP-12").2,
        vec!["R6".to_string(), "R7".to_string()]
    );
    let c = catalog();
    let d = applicability(&both, c.control("APP-12").expect("c"), &c.pull_forward);
    assert!(
        d.reason
            .contains("Required from production instead of scale by pull-forward rule R6"),
        "{}",
        d.reason
    );
}

#[test]
fn readiness_lists_what_the_next_phase_adds_and_prohibited_blocks() {
    let c = catalog();
    let r = readiness(&plain(), Phase::Prototype, &c).expect("has a next phase");
    assert_eq!(r.next, Phase::Production);
    assert_eq!(r.added, vec!["DATA-05", "APP-05", "INFRA-05"]);
    assert_eq!(r.blocked_by, None);
    assert!(readiness(&plain(), Phase::Scale, &c).is_none());
    let banned = Attributes {
        eu_ai_act_class: EuAiActClass::Prohibited,
        ..plain()
    };
    assert!(readiness(&banned, Phase::Prototype, &c)
        .and_then(|r| r.blocked_by)
        .is_some());
}

fn any_attributes() -> impl Strategy<Value = Attributes> {
    fn one<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(all)
    }
    (
        (
            one(ModelSource::ALL),
            one(Hosting::ALL),
            one(AiType::ALL),
            one(DataConnectivity::ALL),
            one(AutonomyLevel::ALL),
            any::<bool>(),
        ),
        (
            one(UserExposure::ALL),
            one(PersonalData::ALL),
            one(DataSensitivity::ALL),
            one(DecisionImpact::ALL),
            one(EuAiActClass::ALL),
            one(EuRole::ALL),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((ms, h, t, dc, al, pm), (ue, pd, ds, di, eu, er, mt))| Attributes {
                model_source: ms,
                hosting: h,
                ai_type: t,
                data_connectivity: dc,
                autonomy_level: al,
                persistent_memory: pm,
                user_exposure: ue,
                processes_personal_data: pd,
                data_sensitivity: ds,
                decision_impact: di,
                eu_ai_act_class: eu,
                eu_role: er,
                multi_tenant: mt,
            },
        )
}

proptest! {
    #[test]
    fn phases_compound(a in any_attributes()) {
        let c = catalog();
        let ids = |p| required(&a, p, &c).iter().map(|c| c.id.clone()).collect::<std::collections::BTreeSet<_>>();
        let (proto, prod, scale) = (ids(Phase::Prototype), ids(Phase::Production), ids(Phase::Scale));
        prop_assert!(proto.is_subset(&prod) && prod.is_subset(&scale));
    }

    #[test]
    fn pull_forward_only_lowers(a in any_attributes()) {
        let c = catalog();
        for control in &c.controls {
            let d = applicability(&a, control, &c.pull_forward);
            prop_assert!(d.effective_min_phase <= control.min_phase);
            prop_assert_eq!(d.applies, control.applies_when.holds(&a));
            prop_assert!(!d.reason.is_empty());
        }
    }
}
