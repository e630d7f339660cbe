//! Shapes sent between server functions and pages. Database rows never leave the server.

use crate::domain::attestation::AttestationStatus;
use crate::domain::attestation_form::AttestationForm;
use crate::domain::catalog::{Control, PullForward};
use crate::domain::requirement_state::RequirementState;
use crate::domain::workload::Workload;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::{CatalogVersionId, FieldErrors, Layer, Phase, TeamId, UserId, WorkloadId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub is_demo: bool,
    /// Archived: its workloads are read, never changed, and no new one is registered for it.
    #[serde(default)]
    pub archived: bool,
}

/// A person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub is_demo: bool,
}

/// A row of the workload list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRow {
    pub id: WorkloadId,
    pub name: String,
    pub team_name: String,
    pub phase: Phase,
    pub primary_owner_name: String,
    pub updated_at: DateTime<Utc>,
    pub tags: Vec<String>,
}

/// One page of the workload list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadPage {
    pub rows: Vec<WorkloadRow>,
    pub total: u64,
}

/// How many current workloads are in one phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseCount {
    pub phase: Phase,
    pub count: u64,
}

/// A workload with the names a page shows next to its ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadView {
    /// What the caller may do with it: the page offers nothing else.
    pub actions: WorkloadActions,
    pub workload: Workload,
    pub team_name: String,
    pub owners: Vec<User>,
    /// One page of its history, newest first.
    pub history: HistoryPage,
    /// Every control of the current catalog with its decision for this workload.
    pub requirements: Vec<RequirementView>,
    pub readiness: Option<ReadinessView>,
    /// Required controls per layer, drawn and as a table.
    pub layer_chart: ChartView,
    /// The requirements as of a past day, when one was asked for.
    pub as_of: Option<AsOfView>,
    /// Why the day asked for cannot be shown.
    pub as_of_error: Option<String>,
}

/// What the caller may do with one workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadActions {
    pub edit: bool,
    /// Attest its requirements (those `RequirementView::attestable`).
    pub attest: bool,
    pub promote: Promote,
    pub demote: bool,
}

/// Whether and how the caller may promote a workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Promote {
    /// Not theirs to promote, or already at the last phase.
    No,
    /// Nothing is open: promote.
    Directly,
    /// Required controls are open and the caller reviews: promote, giving the reason.
    WithReason { open: usize },
    /// Required controls are open and only a reviewer may promote it: why, in words.
    Blocked(String),
}

/// One version in a workload's history, as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub revision: i64,
    /// What the version changed ("Promoted to production", "Edited: name, tags").
    pub summary: String,
    pub changed_by: String,
    /// Why, when the person had to say.
    pub note: Option<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

/// One page of a workload's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// The page shown (1 is the newest) and how many there are.
    pub page: u32,
    pub pages: u32,
}

/// What the edit form of a workload starts from: its current version as form values (other
/// owners as their emails), without the history and requirements its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditForm {
    pub id: WorkloadId,
    pub name: String,
    pub form: WorkloadForm,
}

/// One control's decision for a workload, as the workload page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementView {
    pub control_id: String,
    pub title: String,
    pub layer: Layer,
    pub applicable: bool,
    /// Required now (applies, and its effective minimum phase has been reached).
    pub required: bool,
    pub effective_min_phase: Phase,
    pub reason: String,
    /// It applies and the current or the next phase requires it (design §3.4).
    pub attestable: bool,
    /// For a control that applies: its state now and why (design §3.2).
    pub state: Option<(RequirementState, String)>,
    /// Its attestations, newest first.
    pub attestations: Vec<AttestationView>,
}

/// A control the next phase adds, with its state now (it can be attested ahead).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedControl {
    pub control_id: String,
    pub title: String,
    pub state: RequirementState,
}

/// Submissions the review queue shows at once.
pub const QUEUE_SHOWN: u32 = 200;

/// A submission on the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItemView {
    pub attestation_id: String,
    pub workload_id: String,
    pub workload_name: String,
    pub team: String,
    pub control_id: String,
    pub layer: Option<Layer>,
    pub status: AttestationStatus,
    pub statement: String,
    pub submitted_by: String,
    pub submitted_at: String,
    /// The caller submitted it: another lead reviews it.
    pub own: bool,
}

/// One attestation as the workload page lists it under its requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationView {
    pub id: String,
    pub status: AttestationStatus,
    pub statement: String,
    /// The justification (not applicable) or the source (inherited), when given.
    pub because: String,
    /// `YYYY-MM-DD`.
    pub effective: String,
    pub expiry: String,
    pub artifact: Option<String>,
    pub submitted_by: String,
    pub submitted_at: String,
    /// `submitted`, `approved` or `rejected`, with who decided and their comment.
    pub review: String,
    pub decided_by: Option<String>,
    pub comment: String,
    /// (title, link if it is one, a note's text) of each evidence item.
    pub evidence: Vec<(String, Option<String>, String)>,
}

/// A workload's requirements as they stood at the end of a past day (design §3.5): derived
/// from the version current then, each state recomputed from the records known then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsOfView {
    /// The day shown (YYYY-MM-DD).
    pub day: String,
    /// The phase it was in; none when the workload did not exist yet.
    pub phase: Option<Phase>,
    /// No catalog was loaded yet that day: the requirements follow the first one, loaded on
    /// this day (YYYY-MM-DD).
    pub catalog_loaded_later: Option<String>,
    pub requirements: Vec<RequirementView>,
}

/// The attest form of one requirement: the control, what the dates default to, the
/// references the claim may name, and the requirement's latest attestation (a rejection's
/// comment is what a resubmission answers; its values fill the form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestFormView {
    pub workload_id: String,
    pub workload_name: String,
    pub control_id: String,
    pub title: String,
    pub layer: Layer,
    pub objective: String,
    pub guidance: String,
    /// What an auditor expects to see.
    pub evidence_hints: Vec<String>,
    /// The phase that requires it (the next one when attesting ahead).
    pub required_at: Phase,
    pub cadence_days: u32,
    /// `YYYY-MM-DD`: today, and the expiry an attestation effective today gets by default.
    pub today: String,
    pub default_expiry: String,
    /// (code, label) of the statuses and of the workload's model and dataset references.
    pub statuses: Vec<(String, String)>,
    pub artifacts: Vec<(String, String)>,
    pub form: AttestationForm,
    pub latest: Option<AttestationView>,
    /// A submission awaits review: a new one waits for its decision.
    pub pending: bool,
}

/// What promoting to the next phase adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessView {
    pub next: Phase,
    /// Each control the next phase adds, with its state now.
    pub added: Vec<AddedControl>,
    pub blocked_by: Option<String>,
}

/// A server-drawn chart with its data as a table (the text alternative).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    pub title: String,
    /// Standalone SVG markup with `role="img"` and a `<title>`.
    pub svg: String,
    /// Header of the table: the row label's column, then one per series.
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<u64>)>,
}

/// The current catalog for the catalog page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogView {
    pub name: String,
    pub version_id: CatalogVersionId,
    pub content_hash: String,
    pub loaded_at: DateTime<Utc>,
    pub source: String,
    pub controls: Vec<Control>,
    pub pull_forward: Vec<PullForward>,
}

/// What the workload form needs to offer: teams and people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub teams: Vec<Team>,
    pub users: Vec<User>,
}

/// A refused form kept for one showing: what was typed and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    pub values: FormValues,
    pub errors: FieldErrors,
    pub message: Option<String>,
    /// What a done action has to say once (a temporary password shown to the admin).
    #[serde(default)]
    pub notice: Option<String>,
    /// Secrets a done action shows once, one per line of a list (new recovery codes).
    #[serde(default)]
    pub shown_once: Vec<String>,
}

/// What a refused form had typed: the workload form, or the few text fields of a small form
/// (never a password: those are typed again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormValues {
    Workload(Box<WorkloadForm>),
    Attestation(Box<AttestationForm>),
    Fields(Vec<(String, String)>),
}

impl FormValues {
    /// The workload form's values (blank for a flash of another form).
    pub fn workload(self) -> WorkloadForm {
        match self {
            FormValues::Workload(form) => *form,
            _ => WorkloadForm::blank(),
        }
    }

    /// The value typed in field `name` of a small form; empty when there is none.
    pub fn field(&self, name: &str) -> String {
        match self {
            FormValues::Fields(fields) => fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The attest form's values, if this is its flash.
    pub fn attestation(self) -> Option<AttestationForm> {
        match self {
            FormValues::Attestation(form) => Some(*form),
            _ => None,
        }
    }
}

/// The signed-in person, for the navigation and their account pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    /// The names of the roles they hold, each once.
    pub roles: Vec<String>,
    pub must_change_password: bool,
    /// They must set up a second factor before anything else.
    #[serde(default)]
    pub must_enrol_second_factor: bool,
    /// Whether they may register workloads (for at least one team).
    pub may_register: bool,
    /// Whether they administer people, teams and roles.
    pub may_administer: bool,
    /// Whether they read the audit log (some events perhaps as digests only).
    #[serde(default)]
    pub may_read_audit: bool,
    /// Whether they review attestations (the review queue).
    #[serde(default)]
    pub may_review: bool,
}

/// The signed-in person's second factor, for their account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    /// Set up and asked for at sign-in.
    pub enrolled: bool,
    pub recovery_codes_left: u32,
    /// The organization requires one of them (their role is admin or security lead).
    pub required: bool,
    /// A set-up started and not finished.
    pub pending: Option<EnrolmentView>,
}

/// A set-up in progress: the secret as a QR code and as text to type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// Base32 in groups of four.
    pub secret: String,
    /// An `<svg>` element made by the server from the `otpauth://` URI.
    pub qr_svg: String,
}

/// Organization-wide security settings, for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySettings {
    /// Administrators and security leads must set up a second factor.
    pub second_factor_required: bool,
}

/// A person as the admin pages list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// "Contributor · Risk & Fraud", one per grant, with the grant as a form sends it back.
    pub grants: Vec<GrantView>,
    pub disabled: bool,
    pub has_password: bool,
    pub must_change_password: bool,
    /// A confirmed second factor.
    pub second_factor: bool,
}

/// One grant, in words and as its codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub label: String,
    pub role: String,
    /// Empty for the whole organization.
    pub team_id: String,
}

/// What a new person's form holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub name: String,
    pub email: String,
    pub role: String,
    #[serde(default)]
    pub team_id: String,
}

/// One event of the audit page: in full, or (outside the reader's full-read scope) only its
/// place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub seq: i64,
    pub full: bool,
    pub time: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    /// The page that shows the entity, where the reader may open it.
    pub entity_link: Option<String>,
    /// The team's name.
    pub team: Option<String>,
    /// `key: value`, comma-separated.
    pub details: String,
    pub digest: String,
    pub hash: String,
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPageView {
    pub events: Vec<AuditEventView>,
    /// The `before` of the next (older) page, when there is one.
    pub next_before: Option<i64>,
    /// The chain's head, `SEQ:HASH`, for people to record.
    pub head: String,
    /// Whether a filter is applied (then only events read in full are listed).
    pub filtered: bool,
}

/// A verification of the audit chain started from the audit page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyJobView {
    pub done: bool,
    /// Events checked so far.
    pub checked: u64,
    /// Once done: whether the chain holds.
    pub intact: bool,
    /// Once done: what it found, in words.
    pub outcome: Option<String>,
}
