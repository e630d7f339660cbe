//! A year of governance, for the demo organization (and the bench's measured workloads): attestations of the demo workloads' required
//! controls, submitted by the contributors of each team and reviewed by the security leads over
//! the past year, so that a newcomer's first run shows every state of design §3.2 — satisfied
//! after a renewal, expiring soon, expired by time and by a model change, rejected with a
//! comment (some answered by a resubmission), awaiting review, partial, not applicable,
//! inherited — beside the gaps nobody attested yet.
//!
//! A fixed seed draws the scenarios, and every date counts back from the day it runs, so each
//! run gives the same programme. Claims go through the attest form's own validation (as of the
//! day they were made) and the store's own submission and review, recorded at past instants.

use super::data::SECURITY_LEADS;
use crate::bench::draw::Draw;
use app::domain::attestation::ArtifactKind;
use app::domain::attestation_form::{artifact_code, AttestationForm, Context};
use app::domain::workload::Workload;
use app::domain::{Principal, WorkloadId};
use app::ports::{SharedStore, StoreError, Submitted};
use app::service::phase::owns;
use chrono::{DateTime, TimeDelta, Utc};

/// The seed of the demo's history.
const SEED: u64 = 0x5742_a7a5_2026_0001;

/// What a requirement went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    /// Nobody attested it yet.
    Untouched,
    /// Approved a cycle ago, renewed and approved again.
    Renewed,
    /// Approved; its expiry falls within the warning window.
    Expiring,
    /// Approved, and its expiry has passed.
    Lapsed,
    /// Rejected with a comment, resubmitted, approved.
    Corrected,
    /// Rejected with a comment; not answered yet.
    Rejected,
    /// Awaiting review (after an earlier rejection, half the time).
    Pending,
    /// Approved as partially implemented.
    Partial,
    /// Approved as not applicable, with a justification.
    NotApplicable,
    /// Approved as inherited from the platform.
    Inherited,
}

fn scenario(draw: &mut Draw) -> Scenario {
    match draw.below(100) {
        0..=21 => Scenario::Untouched,
        22..=43 => Scenario::Renewed,
        44..=52 => Scenario::Expiring,
        53..=60 => Scenario::Lapsed,
        61..=69 => Scenario::Corrected,
        70..=76 => Scenario::Rejected,
        77..=85 => Scenario::Pending,
        86..=91 => Scenario::Partial,
        92..=95 => Scenario::NotApplicable,
        _ => Scenario::Inherited,
    }
}

/// What reviewers write when they send a claim back.
const COMMENTS: [&str; 5] = [
    "Link the evidence for this workload, not the team's template.",
    "The statement covers the previous release; attest what runs in production now.",
    "A ticket link alone is not evidence: attach the test report or the review record.",
    "Name who checks this and how often; the runbook link is missing.",
    "This reads as planned, not in place. Resubmit once it is.",
];

/// The people of the history: who attests for each team, and who reviews.
pub struct Cast {
    /// Contributors by team index.
    pub contributors: Vec<Vec<Principal>>,
    /// Security leads, with their user ids to keep them off workloads they own.
    pub leads: Vec<Principal>,
}

impl Cast {
    /// A lead who neither submitted nor owns the workload.
    fn reviewer(&self, workload: &Workload, draw: &mut Draw) -> Option<&Principal> {
        let free: Vec<&Principal> = self
            .leads
            .iter()
            .filter(|l| l.person().is_some() && !owns(l, workload))
            .collect();
        (!free.is_empty()).then(|| free[draw.below(free.len())])
    }
}

/// How many attestations the history recorded, and how many model changes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct History {
    pub attestations: usize,
    pub model_changes: usize,
}

/// Records the history of `workloads` (each with the index of its team in the cast), as of
/// `now`. The workloads must have existed for the past year (`DemoStore::backdate_versions`).
pub async fn record(
    store: &SharedStore,
    workloads: &[(WorkloadId, usize)],
    cast: &Cast,
    now: DateTime<Utc>,
) -> Result<History, StoreError> {
    let mut draw = Draw(SEED);
    let mut history = History::default();
    for (n, (id, team)) in workloads.iter().enumerate() {
        let Some(workload) = store.get_workload(id).await? else {
            continue;
        };
        let Some(team) = cast.contributors.get(*team).filter(|c| !c.is_empty()) else {
            continue;
        };
        let requirements = store.requirements(id).await?;
        let Some(first) = requirements.first() else {
            continue;
        };
        let catalog = store.catalog_version(&first.catalog_version_id).await?;
        // A claim about the model, on every other workload that has one: its model changes
        // afterwards on half of those, which ends the claim.
        let mut about_model = !workload.draft.model_refs.is_empty() && n % 2 == 0;
        for r in requirements.iter().filter(|r| r.required) {
            let Some(control) = catalog.control(&r.control_id) else {
                continue;
            };
            let cadence = catalog.cadence(control).days(workload.phase);
            let plan = Plan {
                store,
                workload: &workload,
                control: &r.control_id,
                cadence,
                by: &team[draw.below(team.len())],
                now,
                artifact: about_model.then(|| {
                    artifact_code(ArtifactKind::Model, &workload.draft.model_refs[0].name)
                }),
            };
            let s = scenario(&mut draw);
            if s == Scenario::Renewed && plan.artifact.is_some() {
                about_model = false;
            }
            history.attestations += plan.run(s, cast, &mut draw).await?;
        }
        // The model moved on after the claim about it: a new version, recorded today.
        if !workload.draft.model_refs.is_empty() && n % 4 == 0 {
            let mut draft = workload.draft.clone();
            let old = draft.model_refs[0].version.clone();
            draft.model_refs[0].version = format!("{old}.1");
            let by = &team[0];
            store
                .update_workload(id, workload.revision, &draft, by)
                .await?;
            history.model_changes += 1;
        }
    }
    Ok(history)
}

/// One requirement's history.
struct Plan<'a> {
    store: &'a SharedStore,
    workload: &'a Workload,
    control: &'a str,
    cadence: u32,
    by: &'a Principal,
    now: DateTime<Utc>,
    /// The form's code of the model the claim is about (for `Renewed` only).
    artifact: Option<String>,
}

impl Plan<'_> {
    /// Records scenario `s`; returns how many attestations it took.
    async fn run(&self, s: Scenario, cast: &Cast, draw: &mut Draw) -> Result<usize, StoreError> {
        let Some(lead) = cast.reviewer(self.workload, draw) else {
            return Ok(0);
        };
        let c = i64::from(self.cadence);
        let comment = COMMENTS[draw.below(COMMENTS.len())];
        // Days back from now at which the claim is made; its expiry in days from now.
        let recent = 5 + draw.below(20) as i64;
        let count = match s {
            Scenario::Untouched => 0,
            Scenario::Renewed => {
                let current = recent.min((c - 45).max(1));
                let earlier = (current + c).min(350);
                let first = self.claim("implemented", earlier, None, false).await?;
                self.decide(&first, true, "", lead, earlier - 2).await?;
                let second = self.claim("implemented", current, None, true).await?;
                self.decide(&second, true, "", lead, current - 1).await?;
                2
            }
            Scenario::Expiring => {
                // Made when the cadence began, so it ends within the warning window.
                let back = (c - 12).clamp(1, 350);
                let id = self.claim("implemented", back, Some(12), false).await?;
                self.decide(&id, true, "", lead, back - 1).await?;
                1
            }
            Scenario::Lapsed => {
                let back = (c + 20).min(360);
                let id = self.claim("implemented", back, Some(-20), false).await?;
                self.decide(&id, true, "", lead, back - 2).await?;
                1
            }
            Scenario::Corrected => {
                let back = (recent + 10).min((c - 40).max(12));
                let first = self.claim("implemented", back, None, false).await?;
                self.decide(&first, false, comment, lead, back - 2).await?;
                let second = self.claim("implemented", back - 4, None, false).await?;
                self.decide(&second, true, "", lead, back - 6).await?;
                2
            }
            Scenario::Rejected => {
                let id = self.claim("implemented", 20, None, false).await?;
                self.decide(&id, false, comment, lead, 17).await?;
                1
            }
            Scenario::Pending if draw.below(2) == 0 => {
                let first = self.claim("partially_implemented", 30, None, false).await?;
                self.decide(&first, false, comment, lead, 27).await?;
                self.claim("implemented", 3, None, false).await?;
                2
            }
            Scenario::Pending => {
                self.claim("implemented", recent.min(9), None, false)
                    .await?;
                1
            }
            Scenario::Partial => {
                let id = self
                    .claim("partially_implemented", recent + 20, None, false)
                    .await?;
                self.decide(&id, true, "", lead, recent + 18).await?;
                1
            }
            Scenario::NotApplicable => {
                let id = self
                    .claim("not_applicable", recent + 30, None, false)
                    .await?;
                self.decide(&id, true, "", lead, recent + 27).await?;
                1
            }
            Scenario::Inherited => {
                let id = self.claim("inherited", recent + 40, None, false).await?;
                self.decide(&id, true, "", lead, recent + 38).await?;
                1
            }
        };
        Ok(count)
    }

    /// A morning `days` back from now (deterministic within the day).
    fn day(&self, days: i64, hour: i64) -> DateTime<Utc> {
        let midnight = self
            .now
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc();
        midnight - TimeDelta::days(days) + TimeDelta::hours(hour)
    }

    /// When a record was made, `days` back: never after now, whatever the cadence (a short one
    /// puts a review on today).
    fn past(&self, days: i64, hour: i64) -> DateTime<Utc> {
        self.day(days, hour).min(self.now)
    }

    /// Submits a claim made `back` days ago (effective that day), expiring `expiry` days from
    /// now (default: the cadence), through the attest form's validation as of that day.
    async fn claim(
        &self,
        status: &str,
        back: i64,
        expiry: Option<i64>,
        about_artifact: bool,
    ) -> Result<String, StoreError> {
        let at = self.past(back, 9);
        let form = AttestationForm {
            status: status.into(),
            statement: statement(status).into(),
            justification: if status == "not_applicable" {
                "The workload never stores or forwards what this control protects.".into()
            } else {
                String::new()
            },
            inherited_from: if status == "inherited" {
                "Platform ML's shared serving cluster".into()
            } else {
                String::new()
            },
            effective: at.format("%Y-%m-%d").to_string(),
            expiry: expiry
                .map(|d| self.day(-d, 0).format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            artifact: if about_artifact {
                self.artifact.clone().unwrap_or_default()
            } else {
                String::new()
            },
            links: format!(
                "https://wiki.example.test/controls/{}/{}",
                self.control.to_lowercase(),
                self.workload.id.0
            ),
            note: String::new(),
        };
        let cx = Context {
            cadence_days: self.cadence,
            models: &self.workload.draft.model_refs,
            datasets: &self.workload.draft.dataset_refs,
            today: at.date_naive(),
        };
        let valid = form.validate(&cx).map_err(|e| {
            StoreError::Other(format!(
                "demo attestation of {} on {}: {}",
                self.control,
                self.workload.draft.name,
                e.summary()
            ))
        })?;
        let new = app::service::attestations::new_attestation(self.workload, self.control, valid);
        match self.store.submit_attestation_at(&new, self.by, at).await? {
            Submitted::Done(id) => Ok(id),
            Submitted::Pending => Err(StoreError::Other(format!(
                "demo attestation of {}: one awaits review already",
                self.control
            ))),
        }
    }

    /// Decides `id` in the afternoon `back` days ago.
    async fn decide(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        lead: &Principal,
        back: i64,
    ) -> Result<(), StoreError> {
        let at = self.past(back, 15);
        self.store
            .decide_attestation_at(id, approve, comment, lead, at)
            .await?;
        Ok(())
    }
}

fn statement(status: &str) -> &'static str {
    match status {
        "partially_implemented" => {
            "In place for the batch pipeline; the streaming path follows next quarter."
        }
        "not_applicable" => "Does not apply to this workload.",
        "inherited" => "Provided by the shared platform the workload runs on.",
        _ => "In place and checked at every release; the linked page shows the latest run.",
    }
}

/// Whether demo person `i` reviews (a security lead).
pub fn is_lead(i: usize) -> bool {
    SECURITY_LEADS.contains(&i)
}
