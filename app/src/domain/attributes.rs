//! Workload attributes that drive which controls apply (catalog-design §3).

use crate::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// Who owns the model and its data (AWS Generative AI Scoping Matrix, scopes 1–5).
    ModelSource {
        ConsumerApp => ("consumer_app", "Consumer app (scope 1)"),
        EnterpriseApp => ("enterprise_app", "Enterprise app (scope 2)"),
        PretrainedApi => ("pretrained_api", "Pre-trained model API (scope 3)"),
        OpenWeights => ("open_weights", "Open-weights model as is (scope 3)"),
        FineTuned => ("fine_tuned", "Fine-tuned model (scope 4)"),
        SelfTrained => ("self_trained", "Self-trained model (scope 5)"),
    }
);

coded_enum!(
    /// Who runs the model: who protects weights, runtime and patching.
    Hosting {
        ProviderManaged => ("provider_managed", "Provider-managed"),
        SelfHosted => ("self_hosted", "Self-hosted"),
    }
);

coded_enum!(
    /// What the workload does with the model, not which model family it uses.
    AiType {
        Generative => ("generative", "Generative"),
        Predictive => ("predictive", "Predictive"),
        Both => ("both", "Generative and predictive"),
    }
);

coded_enum!(
    /// Whether the workload reaches enterprise data (RAG, search, tools).
    DataConnectivity {
        None => ("none", "None (answers from the model only)"),
        Connects => ("connects", "Connects to data (RAG, search, tools)"),
    }
);

coded_enum!(
    /// How far the workload may act on its own.
    AutonomyLevel {
        AnswersOnly => ("0", "0 — answers only"),
        ReadOnlyTools => ("1", "1 — read-only tools"),
        SideEffectTools => ("2", "2 — tools with side effects"),
        Autonomous => ("3", "3 — autonomous workflows or multi-agent"),
    }
);

coded_enum!(
    /// Who interacts with the system itself.
    UserExposure {
        Internal => ("internal", "Internal users"),
        Customers => ("customers", "Customers (authenticated)"),
        Public => ("public", "Public (anonymous)"),
    }
);

coded_enum!(
    /// Whether personal data is processed; special categories count as personal data everywhere.
    PersonalData {
        No => ("false", "No"),
        Yes => ("true", "Yes"),
        SpecialCategory => ("special_category", "Yes, special category (health, biometric…)"),
    }
);

coded_enum!(
    /// The highest classification of data the workload touches.
    DataSensitivity {
        Public => ("public", "Public"),
        Internal => ("internal", "Internal"),
        Confidential => ("confidential", "Confidential"),
        Restricted => ("restricted", "Restricted"),
    }
);

coded_enum!(
    /// What the output decides.
    DecisionImpact {
        Informational => ("informational", "Informational"),
        Assistive => ("assistive", "Assistive (a person decides each case)"),
        Consequential => ("consequential", "Consequential (decides or acts on its own)"),
    }
);

coded_enum!(
    /// EU AI Act risk class.
    EuAiActClass {
        OutOfScope => ("out_of_scope", "Out of scope"),
        Minimal => ("minimal", "Minimal risk"),
        Transparency => ("transparency", "Transparency obligations"),
        HighRisk => ("high_risk", "High risk"),
        Prohibited => ("prohibited", "Prohibited practice"),
    }
);

coded_enum!(
    /// The organization's role under the EU AI Act.
    EuRole {
        Provider => ("provider", "Provider"),
        Deployer => ("deployer", "Deployer"),
        Both => ("both", "Provider and deployer"),
    }
);

/// The full attribute vector of a workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    pub model_source: ModelSource,
    pub hosting: Hosting,
    pub ai_type: AiType,
    pub data_connectivity: DataConnectivity,
    pub autonomy_level: AutonomyLevel,
    pub persistent_memory: bool,
    pub user_exposure: UserExposure,
    pub processes_personal_data: PersonalData,
    pub data_sensitivity: DataSensitivity,
    pub decision_impact: DecisionImpact,
    pub eu_ai_act_class: EuAiActClass,
    pub eu_role: EuRole,
    pub multi_tenant: bool,
}

impl Default for Attributes {
    /// The least risky vector: what a new form starts from.
    fn default() -> Self {
        Attributes {
            model_source: ModelSource::PretrainedApi,
            hosting: Hosting::ProviderManaged,
            ai_type: AiType::Generative,
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
}

impl Attributes {
    /// Bought apps (scopes 1–2) run at the vendor: they cannot be self-hosted.
    pub fn hosting_conflict(&self) -> Option<&'static str> {
        let bought = matches!(
            self.model_source,
            ModelSource::ConsumerApp | ModelSource::EnterpriseApp
        );
        (bought && self.hosting == Hosting::SelfHosted)
            .then_some("a consumer or enterprise app is run by its vendor; choose provider-managed")
    }
}
