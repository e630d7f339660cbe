//! The 13 workload attributes described once: code, label, help text, options, and how to read
//! and set the value. The form, its validation, the attribute table of the workload page, the
//! demo data and the golden-test vectors all go through this table.

use super::attributes::*;
use super::codes::Coded;

/// One attribute of a workload.
pub struct AttributeField {
    /// The field's code (`ai_type`): the form field, the flash and the error key.
    pub code: &'static str,
    pub label: &'static str,
    /// What to choose, in a sentence (shown under the field).
    pub help: &'static str,
    /// `(code, label)` of every value, in the order forms list them.
    pub options: fn() -> Vec<(&'static str, &'static str)>,
    /// The `(code, label)` of this attribute's value in a vector.
    pub value: fn(&Attributes) -> (&'static str, &'static str),
    /// Sets this attribute from a code; false when the code is not one of its values.
    pub set: fn(&mut Attributes, &str) -> bool,
}

fn options<T: Coded>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), v.label())).collect()
}

macro_rules! field {
    ($field:ident: $ty:ty, $label:literal, $help:literal) => {
        AttributeField {
            code: stringify!($field),
            label: $label,
            help: $help,
            options: options::<$ty>,
            value: |a| (Coded::code(a.$field), Coded::label(a.$field)),
            set: |a, code| match <$ty as Coded>::from_code(code) {
                Some(v) => {
                    a.$field = v;
                    true
                }
                None => false,
            },
        }
    };
}

/// Every attribute, in the order the form and the workload page list them.
pub const ATTRIBUTE_FIELDS: [AttributeField; 13] = [
    field!(model_source: ModelSource, "Model source",
        "Who owns the model and its data; when two fit, take the higher scope."),
    field!(hosting: Hosting, "Hosting",
        "Who runs the model and protects its weights, runtime and patching."),
    field!(ai_type: AiType, "AI type",
        "What the workload does with the model: produce content, or score and classify."),
    field!(data_connectivity: DataConnectivity, "Data connectivity",
        "Whether it reaches enterprise data through retrieval, search or tools."),
    field!(autonomy_level: AutonomyLevel, "Autonomy level",
        "How far it may act on its own."),
    field!(persistent_memory: bool, "Persistent memory",
        "Whether it remembers across sessions."),
    field!(user_exposure: UserExposure, "User exposure",
        "Who interacts with the system itself, not who is affected by its decisions."),
    field!(processes_personal_data: PersonalData, "Processes personal data",
        "Special categories (health, biometric…) count as personal data everywhere."),
    field!(data_sensitivity: DataSensitivity, "Data sensitivity",
        "The highest classification of data it touches."),
    field!(decision_impact: DecisionImpact, "Decision impact",
        "Assistive when a person decides every case; consequential when it decides or acts alone."),
    field!(eu_ai_act_class: EuAiActClass, "EU AI Act class",
        "A prohibited practice is flagged and cannot be promoted."),
    field!(eu_role: EuRole, "EU AI Act role",
        "The organization's role for this system under the EU AI Act."),
    field!(multi_tenant: bool, "Multi-tenant",
        "One deployment serves several customers whose data must not mix."),
];

/// The attribute with this code.
pub fn attribute_field(code: &str) -> Option<&'static AttributeField> {
    ATTRIBUTE_FIELDS.iter().find(|f| f.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_of_every_attribute_sets_and_reads_back() {
        for f in &ATTRIBUTE_FIELDS {
            assert!(
                !(f.options)().is_empty() && !f.help.is_empty(),
                "{}",
                f.code
            );
            for (code, label) in (f.options)() {
                let mut a = Attributes::default();
                assert!((f.set)(&mut a, code), "{} = {code}", f.code);
                assert_eq!((f.value)(&a), (code, label));
            }
            assert!(!(f.set)(&mut Attributes::default(), "no such value"));
        }
    }

    #[test]
    fn codes_are_unique_and_found() {
        let mut codes: Vec<_> = ATTRIBUTE_FIELDS.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ATTRIBUTE_FIELDS.len());
        assert!(attribute_field("ai_type").is_some() && attribute_field("name").is_none());
    }
}
