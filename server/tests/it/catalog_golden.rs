//! Golden tests: the rules over the 72-control fixture made from catalog-design Appendix A with
//! the §4.2 pull-forward rules, for the worked examples of catalog-design §7. Each example gives
//! its full attribute vector; the expected ids are the §7 table's ranges, computed there
//! independently of this code.

use app::domain::applicability::{count_by_layer, required};
use app::domain::attributes::*;
use app::domain::catalog::Catalog;
use app::domain::{Attributes, Phase};
use std::collections::BTreeSet;

const FIXTURE: &str = include_str!("../fixtures/appendix-a.yaml");

fn fixture() -> Catalog {
    strata_server::catalog::parse(FIXTURE).expect("the fixture is a valid catalog")
}

/// Parses `key=value, …` as written in §7 into attributes, through the same form checks a
/// person's input goes through.
fn vector(text: &str) -> Attributes {
    use app::domain::workload_form::WorkloadForm;
    let mut f = WorkloadForm::default();
    for pair in text.split(',') {
        let (k, v) = pair.trim().split_once('=').expect("key=value");
        assert!(f.set_attribute(k, v), "unknown attribute {k}");
    }
    f.checked_attributes().expect("a valid vector")
}

/// Expands "DATA 01-06, 14; MODEL 01-03" into ids.
fn ids(spec: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for group in spec.split(';') {
        let (prefix, items) = group.trim().split_once(' ').expect("PREFIX items");
        for item in items.split(',') {
            let item = item.trim();
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            let (a, b): (u32, u32) = (a.parse().expect("number"), b.parse().expect("number"));
            for n in a..=b {
                out.insert(format!("{prefix}-{n:02}"));
            }
        }
    }
    out
}

fn check(attrs: &str, phase: Phase, total: usize, by_layer: [usize; 5], expected: &str) {
    let catalog = fixture();
    let a = vector(attrs);
    let got = required(&a, phase, &catalog);
    let layers: Vec<_> = got.iter().map(|c| c.layer).collect();
    let got_ids: BTreeSet<String> = got.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        got_ids,
        ids(expected),
        "required ids for {attrs} at {phase}"
    );
    assert_eq!(got.len(), total, "total for {attrs} at {phase}");
    assert_eq!(
        count_by_layer(&layers),
        by_layer,
        "D/M/A/I/O for {attrs} at {phase}"
    );
}

const A: &str = "model_source=pretrained_api, hosting=provider_managed, ai_type=generative, data_connectivity=connects, autonomy_level=0, persistent_memory=false, user_exposure=internal, processes_personal_data=true, data_sensitivity=confidential, decision_impact=informational, eu_ai_act_class=transparency, eu_role=both, multi_tenant=false";
const B: &str = "model_source=pretrained_api, hosting=provider_managed, ai_type=generative, data_connectivity=connects, autonomy_level=2, persistent_memory=true, user_exposure=customers, processes_personal_data=true, data_sensitivity=confidential, decision_impact=assistive, eu_ai_act_class=transparency, eu_role=both, multi_tenant=false";
const BC: &str = "model_source=pretrained_api, hosting=provider_managed, ai_type=generative, data_connectivity=connects, autonomy_level=2, persistent_memory=true, user_exposure=customers, processes_personal_data=true, data_sensitivity=confidential, decision_impact=consequential, eu_ai_act_class=transparency, eu_role=both, multi_tenant=false";
const C: &str = "model_source=fine_tuned, hosting=self_hosted, ai_type=predictive, data_connectivity=none, autonomy_level=0, persistent_memory=false, user_exposure=internal, processes_personal_data=true, data_sensitivity=confidential, decision_impact=consequential, eu_ai_act_class=high_risk, eu_role=both, multi_tenant=false";
const CX: &str = "model_source=fine_tuned, hosting=self_hosted, ai_type=predictive, data_connectivity=none, autonomy_level=0, persistent_memory=false, user_exposure=customers, processes_personal_data=true, data_sensitivity=confidential, decision_impact=consequential, eu_ai_act_class=high_risk, eu_role=both, multi_tenant=false";
const D: &str = "model_source=consumer_app, hosting=provider_managed, ai_type=generative, data_connectivity=none, autonomy_level=0, persistent_memory=false, user_exposure=internal, processes_personal_data=false, data_sensitivity=internal, decision_impact=informational, eu_ai_act_class=transparency, eu_role=deployer, multi_tenant=false";

#[test]
fn the_fixture_holds_all_72_controls() {
    let c = fixture();
    assert_eq!(c.controls.len(), 72);
    assert_eq!(c.pull_forward.len(), 7);
}

#[test]
fn example_a_hr_assistant_at_prototype_and_production() {
    check(
        A,
        Phase::Prototype,
        21,
        [6, 3, 3, 5, 4],
        "DATA 01-06; MODEL 01-03; APP 01-03; INFRA 01-05; ORG 01-04",
    );
    check(
        A,
        Phase::Production,
        39,
        [10, 6, 6, 8, 9],
        "DATA 01-10; MODEL 01-04, 06, 07; APP 01-03, 05, 07, 09; INFRA 01-05, 07-09; ORG 01-09",
    );
}

#[test]
fn example_b_support_agent_at_production_and_scale() {
    check(
        B,
        Phase::Production,
        45,
        [10, 6, 11, 8, 10],
        "DATA 01-10; MODEL 01-04, 06, 07; APP 01-10, 12; INFRA 01-05, 07-09; ORG 01-10",
    );
    check(
        B,
        Phase::Scale,
        63,
        [13, 9, 14, 13, 14],
        "DATA 01-13; MODEL 01-04, 06, 07, 11-13; APP 01-14; INFRA 01-05, 07-14; ORG 01-10, 12-15",
    );
}

#[test]
fn example_b_with_consequential_refunds() {
    check(
        BC,
        Phase::Production,
        48,
        [11, 8, 11, 8, 10],
        "DATA 01-10, 14; MODEL 01-04, 06, 07, 10, 12; APP 01-10, 12; INFRA 01-05, 07-09; ORG 01-10",
    );
    check(
        BC,
        Phase::Scale,
        65,
        [14, 10, 14, 13, 14],
        "DATA 01-14; MODEL 01-04, 06, 07, 10-13; APP 01-14; INFRA 01-05, 07-14; ORG 01-10, 12-15",
    );
}

#[test]
fn example_c_credit_scorer_internal_and_customer_facing() {
    check(
        C,
        Phase::Production,
        42,
        [9, 11, 2, 9, 11],
        "DATA 01, 02, 04-08, 10, 14; MODEL 01-10, 12; APP 05, 08; INFRA 01-09; ORG 01-11",
    );
    check(
        CX,
        Phase::Production,
        43,
        [9, 11, 3, 9, 11],
        "DATA 01, 02, 04-08, 10, 14; MODEL 01-10, 12; APP 05, 06, 08; INFRA 01-09; ORG 01-11",
    );
}

#[test]
fn example_d_consumer_chat_app() {
    check(
        D,
        Phase::Production,
        32,
        [5, 6, 5, 8, 8],
        "DATA 01-05; MODEL 01-04, 06, 07; APP 01-03, 05, 07; INFRA 01-05, 07-09; ORG 01-05, 07-09",
    );
}

#[test]
fn example_vectors_are_complete() {
    for v in [A, B, BC, C, CX, D] {
        assert_eq!(
            v.split(',').count(),
            13,
            "all thirteen attributes are written out"
        );
    }
    let a = vector(D);
    assert_eq!(
        (a.model_source, a.eu_role),
        (ModelSource::ConsumerApp, EuRole::Deployer)
    );
}
