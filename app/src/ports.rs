//! The seam to storage: `Store` traits per area that the use cases (`service/`) call through
//! `Arc<dyn Store>`. The server crate implements them for SQLite and PostgreSQL. Store methods
//! speak domain types (ids, instants, enums); formatting for people happens in pages.

use crate::domain::attestation::{ArtifactClaim, AttestationStatus, Decision};
use crate::domain::audit::Details;
use crate::domain::catalog::Catalog;
use crate::domain::listing::WorkloadQuery;
use crate::domain::policy::{Grant, Reach};
use crate::domain::requirement_state::RequirementState;
use crate::domain::workload::{Workload, WorkloadDraft};
use crate::domain::{CatalogVersionId, Layer, Phase, Principal, TeamId, UserId, WorkloadId};
use crate::dto::{PhaseCount, Team, User, WorkloadPage};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What can go wrong in a store call, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule of the schema refused the write.
    #[error("conflict on {constraint:?}")]
    Conflict { constraint: Constraint },
    /// Someone else changed the record since the caller read it.
    #[error("stale revision: the record is now at revision {current}")]
    StaleRevision { current: i64 },
    /// The database is saturated: no connection came free in time, or the work ran past its
    /// time limit. Nothing was written; trying again later may work.
    #[error("the database is busy")]
    Busy,
    /// The database cannot hold a text value (PostgreSQL refuses NUL). Input is checked before
    /// it gets here; this keeps any value that slips through a refusal, not a failure.
    #[error("text the database cannot hold")]
    UnstorableText,
    /// Anything else; the text is for logs, never for the browser.
    #[error("storage failure: {0}")]
    Other(String),
}

/// The schema rules a write can break, named by the constraint that enforces them (the same
/// names on both backends; see `migrations/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// `workload_versions_current_name_key`: a current workload of the team has this name.
    WorkloadName,
    /// `teams_name_key`: a team has this name.
    TeamName,
    /// `users_email_key`: a user has this email.
    UserEmail,
    /// A foreign key: the team, person or record referred to does not exist.
    Reference,
    /// Any other uniqueness rule (named in the logs).
    Other,
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Who made a change, as recorded in history.
pub type Actor<'a> = &'a Principal;

/// Teams.
#[async_trait]
pub trait TeamStore: Send + Sync {
    /// Creates a team; its name is unique.
    async fn create_team(&self, name: &str, is_demo: bool, actor: Actor<'_>) -> StoreResult<Team>;
    /// All teams by name.
    async fn list_teams(&self) -> StoreResult<Vec<Team>>;
    /// The teams in `reach`, by name.
    async fn teams_in(&self, reach: &Reach) -> StoreResult<Vec<Team>>;
    /// One team.
    async fn get_team(&self, id: &TeamId) -> StoreResult<Option<Team>>;
    /// Renames a team; `Conflict` on `Constraint::TeamName` when another team has the name,
    /// `NotFound` for an unknown team.
    async fn rename_team(&self, id: &TeamId, name: &str, actor: Actor<'_>) -> StoreResult<()>;
    /// Archives (or restores) a team; `NotFound` for an unknown team.
    async fn set_team_archived(
        &self,
        id: &TeamId,
        archived: bool,
        actor: Actor<'_>,
    ) -> StoreResult<()>;
}

/// Users (people; no credentials yet).
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user; the email (lowercased) is unique.
    async fn create_user(
        &self,
        name: &str,
        email: &str,
        is_demo: bool,
        actor: Actor<'_>,
    ) -> StoreResult<User>;
    /// All users by name.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// The people in `reach` by name: everyone for the whole organization, else those who
    /// hold a role in one of its teams or own one of its teams' current workloads.
    async fn users_in(&self, reach: &Reach) -> StoreResult<Vec<User>>;
    /// Users with these ids, in no particular order; unknown ids are left out.
    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>>;
    /// Users with these emails (compared lowercased); unknown emails are left out.
    async fn users_by_emails(&self, emails: &[String]) -> StoreResult<Vec<User>>;
}

/// Workloads and their versioned history.
#[async_trait]
pub trait WorkloadStore: Send + Sync {
    /// Registers a workload at `phase`, writing its first version.
    async fn create_workload(
        &self,
        draft: &WorkloadDraft,
        phase: Phase,
        actor: Actor<'_>,
        is_demo: bool,
    ) -> StoreResult<WorkloadId>;
    /// Writes a new version with the edited content, if the workload is still at `expected`.
    async fn update_workload(
        &self,
        id: &WorkloadId,
        expected: i64,
        draft: &WorkloadDraft,
        actor: Actor<'_>,
    ) -> StoreResult<Workload>;
    /// Writes a new version in another phase, if the workload is still at `expected`; `note`
    /// says why when the person had to.
    async fn change_phase(
        &self,
        id: &WorkloadId,
        expected: i64,
        to: Phase,
        note: Option<&str>,
        actor: Actor<'_>,
    ) -> StoreResult<Workload>;
    /// The current version.
    async fn get_workload(&self, id: &WorkloadId) -> StoreResult<Option<Workload>>;
    /// The version that was current at `at` (none if the workload did not exist yet).
    async fn workload_as_of(
        &self,
        id: &WorkloadId,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Workload>>;
    /// Every version, newest first.
    async fn workload_history(&self, id: &WorkloadId) -> StoreResult<Vec<Workload>>;
    /// The versions with revisions from `low` to `high` (both included), newest first; a
    /// page of history (revisions count up from 1 without gaps).
    async fn workload_revisions(
        &self,
        id: &WorkloadId,
        low: i64,
        high: i64,
    ) -> StoreResult<Vec<Workload>>;
    /// One page of current workloads matching the query, of the teams in `reach` only.
    async fn list_workloads(
        &self,
        query: &WorkloadQuery,
        reach: &Reach,
    ) -> StoreResult<WorkloadPage>;
    /// Current workloads per phase, of the teams in `reach`.
    async fn count_by_phase(&self, reach: &Reach) -> StoreResult<Vec<PhaseCount>>;
    /// Workloads whose current version lists `user` as an owner (primary or other).
    async fn workloads_owned_by(&self, user: &UserId) -> StoreResult<Vec<WorkloadId>>;
    /// Current workloads per (team name, phase), for teams in `reach` that have any.
    async fn count_by_team_and_phase(
        &self,
        reach: &Reach,
    ) -> StoreResult<Vec<(String, Phase, u64)>>;
}

/// A catalog version as stored.
#[derive(Clone, Debug)]
pub struct CatalogVersion {
    pub id: CatalogVersionId,
    pub content_hash: String,
    pub source: String,
    pub loaded_at: DateTime<Utc>,
    /// Shared: a version's content never changes, so the store parses it once.
    pub catalog: Arc<Catalog>,
}

/// What loading a catalog did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogLoad {
    pub version_id: CatalogVersionId,
    /// False when the content hash equals the current version's: nothing was written.
    pub created: bool,
    /// Workloads whose requirements were rewritten.
    pub workloads: usize,
}

/// One materialized requirement row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementRecord {
    pub control_id: String,
    pub catalog_version_id: CatalogVersionId,
    pub layer: Layer,
    pub applicable: bool,
    pub required: bool,
    pub effective_min_phase: Phase,
    pub reason: String,
}

/// Catalog versions and the requirements derived from them.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Records `catalog` as a new version unless its content hash equals the current one, and
    /// rewrites every workload's requirements in the same transaction.
    async fn load_catalog(
        &self,
        catalog: &Catalog,
        content_hash: &str,
        source: &str,
        actor: Actor<'_>,
    ) -> StoreResult<CatalogLoad>;
    /// The newest catalog version.
    async fn current_catalog(&self) -> StoreResult<Option<CatalogVersion>>;
    /// Every catalog version's id and load instant, oldest first (a handful of rows).
    async fn catalog_versions(&self) -> StoreResult<Vec<(CatalogVersionId, DateTime<Utc>)>>;
    /// The content of catalog version `id`. Versions never change, so a server may answer
    /// from what it parsed before without reading the database.
    async fn catalog_version(&self, id: &CatalogVersionId) -> StoreResult<Arc<Catalog>>;
    /// The materialized requirements of a workload, in catalog order.
    async fn requirements(&self, workload: &WorkloadId) -> StoreResult<Vec<RequirementRecord>>;
    /// Rewrites every workload's requirements from the current catalog; returns how many.
    async fn rematerialize_all(&self, actor: Actor<'_>) -> StoreResult<usize>;
}

/// What a local account signs in with, and whether it may.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub user_id: UserId,
    /// The PHC string of the password; `None` for a person who has none (demo people until an
    /// admin sets one).
    pub password_hash: Option<String>,
    /// Set by an admin's reset: the person must choose a new password at next sign-in.
    pub must_change: bool,
    /// The documented demo password, accepted only while the server listens on loopback.
    pub demo_password: bool,
    pub disabled: bool,
    /// Copied into a session at sign-in; a session whose copy differs has ended.
    pub session_epoch: i64,
    /// A confirmed second factor: sign-in asks for a code after the password.
    pub second_factor: bool,
}

/// Who set a password, which decides how it may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordKind {
    /// Chosen by the person.
    Chosen,
    /// Set by an admin or generated: to be replaced at next sign-in.
    Temporary,
    /// The documented demo password: accepted only while the server listens on loopback.
    Demo,
}

/// An account as a session sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionAccount {
    pub credentials: Credentials,
    pub name: String,
    pub email: String,
    pub grants: Vec<Grant>,
    /// The organization requires a second factor of administrators and security leads.
    pub second_factor_required: bool,
}

/// Local accounts: passwords, disabling, role grants. Every change that takes something away
/// (a password changed, the account disabled, a role revoked) bumps the person's session
/// epoch in the same transaction, which ends their other sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// The account with this email (compared in lower case); `None` when nobody has it.
    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>>;
    async fn credentials(&self, user: &UserId) -> StoreResult<Option<Credentials>>;
    /// Sets the password (a PHC string) of the given kind; returns the person's new session
    /// epoch, read in the same transaction. A temporary password (an admin's or the
    /// operator's reset) also removes the second factor: a reset is how a person who lost it
    /// gets back in. `NotFound` for an unknown person.
    async fn set_password(
        &self,
        user: &UserId,
        password_hash: &str,
        kind: PasswordKind,
        actor: Actor<'_>,
    ) -> StoreResult<i64>;
    /// What a signed-in session of `user` is checked against on every request: the account's
    /// state, name and grants, in one read. `None` for an unknown person.
    async fn session_account(&self, user: &UserId) -> StoreResult<Option<SessionAccount>>;
    /// Every person with their account's state and grants, by name, in one read.
    async fn all_accounts(&self) -> StoreResult<Vec<SessionAccount>>;
    /// Disables or re-enables an account; `NotFound` for an unknown person.
    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: bool,
        actor: Actor<'_>,
    ) -> StoreResult<()>;
    /// The person's grants, by role then team.
    async fn grants(&self, user: &UserId) -> StoreResult<Vec<Grant>>;
    /// Adds a grant; false when the person holds it already. An unknown person or team is a
    /// `Conflict` on `Constraint::Reference`.
    async fn grant(&self, user: &UserId, grant: &Grant, actor: Actor<'_>) -> StoreResult<bool>;
    /// Removes a grant; false when the person did not hold it.
    async fn revoke(&self, user: &UserId, grant: &Grant, actor: Actor<'_>) -> StoreResult<bool>;
    /// Whether an enabled person who is not a demo person holds `admin`.
    async fn has_admin(&self) -> StoreResult<bool>;
}

/// A person's second factor as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SecondFactor {
    /// The TOTP secret, base32.
    pub secret: String,
    /// Enrolment finished with a right code; an unconfirmed one asks nothing at sign-in.
    pub confirmed: bool,
    /// The time step of the last code accepted: no code at or before it is accepted again.
    pub last_step: Option<i64>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log line.
        f.debug_struct("SecondFactor")
            .field("confirmed", &self.confirmed)
            .field("last_step", &self.last_step)
            .field("recovery_codes_left", &self.recovery_codes_left)
            .finish_non_exhaustive()
    }
}

/// The second factor of local accounts (TOTP and recovery codes). What ends or replaces one
/// bumps the person's session epoch in the same transaction, like a password change.
#[async_trait]
pub trait SecondFactorStore: Send + Sync {
    /// The person's second factor, confirmed or not; `None` when they have none.
    async fn second_factor(&self, user: &UserId) -> StoreResult<Option<SecondFactor>>;
    /// Starts enrolment with `secret` (base32), replacing an unconfirmed one; false (and
    /// nothing written) when a confirmed one exists. `NotFound` for an unknown person.
    async fn start_second_factor(
        &self,
        user: &UserId,
        secret: &str,
        actor: Actor<'_>,
    ) -> StoreResult<bool>;
    /// Confirms the unconfirmed enrolment whose secret is `secret`, with the step of the code
    /// that proved it and the digests of new recovery codes (replacing any); returns the new
    /// session epoch. `NotFound` when no such enrolment is waiting (finished, restarted or
    /// removed meanwhile).
    async fn confirm_second_factor(
        &self,
        user: &UserId,
        secret: &str,
        step: i64,
        recovery_digests: &[String],
        actor: Actor<'_>,
    ) -> StoreResult<i64>;
    /// Accepts a code of time step `step`: false when the confirmed factor's last accepted step
    /// is not earlier (the code was used, or a later one was), so each code works once even
    /// when two requests race.
    async fn use_code_step(&self, user: &UserId, step: i64) -> StoreResult<bool>;
    /// Spends the unused recovery code with this digest; how many remain, or `None` when no
    /// unused code has it.
    async fn use_recovery_code(
        &self,
        user: &UserId,
        digest: &str,
        actor: Actor<'_>,
    ) -> StoreResult<Option<u32>>;
    /// Removes the second factor and its recovery codes; returns the new session epoch.
    /// `NotFound` for an unknown person.
    async fn remove_second_factor(&self, user: &UserId, actor: Actor<'_>) -> StoreResult<i64>;
}

/// Organization-wide settings.
#[async_trait]
pub trait SettingStore: Send + Sync {
    /// Whether administrators and security leads must have a second factor.
    async fn second_factor_required(&self) -> StoreResult<bool>;
    async fn set_second_factor_required(&self, required: bool, actor: Actor<'_>)
        -> StoreResult<()>;
}

/// The demo organization's rows.
#[async_trait]
pub trait DemoStore: Send + Sync {
    /// True when no team, user or workload exists.
    async fn is_empty(&self) -> StoreResult<bool>;
    /// Deletes every row marked as demo; returns how many workloads went.
    async fn remove_demo(&self, actor: Actor<'_>) -> StoreResult<u64>;
    /// Dates the versions of workload `id`, just seeded, from `starts` (revision 1 from the
    /// first instant, each until the next; the last stays current): the demo's past.
    async fn backdate_versions(
        &self,
        id: &WorkloadId,
        starts: &[DateTime<Utc>],
        actor: Actor<'_>,
    ) -> StoreResult<()>;
    /// `submit_attestation` as of the past instant `at`: the demo's year of history. Records
    /// must come in the order of their instants.
    async fn submit_attestation_at(
        &self,
        a: &NewAttestation,
        actor: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<Submitted>;
    /// `decide_attestation` as of the past instant `at` (after the submission's).
    async fn decide_attestation_at(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        actor: Actor<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<Decided>;
}

/// Attempts counted per client and time window, for limits that must hold across every
/// instance of the server (anonymous flash sessions now; sign-in attempts next).
#[async_trait]
pub trait AttemptStore: Send + Sync {
    /// Counts one more attempt of `scope` by `client` in the window that starts at
    /// `window_start` (Unix seconds); returns the window's count, this attempt included.
    async fn count_attempt(&self, scope: &str, client: &str, window_start: i64)
        -> StoreResult<u64>;
    /// The count of the window that starts at `window_start`, without counting one more.
    async fn attempts(&self, scope: &str, client: &str, window_start: i64) -> StoreResult<u64>;
}

/// One recorded audit event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The signed-in person who acted, if a person did.
    pub actor_id: Option<UserId>,
    /// Whoever acted, as people read it.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub team_id: Option<TeamId>,
    /// A JSON object (`domain::audit::Details`).
    pub details: String,
    /// The chain's digest and hash of the event, lowercase hex (`domain::audit_chain`).
    pub digest: String,
    pub hash: String,
}

/// What the audit page filters events by; `None` fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// A person's id, or whoever else acted, by name.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub team: Option<TeamId>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
}

impl EventFilter {
    /// Whether any field filters.
    pub fn is_empty(&self) -> bool {
        self == &EventFilter::default()
    }
}

/// The audit record. Changes append their event in their own transaction; this records the
/// events that go with no other write.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Records an event of its own (a sign-in, a failed sign-in, a sign-out).
    async fn record_event(
        &self,
        actor_id: Option<&UserId>,
        actor: &str,
        action: &str,
        entity: &str,
        details: &Details,
    ) -> StoreResult<()>;
    /// The newest `limit` events, newest first.
    async fn recent_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>>;
    /// Up to `limit` events after sequence `after`, in sequence order: the chain, page by page.
    async fn chain_page(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>>;
    /// The chain's head as stored: the last sequence number (0 when empty) and its hash.
    async fn chain_head(&self) -> StoreResult<(i64, String)>;
    /// The first and last sequence numbers of events at or after `from` and before `to`.
    async fn chain_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Option<(i64, i64)>>;
    /// The stored hash of the event `seq`, if there is one.
    async fn event_hash(&self, seq: i64) -> StoreResult<Option<String>>;
    /// Up to `limit` events before sequence `before` (all when `None`), newest first, that
    /// match `filter` and, when `reach` is given, belong to one of its teams.
    async fn list_events(
        &self,
        filter: &EventFilter,
        reach: Option<&Reach>,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEvent>>;
}

/// A new evidence item given with an attestation (links and notes; files come next).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewEvidence {
    Link { title: String, url: String },
    Note { title: String, text: String },
}

/// An attestation as the service validated it, to be stored as submitted (awaiting review).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAttestation {
    pub workload_id: WorkloadId,
    /// The workload's team, which the evidence given with it belongs to.
    pub team_id: TeamId,
    pub control_id: String,
    pub status: AttestationStatus,
    pub statement: String,
    pub justification: String,
    pub inherited_from: String,
    pub effective: DateTime<Utc>,
    pub expiry: DateTime<Utc>,
    pub artifact: Option<ArtifactClaim>,
    pub evidence: Vec<NewEvidence>,
}

/// An evidence item as an attestation cites it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedEvidence {
    pub id: String,
    pub title: String,
    /// A link's address (a note has none).
    pub url: Option<String>,
    pub note: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A stored attestation with its review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttestationRecord {
    pub id: String,
    pub workload_id: WorkloadId,
    pub control_id: String,
    pub status: AttestationStatus,
    pub statement: String,
    pub justification: String,
    pub inherited_from: String,
    pub effective: DateTime<Utc>,
    pub expiry: DateTime<Utc>,
    pub artifact: Option<ArtifactClaim>,
    pub submitted_by: Option<UserId>,
    pub submitted_by_name: String,
    pub submitted_at: DateTime<Utc>,
    pub decision: Option<Decision>,
    pub decided_by: Option<UserId>,
    pub decided_by_name: Option<String>,
    pub evidence: Vec<CitedEvidence>,
}

/// What submitting an attestation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored, with this id.
    Done(String),
    /// Nothing stored: a submission of the requirement awaits review.
    Pending,
}

impl Submitted {
    /// The stored submission's id.
    pub fn id(self) -> Option<String> {
        match self {
            Submitted::Done(id) => Some(id),
            Submitted::Pending => None,
        }
    }
}

/// What deciding a submission did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decided {
    Done(AttestationRecord),
    /// Someone decided it first; this is their decision.
    Already(AttestationRecord),
}

/// A requirement's state now, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredState {
    pub control_id: String,
    pub state: RequirementState,
    pub reason: String,
    /// When it next changes by itself.
    pub until: Option<DateTime<Utc>>,
}

/// What the review queue is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub team: Option<TeamId>,
    pub layer: Option<Layer>,
    pub workload: Option<WorkloadId>,
}

/// A submission awaiting review, as the queue lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub attestation_id: String,
    pub workload_id: WorkloadId,
    pub workload_name: String,
    pub team_id: TeamId,
    pub control_id: String,
    /// None when the control no longer applies to the workload.
    pub layer: Option<Layer>,
    pub status: AttestationStatus,
    pub statement: String,
    pub submitted_by: Option<UserId>,
    pub submitted_by_name: String,
    pub submitted_at: DateTime<Utc>,
}

/// Attestations and the states they decide.
#[async_trait]
pub trait AttestationStore: Send + Sync {
    /// Stores a submission with its new evidence items and rewrites the requirement's states,
    /// in one transaction with its audit event, unless one of the requirement awaits review.
    async fn submit_attestation(
        &self,
        a: &NewAttestation,
        actor: Actor<'_>,
    ) -> StoreResult<Submitted>;
    /// Approves or rejects submission `id` unless it was decided already (exactly one of two
    /// reviewers deciding at once wins), and rewrites the requirement's states.
    async fn decide_attestation(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        actor: Actor<'_>,
    ) -> StoreResult<Decided>;
    async fn attestation(&self, id: &str) -> StoreResult<Option<AttestationRecord>>;
    /// Every attestation of the workload, newest first.
    async fn attestations_of(&self, workload: &WorkloadId) -> StoreResult<Vec<AttestationRecord>>;
    /// Submissions awaiting review in `reach`, oldest first, at most `limit`.
    async fn awaiting_review(
        &self,
        filter: &QueueFilter,
        reach: &Reach,
        limit: u32,
    ) -> StoreResult<Vec<QueueItem>>;
    /// The stored state now of each applicable requirement of the workload.
    async fn states_now(
        &self,
        workload: &WorkloadId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredState>>;
}

/// A verification of the audit chain run in the background (the audit page's button).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub id: i64,
    /// Who started it: a person's id, or the name of a task.
    pub owner: String,
    /// Events checked so far.
    pub checked: u64,
    /// Until when the server running it vouches that it still runs (renewed with each page).
    pub lease_until: DateTime<Utc>,
    /// Once finished: whether the chain held, and what it found in words.
    pub finished: Option<(bool, String)>,
}

/// What asking to start a verification did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerificationStart {
    /// A new one was registered as running: run it.
    Started(i64),
    /// The owner has one running already: follow it.
    Running(i64),
    /// As many as the server allows are running.
    Busy,
}

/// Background verifications, shared by every server of the installation.
#[async_trait]
pub trait VerificationStore: Send + Sync {
    /// Registers a verification for `owner` holding a lease until `lease_until`, unless they
    /// have one running or `at_once` are running (a verification runs while it is unfinished
    /// and its lease is later than `now`); forgets finished ones older than `forget_before`.
    /// One decision: two servers asking at once cannot both start past the limit.
    async fn start_verification(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        at_once: u32,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<VerificationStart>;
    /// Records progress and renews the lease.
    async fn verification_progress(
        &self,
        id: i64,
        checked: u64,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn finish_verification(
        &self,
        id: i64,
        checked: u64,
        intact: bool,
        outcome: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn verification(&self, id: i64) -> StoreResult<Option<Verification>>;
}

/// Everything the application needs from storage.
pub trait Store:
    TeamStore
    + UserStore
    + AccountStore
    + SecondFactorStore
    + SettingStore
    + WorkloadStore
    + CatalogStore
    + DemoStore
    + AttemptStore
    + AuditStore
    + VerificationStore
    + AttestationStore
{
}

impl<
        T: TeamStore
            + UserStore
            + AccountStore
            + SecondFactorStore
            + SettingStore
            + WorkloadStore
            + CatalogStore
            + DemoStore
            + AttemptStore
            + AuditStore
            + VerificationStore
            + AttestationStore,
    > Store for T
{
}

/// How server functions and pages hold the store.
pub type SharedStore = Arc<dyn Store>;

/// Hashing and checking passwords (Argon2id in the server, off the async threads). Errors are
/// for the log: they mean the check could not be made, never that the password is wrong.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// A new PHC string for `password`.
    async fn hash(&self, password: &str) -> Result<String, String>;
    /// Whether `password` matches `stored`; `None` (no account, or no password) is checked
    /// against a hash of its own, so the answer takes as long and is always false.
    async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, String>;
    /// A new random temporary password (an admin's reset, a new person's first).
    fn temporary(&self) -> Result<String, String>;
}

/// How server functions hold the hasher.
pub type SharedHasher = Arc<dyn PasswordHasher>;
