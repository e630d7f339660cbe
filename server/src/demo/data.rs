//! The demo organization: five teams, fifteen people, thirty workloads whose attributes fit their
//! purpose. Fixed data, so every run seeds the same organization.

/// A demo workload. `attributes` lists the 13 attribute codes in the order of
/// `ATTRIBUTE_FIELDS` (the form's order); `owners` are indexes into `PEOPLE` (members of the workload's team), primary first.
pub struct DemoWorkload {
    pub name: &'static str,
    pub team: usize,
    pub purpose: &'static str,
    pub phase: &'static str,
    pub owners: &'static [usize],
    pub attributes: &'static str,
    pub tags: &'static str,
    pub model: (&'static str, &'static str),
}

/// The order of codes in `DemoWorkload::attributes`: the form's attribute fields.
pub use app::domain::attribute_fields::ATTRIBUTE_FIELDS as ATTRIBUTE_ORDER;

pub const TEAMS: [&str; 5] = [
    "Customer Experience",
    "Risk & Fraud",
    "Platform ML",
    "People Analytics",
    "Marketing Intelligence",
];

/// Three people per team, in team order: (name, email).
pub const PEOPLE: [(&str, &str); 15] = [
    ("Amira Haddad", "amira.haddad@example.test"),
    ("Ben Okafor", "ben.okafor@example.test"),
    ("Chloé Martin", "chloe.martin@example.test"),
    ("Dmitri Volkov", "dmitri.volkov@example.test"),
    ("Elena Rossi", "elena.rossi@example.test"),
    ("Farid Rahman", "farid.rahman@example.test"),
    ("Grace Liu", "grace.liu@example.test"),
    ("Hiroshi Tanaka", "hiroshi.tanaka@example.test"),
    ("Inês Carvalho", "ines.carvalho@example.test"),
    ("Jonas Weber", "jonas.weber@example.test"),
    ("Kavya Iyer", "kavya.iyer@example.test"),
    ("Liam O'Brien", "liam.obrien@example.test"),
    ("Maya Cohen", "maya.cohen@example.test"),
    ("Nils Andersen", "nils.andersen@example.test"),
    ("Olivia Brown", "olivia.brown@example.test"),
];

/// The documented password of the demo people who have one (README), accepted only while the
/// server listens on loopback.
pub const DEMO_PASSWORD: &str = "strata-demo-password";

/// The roles of the demo people (indexes into `PEOPLE`): everyone not listed below contributes
/// to their own team; the first person of each team holds another role instead.
pub const SECURITY_LEADS: [usize; 2] = [0, 12];
pub const ADMINS: [usize; 1] = [3];
pub const ORGANIZATION_AUDITORS: [usize; 1] = [6];
/// (person, the team they audit).
pub const TEAM_AUDITORS: [(usize, usize); 1] = [(9, 3)];

/// The demo people who can sign in with `DEMO_PASSWORD`: a few of each role (security lead,
/// administrator, organization and team auditor, contributors of two teams).
pub const WITH_PASSWORD: [usize; 6] = [0, 3, 6, 9, 1, 4];

macro_rules! w {
    ($name:literal, $team:literal, $phase:literal, $owners:expr, $attrs:literal, $tags:literal, $model:expr, $purpose:literal) => {
        DemoWorkload {
            name: $name,
            team: $team,
            purpose: $purpose,
            phase: $phase,
            owners: $owners,
            attributes: $attrs,
            tags: $tags,
            model: $model,
        }
    };
}

pub const WORKLOADS: [DemoWorkload; 30] = [
    // Customer Experience
    w!("Support chatbot", 0, "production", &[0, 1],
       "pretrained_api provider_managed generative connects 1 false public true internal assistive transparency deployer true",
       "chatbot, support", ("claude-sonnet", "4.5"),
       "Answers visitors of the group's three retail brands' help centres about orders and returns, keeping each brand's data apart."),
    w!("Agent reply drafter", 0, "scale", &[1],
       "pretrained_api provider_managed generative connects 0 false internal true confidential assistive minimal deployer false",
       "support, drafting", ("gpt-4.1", "2025-04-14"),
       "Drafts replies for support agents, who edit and send every one themselves."),
    w!("Call summarizer", 0, "production", &[2, 0],
       "open_weights self_hosted generative none 0 false internal true confidential informational minimal deployer false",
       "speech, summaries", ("llama-3.1-8b-instruct", "3.1"),
       "Summarizes recorded support calls into case notes."),
    w!("Refund agent", 0, "prototype", &[0, 1, 2],
       "pretrained_api provider_managed generative connects 2 true customers true confidential consequential transparency deployer false",
       "agent, refunds", ("claude-sonnet", "4.5"),
       "Issues refunds of up to 50 EUR on its own when the order data supports the claim."),
    w!("Ticket sentiment scorer", 0, "prototype", &[1],
       "fine_tuned self_hosted predictive none 0 false internal true internal assistive minimal deployer false",
       "routing", ("distilbert-sentiment", "2.3"),
       "Scores the sentiment of incoming tickets so that upset customers are answered first."),
    w!("Voice of customer themes", 0, "prototype", &[2],
       "enterprise_app provider_managed generative none 0 false internal false internal informational minimal deployer false",
       "insights", ("copilot-enterprise", "2025.10"),
       "Groups survey comments into themes for the quarterly customer review."),
    // Risk & Fraud
    w!("Credit scorer", 1, "scale", &[3, 4],
       "self_trained self_hosted predictive none 0 false customers true restricted consequential high_risk provider false",
       "credit, regulated", ("credit-gbm", "7.2.0"),
       "Scores consumer credit applications; those below the cut-off are declined automatically."),
    w!("Card fraud detector", 1, "scale", &[4],
       "self_trained self_hosted predictive none 0 false internal true restricted consequential minimal provider false",
       "fraud, realtime", ("fraud-xgb", "12.1"),
       "Blocks card transactions it scores as fraudulent, in real time."),
    w!("AML alert triage", 1, "production", &[5, 3],
       "fine_tuned self_hosted predictive connects 0 false internal true restricted assistive high_risk provider false",
       "aml, regulated", ("aml-ranker", "3.0"),
       "Ranks anti-money-laundering alerts for investigators, who decide every case."),
    w!("Investigator copilot", 1, "prototype", &[3],
       "pretrained_api provider_managed generative connects 1 true internal special_category restricted assistive minimal deployer false",
       "copilot, investigations", ("claude-opus", "4.1"),
       "Answers investigators' questions over case files and transaction history, remembering each case."),
    w!("ID document forgery check", 1, "production", &[4, 5],
       "open_weights self_hosted predictive none 0 false customers special_category restricted assistive high_risk deployer false",
       "onboarding, kyc", ("vit-forgery", "1.4"),
       "Flags altered identity documents during onboarding for a person to review."),
    w!("Chargeback response writer", 1, "prototype", &[5],
       "pretrained_api provider_managed generative connects 0 false internal true confidential assistive minimal deployer false",
       "disputes", ("gpt-4.1", "2025-04-14"),
       "Drafts chargeback responses from the order's evidence for the disputes team."),
    // Platform ML
    w!("Code review assistant", 2, "scale", &[6],
       "enterprise_app provider_managed generative connects 1 false internal false confidential informational minimal deployer false",
       "engineering", ("copilot-enterprise", "2025.10"),
       "Comments on pull requests with likely bugs and security issues."),
    w!("Internal knowledge search", 2, "production", &[7, 6],
       "pretrained_api provider_managed generative connects 1 false internal false internal informational minimal deployer false",
       "rag, search", ("claude-haiku", "4.5"),
       "Answers staff questions from the wiki, linking the pages each answer comes from."),
    w!("Incident runbook agents", 2, "prototype", &[8, 7],
       "fine_tuned self_hosted generative connects 3 true internal false confidential consequential minimal provider false",
       "agent, operations", ("qwen2.5-coder-ft", "0.9"),
       "Several cooperating agents diagnose incidents and run restart runbooks on their own."),
    w!("Compute demand forecaster", 2, "production", &[6],
       "self_trained self_hosted predictive none 0 false internal false internal informational out_of_scope provider false",
       "forecasting", ("prophet-capacity", "2.0"),
       "Forecasts daily compute demand so that clusters are scaled ahead of time."),
    w!("Partner assistant API", 2, "production", &[7, 8],
       "pretrained_api provider_managed generative connects 1 false customers true confidential informational transparency provider true",
       "api, partners", ("claude-sonnet", "4.5"),
       "An assistant API that several client companies embed in their own products."),
    w!("Log anomaly detector", 2, "scale", &[8],
       "self_trained self_hosted predictive none 0 false internal false internal informational out_of_scope provider false",
       "observability", ("isolation-forest", "5.1"),
       "Flags unusual patterns in infrastructure logs for the on-call engineer."),
    // People Analytics
    w!("CV screener", 3, "prototype", &[9, 10],
       "fine_tuned provider_managed predictive none 0 false internal true confidential assistive high_risk deployer false",
       "recruiting, regulated", ("cv-ranker-ft", "0.3"),
       "Ranks job applications for recruiters, who review every shortlist."),
    w!("HR policy assistant", 3, "production", &[10],
       "pretrained_api provider_managed generative connects 0 true internal true confidential informational minimal deployer false",
       "hr, rag", ("gpt-4.1-mini", "2025-04-14"),
       "Answers employees' questions about leave, benefits and expenses from the HR handbook."),
    w!("Attrition predictor", 3, "prototype", &[11, 9],
       "self_trained self_hosted predictive none 0 false internal true confidential assistive high_risk provider false",
       "hr, retention", ("attrition-logit", "1.1"),
       "Estimates which teams risk losing staff, for HR business partners."),
    w!("Interview note taker", 3, "prototype", &[9],
       "enterprise_app provider_managed generative none 0 false internal true confidential informational minimal deployer false",
       "recruiting, speech", ("teams-premium", "2025.9"),
       "Transcribes and summarizes interviews for the hiring panel."),
    w!("Learning path recommender", 3, "production", &[10, 11],
       "pretrained_api provider_managed both connects 1 true internal true internal informational minimal deployer false",
       "learning", ("claude-haiku", "4.5"),
       "Suggests training courses to employees from their role, goals and past courses."),
    w!("Meeting emotion monitor", 3, "prototype", &[11],
       "open_weights self_hosted predictive none 0 false internal special_category restricted consequential prohibited deployer false",
       "proposal, legal-review", ("emotion-vit", "0.1"),
       "Proposed: infer employees' emotions from webcam video during meetings. Under legal review."),
    // Marketing Intelligence
    w!("Product description generator", 4, "scale", &[12],
       "pretrained_api provider_managed generative none 0 false internal false public assistive transparency deployer false",
       "content", ("gpt-4.1", "2025-04-14"),
       "Writes product page copy that editors approve before it is published."),
    w!("Shopping assistant", 4, "production", &[13, 12],
       "fine_tuned provider_managed generative connects 1 true public false internal informational transparency deployer false",
       "chatbot, public", ("shop-assist-ft", "2.2"),
       "Recommends products to anonymous visitors in a chat widget on the public website."),
    w!("Churn propensity model", 4, "production", &[14],
       "self_trained self_hosted predictive none 0 false internal true confidential consequential minimal provider false",
       "retention", ("churn-gbm", "4.0"),
       "Scores customers' likelihood to cancel and sends retention offers automatically."),
    w!("Ad image generator", 4, "prototype", &[12, 14],
       "open_weights self_hosted generative none 0 false internal false internal assistive transparency deployer false",
       "creative, images", ("sdxl", "1.0"),
       "Generates campaign image variants for designers to choose from."),
    w!("Price optimizer", 4, "production", &[13],
       "self_trained self_hosted predictive connects 3 false internal false confidential consequential minimal provider false",
       "pricing, agent", ("price-rl", "0.6"),
       "Cooperating agents set daily prices for 20,000 products on their own, within ranges that merchandisers approve."),
    w!("Social listening digest", 4, "prototype", &[14],
       "consumer_app provider_managed generative none 0 false internal false public informational minimal deployer false",
       "brand", ("chatgpt-plus", "consumer"),
       "Summarizes public social-media mentions of the brand every morning."),
];
