//! `applies_when` conditions: condition codes (catalog-design §3.1) joined with AND / OR and
//! parentheses (AND binds tighter). Parsed from catalog text, evaluated over attributes, and
//! explained in words when they do not hold.

use super::attributes::*;
use super::Attributes;
use crate::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// A named test over a workload's attributes.
    ConditionCode {
        Always => ("always", "every workload"),
        Genai => ("genai", "is generative"),
        Predictive => ("predictive", "is predictive"),
        PersonalData => ("personal_data", "processes personal data"),
        Rag => ("rag", "connects to enterprise data (RAG, search, tools)"),
        Agentic => ("agentic", "uses tools (autonomy level 1 or more)"),
        AgentActions => ("agent_actions", "acts through tools with side effects (autonomy level 2 or more)"),
        MultiAgentOrMemory => ("multi_agent_or_memory", "runs autonomous or multi-agent workflows, or keeps persistent memory"),
        ExternalUsers => ("external_users", "is used by customers or the public"),
        ThirdPartyModel => ("third_party_model", "depends on someone else's model (scopes 1–4)"),
        HostsWeights => ("hosts_weights", "hosts model weights itself"),
        CustomizesModel => ("customizes_model", "fine-tunes or trains its model (scopes 4–5)"),
        HighImpact => ("high_impact", "makes consequential decisions or is EU AI Act high-risk"),
        EuHighRisk => ("eu_high_risk", "is high-risk under the EU AI Act"),
        MultiTenant => ("multi_tenant", "serves several tenants whose data must not mix"),
        // Trigger codes used by pull-forward rules (catalog-design §4.2).
        SensitiveData => ("sensitive_data", "handles confidential or restricted data"),
        PublicUsers => ("public_users", "is used by the anonymous public"),
        FullAutonomy => ("full_autonomy", "runs autonomous or multi-agent workflows (autonomy level 3)"),
        PersistentMemory => ("persistent_memory", "keeps persistent memory"),
    }
);

impl ConditionCode {
    /// Whether the code holds for these attributes.
    pub fn holds(self, a: &Attributes) -> bool {
        use ConditionCode as C;
        let autonomy = a.autonomy_level as u8; // variants are declared in level order
        match self {
            C::Always => true,
            C::Genai => matches!(a.ai_type, AiType::Generative | AiType::Both),
            C::Predictive => matches!(a.ai_type, AiType::Predictive | AiType::Both),
            C::PersonalData => a.processes_personal_data != PersonalData::No,
            C::Rag => a.data_connectivity == DataConnectivity::Connects,
            C::Agentic => autonomy >= 1,
            C::AgentActions => autonomy >= 2,
            C::MultiAgentOrMemory => autonomy == 3 || a.persistent_memory,
            C::ExternalUsers => a.user_exposure != UserExposure::Internal,
            C::ThirdPartyModel => a.model_source != ModelSource::SelfTrained,
            C::HostsWeights => a.hosting == Hosting::SelfHosted,
            C::CustomizesModel => {
                matches!(
                    a.model_source,
                    ModelSource::FineTuned | ModelSource::SelfTrained
                )
            }
            C::HighImpact => {
                a.decision_impact == DecisionImpact::Consequential
                    || a.eu_ai_act_class == EuAiActClass::HighRisk
            }
            C::EuHighRisk => a.eu_ai_act_class == EuAiActClass::HighRisk,
            C::MultiTenant => a.multi_tenant,
            C::SensitiveData => matches!(
                a.data_sensitivity,
                DataSensitivity::Confidential | DataSensitivity::Restricted
            ),
            C::PublicUsers => a.user_exposure == UserExposure::Public,
            C::FullAutonomy => autonomy == 3,
            C::PersistentMemory => a.persistent_memory,
        }
    }

    /// The attribute values this code looks at, as a person reads them.
    pub fn facts(self, a: &Attributes) -> String {
        use ConditionCode as C;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        match self {
            C::Always => "always".into(),
            C::Genai | C::Predictive => format!("AI type: {}", a.ai_type),
            C::PersonalData => format!("personal data: {}", a.processes_personal_data),
            C::Rag => format!("data connectivity: {}", a.data_connectivity),
            C::Agentic | C::AgentActions | C::FullAutonomy => {
                format!("autonomy level: {}", a.autonomy_level)
            }
            C::MultiAgentOrMemory => format!(
                "autonomy level: {}; persistent memory: {}",
                a.autonomy_level,
                yes_no(a.persistent_memory)
            ),
            C::ExternalUsers | C::PublicUsers => format!("user exposure: {}", a.user_exposure),
            C::ThirdPartyModel | C::CustomizesModel => format!("model source: {}", a.model_source),
            C::HostsWeights => format!("hosting: {}", a.hosting),
            C::HighImpact => format!(
                "decision impact: {}; EU AI Act class: {}",
                a.decision_impact, a.eu_ai_act_class
            ),
            C::EuHighRisk => format!("EU AI Act class: {}", a.eu_ai_act_class),
            C::MultiTenant => format!("multi-tenant: {}", yes_no(a.multi_tenant)),
            C::SensitiveData => format!("data sensitivity: {}", a.data_sensitivity),
            C::PersistentMemory => format!("persistent memory: {}", yes_no(a.persistent_memory)),
        }
    }
}

/// A parsed `applies_when` expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Condition {
    Code(ConditionCode),
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

impl Condition {
    /// Parses `genai`, `rag OR customizes_model`, `(a OR b) AND c`…
    pub fn parse(text: &str) -> Result<Condition, String> {
        let spaced = text.replace('(', " ( ").replace(')', " ) ");
        let tokens: Vec<&str> = spaced.split_whitespace().collect();
        if tokens.is_empty() {
            return Err("the condition is empty".into());
        }
        let mut pos = 0;
        let c = parse_or(&tokens, &mut pos)?;
        match tokens.get(pos) {
            None => Ok(c),
            Some(t) => Err(format!("unexpected “{t}”")),
        }
    }

    /// Whether the condition holds.
    pub fn holds(&self, a: &Attributes) -> bool {
        match self {
            Condition::Code(c) => c.holds(a),
            Condition::All(cs) => cs.iter().all(|c| c.holds(a)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(a)),
        }
    }

    /// Every code the condition mentions, in order, without repeats.
    pub fn codes(&self) -> Vec<ConditionCode> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<ConditionCode>) {
        match self {
            Condition::Code(c) if !out.contains(c) => out.push(*c),
            Condition::Code(_) => {}
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.collect(out)),
        }
    }

    /// The condition in words, e.g. "generative AI, or connects to enterprise data".
    pub fn describe(&self) -> String {
        match self {
            Condition::Code(c) => c.label().to_string(),
            Condition::All(cs) => join(cs, " and "),
            Condition::Any(cs) => join(cs, " or "),
        }
    }
}

fn join(cs: &[Condition], sep: &str) -> String {
    cs.iter()
        .map(|c| match c {
            Condition::Code(_) => c.describe(),
            _ => format!("({})", c.describe()),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn parse_or(t: &[&str], pos: &mut usize) -> Result<Condition, String> {
    let mut parts = vec![parse_and(t, pos)?];
    while t.get(*pos).is_some_and(|w| w.eq_ignore_ascii_case("or")) {
        *pos += 1;
        parts.push(parse_and(t, pos)?);
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Condition::Any(parts)
    })
}

fn parse_and(t: &[&str], pos: &mut usize) -> Result<Condition, String> {
    let mut parts = vec![parse_atom(t, pos)?];
    while t.get(*pos).is_some_and(|w| w.eq_ignore_ascii_case("and")) {
        *pos += 1;
        parts.push(parse_atom(t, pos)?);
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Condition::All(parts)
    })
}

fn parse_atom(t: &[&str], pos: &mut usize) -> Result<Condition, String> {
    let word = t.get(*pos).ok_or("the condition ends too early")?;
    *pos += 1;
    if *word == "(" {
        let inner = parse_or(t, pos)?;
        if t.get(*pos) != Some(&")") {
            return Err("a “(” is not closed".into());
        }
        *pos += 1;
        return Ok(inner);
    }
    ConditionCode::from_code(word)
        .map(Condition::Code)
        .ok_or_else(|| {
            let known: Vec<&str> = ConditionCode::ALL.iter().map(|c| c.code()).collect();
            format!(
                "unknown condition code “{word}” (known: {})",
                known.join(", ")
            )
        })
}

impl TryFrom<String> for Condition {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Condition::parse(&s)
    }
}

impl From<Condition> for String {
    fn from(c: Condition) -> String {
        c.to_string()
    }
}

impl std::fmt::Display for Condition {
    /// Writes the condition back in catalog syntax.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let write_all = |f: &mut std::fmt::Formatter<'_>, cs: &[Condition], op: &str| {
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                match c {
                    Condition::Code(_) => write!(f, "{c}")?,
                    _ => write!(f, "({c})")?,
                }
            }
            Ok(())
        };
        match self {
            Condition::Code(c) => f.write_str(c.code()),
            Condition::All(cs) => write_all(f, cs, "AND"),
            Condition::Any(cs) => write_all(f, cs, "OR"),
        }
    }
}

#[cfg(test)]
mod tests;
