use super::*;

fn base() -> Attributes {
    Attributes {
        model_source: ModelSource::SelfTrained,
        hosting: Hosting::ProviderManaged,
        ai_type: AiType::Predictive,
        data_connectivity: DataConnectivity::None,
        autonomy_level: AutonomyLevel::AnswersOnly,
        persistent_memory: false,
        user_exposure: UserExposure::Internal,
        processes_personal_data: PersonalData::No,
        data_sensitivity: DataSensitivity::Internal,
        decision_impact: DecisionImpact::Informational,
        eu_ai_act_class: EuAiActClass::Minimal,
        eu_role: EuRole::Deployer,
        multi_tenant: false,
    }
}

/// For every code: false on the base vector, true after the listed change.
#[test]
fn each_code_turns_on_with_its_attribute() {
    type Change = fn(&mut Attributes);
    let cases: Vec<(ConditionCode, Change)> = vec![
        (ConditionCode::Genai, |a| a.ai_type = AiType::Generative),
        (ConditionCode::PersonalData, |a| {
            a.processes_personal_data = PersonalData::SpecialCategory
        }),
        (ConditionCode::Rag, |a| {
            a.data_connectivity = DataConnectivity::Connects
        }),
        (ConditionCode::Agentic, |a| {
            a.autonomy_level = AutonomyLevel::ReadOnlyTools
        }),
        (ConditionCode::AgentActions, |a| {
            a.autonomy_level = AutonomyLevel::SideEffectTools
        }),
        (ConditionCode::MultiAgentOrMemory, |a| {
            a.persistent_memory = true
        }),
        (ConditionCode::ExternalUsers, |a| {
            a.user_exposure = UserExposure::Customers
        }),
        (ConditionCode::ThirdPartyModel, |a| {
            a.model_source = ModelSource::OpenWeights
        }),
        (ConditionCode::HostsWeights, |a| {
            a.hosting = Hosting::SelfHosted
        }),
        (ConditionCode::HighImpact, |a| {
            a.eu_ai_act_class = EuAiActClass::HighRisk
        }),
        (ConditionCode::EuHighRisk, |a| {
            a.eu_ai_act_class = EuAiActClass::HighRisk
        }),
        (ConditionCode::MultiTenant, |a| a.multi_tenant = true),
        (ConditionCode::SensitiveData, |a| {
            a.data_sensitivity = DataSensitivity::Restricted
        }),
        (ConditionCode::PublicUsers, |a| {
            a.user_exposure = UserExposure::Public
        }),
        (ConditionCode::FullAutonomy, |a| {
            a.autonomy_level = AutonomyLevel::Autonomous
        }),
        (ConditionCode::PersistentMemory, |a| {
            a.persistent_memory = true
        }),
    ];
    for (code, change) in cases {
        let mut a = base();
        assert!(!code.holds(&a), "{code:?} is off on the base vector");
        change(&mut a);
        assert!(code.holds(&a), "{code:?} turns on");
    }
    let mut a = base();
    assert!(
        ConditionCode::Predictive.holds(&a)
            && !ConditionCode::CustomizesModel.holds(&{
                a.model_source = ModelSource::PretrainedApi;
                a.clone()
            })
    );
    a.model_source = ModelSource::FineTuned;
    assert!(ConditionCode::CustomizesModel.holds(&a));
    a.ai_type = AiType::Both;
    assert!(ConditionCode::Genai.holds(&a) && ConditionCode::Predictive.holds(&a));
    a.decision_impact = DecisionImpact::Consequential;
    assert!(ConditionCode::HighImpact.holds(&a) && !ConditionCode::EuHighRisk.holds(&a));
    a.autonomy_level = AutonomyLevel::Autonomous;
    assert!(ConditionCode::MultiAgentOrMemory.holds(&a) && ConditionCode::Agentic.holds(&a));
    assert!(ConditionCode::Always.holds(&base()));
}

#[test]
fn expressions_parse_with_and_binding_tighter() {
    let c = Condition::parse("rag OR customizes_model AND hosts_weights").expect("parses");
    assert_eq!(
        c,
        Condition::Any(vec![
            Condition::Code(ConditionCode::Rag),
            Condition::All(vec![
                Condition::Code(ConditionCode::CustomizesModel),
                Condition::Code(ConditionCode::HostsWeights),
            ]),
        ])
    );
    assert_eq!(c.to_string(), "rag OR (customizes_model AND hosts_weights)");
    let p = Condition::parse("(rag or customizes_model) and hosts_weights").expect("parses");
    assert_eq!(Condition::parse(&p.to_string()), Ok(p));
}

#[test]
fn bad_expressions_say_what_is_wrong() {
    assert!(Condition::parse("").is_err());
    assert!(Condition::parse("genai AND").is_err());
    assert!(Condition::parse("(genai")
        .expect_err("refused")
        .contains("not closed"));
    assert!(Condition::parse("gen_ai")
        .expect_err("refused")
        .contains("gen_ai"));
    assert!(Condition::parse("genai rag")
        .expect_err("refused")
        .contains("rag"));
}
