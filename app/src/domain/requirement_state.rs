//! The state of a requirement at an instant (design §3.2): one pure function of the records —
//! attestations and their reviews, exceptions, the evidence cited, the workload's artifact
//! references over time — and the instant, so that "as of" any past day is recomputed from the
//! same records and no job ever flips a state. Records are read as they were known at the
//! instant: a submission made or a decision taken later does not count yet.
//!
//! `next_change` gives the instant at which the state next changes by itself (an attestation
//! entering its warning window or expiring, an exception ending, cited evidence expiring), so
//! that the store can keep each requirement's state with that instant and lists compare it with
//! now in indexed SQL.

use super::attestation::{ArtifactClaim, AttestationStatus, Decision};
use crate::coded_enum;
use chrono::{DateTime, TimeDelta, Utc};

/// How long before its expiry an attestation shows as expiring (design §3.2: default 30 days).
pub const WARNING_WINDOW: TimeDelta = TimeDelta::days(30);

coded_enum!(
    /// Exactly one per requirement at any instant.
    RequirementState {
        Satisfied => ("satisfied", "Satisfied"),
        Expiring => ("expiring", "Expiring"),
        NotApplicable => ("not_applicable", "Not applicable"),
        Excepted => ("excepted", "Excepted"),
        PendingReview => ("pending_review", "Pending review"),
        Rejected => ("rejected", "Rejected"),
        Partial => ("partial", "Partial"),
        Expired => ("expired", "Expired"),
        Gap => ("gap", "Gap"),
    }
);

impl RequirementState {
    /// Whether coverage counts it as covered (design §3.3).
    pub fn covers(self) -> bool {
        matches!(
            self,
            RequirementState::Satisfied
                | RequirementState::Expiring
                | RequirementState::NotApplicable
                | RequirementState::Excepted
        )
    }
}

/// One attestation of the requirement and its review, if it was reviewed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub id: String,
    pub status: AttestationStatus,
    pub submitted_at: DateTime<Utc>,
    pub effective: DateTime<Utc>,
    pub expiry: DateTime<Utc>,
    pub artifact: Option<ArtifactClaim>,
    /// The evidence items it cites.
    pub evidence: Vec<String>,
    pub decision: Option<Decision>,
}

/// What became of one evidence item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceStanding {
    pub id: String,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A granted exception: active from `from` until `until`, or until it was ended early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExceptionWindow {
    pub id: String,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// The workload's reference of one name during a period (`until` open while current).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactPeriod {
    pub artifact: ArtifactClaim,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// Everything recorded about one requirement.
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    pub submissions: &'a [Submission],
    pub evidence: &'a [EvidenceStanding],
    pub exceptions: &'a [ExceptionWindow],
    pub artifacts: &'a [ArtifactPeriod],
}

/// Why an approved attestation is not in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotInForce {
    NotYetEffective(DateTime<Utc>),
    Lapsed(DateTime<Utc>),
    /// The artifact it names changed (to another version, or is no longer referenced).
    ArtifactChanged {
        from: ArtifactClaim,
        to: Option<ArtifactClaim>,
    },
    /// Every evidence item it cites was withdrawn or expired.
    EvidenceGone,
}

/// What decided a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Because {
    /// The approved attestation in force, until its expiry.
    InForce {
        attestation: String,
        until: DateTime<Utc>,
    },
    Exception {
        exception: String,
        until: DateTime<Utc>,
    },
    AwaitingReview {
        attestation: String,
    },
    RejectedWith {
        attestation: String,
        comment: String,
    },
    NotInForce {
        attestation: String,
        why: NotInForce,
    },
    /// The approved attestation says the control is not implemented.
    NotImplemented {
        attestation: String,
    },
    NothingApproved,
}

impl Because {
    /// The attestation that decided, when one did.
    pub fn attestation(&self) -> Option<&str> {
        match self {
            Because::InForce { attestation, .. }
            | Because::AwaitingReview { attestation }
            | Because::RejectedWith { attestation, .. }
            | Because::NotInForce { attestation, .. }
            | Because::NotImplemented { attestation } => Some(attestation),
            Because::Exception { .. } | Because::NothingApproved => None,
        }
    }
}

/// A state and what decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessed {
    pub state: RequirementState,
    pub because: Because,
}

impl Assessed {
    /// The reason in words, as the workload page shows it.
    pub fn reason(&self) -> String {
        let day = |t: &DateTime<Utc>| t.format("%Y-%m-%d").to_string();
        match &self.because {
            Because::InForce { until, .. } => {
                format!("Approved attestation, valid until {}", day(until))
            }
            Because::Exception { until, .. } => format!("Exception granted until {}", day(until)),
            Because::AwaitingReview { .. } => "An attestation awaits review".into(),
            Because::RejectedWith { comment, .. } => format!("Rejected: {comment}"),
            Because::NotInForce { why, .. } => match why {
                NotInForce::NotYetEffective(from) => {
                    format!("The approved attestation takes effect on {}", day(from))
                }
                NotInForce::Lapsed(at) => {
                    format!("The approved attestation expired on {}", day(at))
                }
                NotInForce::ArtifactChanged { from, to: Some(to) } => format!(
                    "{} changed from {} to {}",
                    from.kind.label(),
                    from.label(),
                    to.label()
                ),
                NotInForce::ArtifactChanged { from, to: None } => format!(
                    "{} {} is no longer referenced by the workload",
                    from.kind.label(),
                    from.label()
                ),
                NotInForce::EvidenceGone => {
                    "Every evidence item it cites was withdrawn or expired".into()
                }
            },
            Because::NotImplemented { .. } => "Attested as not implemented".into(),
            Because::NothingApproved => "No approved attestation".into(),
        }
    }
}

/// The decision on `s` as known at `t`.
fn decided(s: &Submission, t: DateTime<Utc>) -> Option<&Decision> {
    s.decision.as_ref().filter(|d| d.at <= t)
}

/// Why `a` is not in force at `t`, if it is not.
fn not_in_force(a: &Submission, r: &Records<'_>, t: DateTime<Utc>) -> Option<NotInForce> {
    if t < a.effective {
        return Some(NotInForce::NotYetEffective(a.effective));
    }
    if t >= a.expiry {
        return Some(NotInForce::Lapsed(a.expiry));
    }
    if let Some(claim) = &a.artifact {
        let current = r
            .artifacts
            .iter()
            .find(|p| {
                p.artifact.kind == claim.kind
                    && p.artifact.name == claim.name
                    && p.from <= t
                    && p.until.is_none_or(|u| t < u)
            })
            .map(|p| &p.artifact);
        if !current.is_some_and(|c| c.same_as(claim)) {
            return Some(NotInForce::ArtifactChanged {
                from: claim.clone(),
                to: current.cloned(),
            });
        }
    }
    if !a.evidence.is_empty() {
        let standing = |id: &String| {
            r.evidence.iter().find(|e| &e.id == id).is_some_and(|e| {
                e.withdrawn_at.is_none_or(|w| t < w) && e.expires_at.is_none_or(|x| t < x)
            })
        };
        if !a.evidence.iter().any(standing) {
            return Some(NotInForce::EvidenceGone);
        }
    }
    None
}

/// The state of a requirement at `t` from its records (design §3.2; the first rule that holds
/// wins).
pub fn requirement_state(r: &Records<'_>, t: DateTime<Utc>) -> Assessed {
    let done = |state, because| Assessed { state, because };
    let known: Vec<&Submission> = r
        .submissions
        .iter()
        .filter(|s| s.submitted_at <= t)
        .collect();
    // A: the latest approved submission (by when it was submitted: approving an older one
    // later does not undo a newer claim).
    let latest_approved = known
        .iter()
        .copied()
        .filter(|s| decided(s, t).is_some_and(|d| d.approved))
        .max_by(|a, b| (a.submitted_at, &a.id).cmp(&(b.submitted_at, &b.id)));
    let newer_than_a = |s: &&Submission| {
        latest_approved.is_none_or(|a| (s.submitted_at, &s.id) > (a.submitted_at, &a.id))
    };
    let in_force = latest_approved.map(|a| (a, not_in_force(a, r, t)));

    // 1, 2: in force and implemented, inherited or not applicable.
    if let Some((a, None)) = in_force {
        let because = Because::InForce {
            attestation: a.id.clone(),
            until: a.expiry,
        };
        match a.status {
            AttestationStatus::Implemented | AttestationStatus::Inherited => {
                let state = if a.expiry - t <= WARNING_WINDOW {
                    RequirementState::Expiring
                } else {
                    RequirementState::Satisfied
                };
                return done(state, because);
            }
            AttestationStatus::NotApplicable => {
                return done(RequirementState::NotApplicable, because);
            }
            _ => {}
        }
    }
    // 3: an active exception.
    if let Some(e) = r
        .exceptions
        .iter()
        .filter(|e| e.from <= t && t < e.ended_at.map_or(e.until, |end| end.min(e.until)))
        .max_by_key(|e| e.until)
    {
        return done(
            RequirementState::Excepted,
            Because::Exception {
                exception: e.id.clone(),
                until: e.until,
            },
        );
    }
    // 4: a submission newer than A awaits review.
    if let Some(s) = known
        .iter()
        .copied()
        .filter(newer_than_a)
        .filter(|s| decided(s, t).is_none())
        .max_by_key(|s| s.submitted_at)
    {
        return done(
            RequirementState::PendingReview,
            Because::AwaitingReview {
                attestation: s.id.clone(),
            },
        );
    }
    // 5: the latest decision newer than A is a rejection.
    let latest_decision = known
        .iter()
        .copied()
        .filter(newer_than_a)
        .filter_map(|s| decided(s, t).map(|d| (s, d)))
        .max_by_key(|(_, d)| d.at);
    if let Some((s, d)) = latest_decision.filter(|(_, d)| !d.approved) {
        return done(
            RequirementState::Rejected,
            Because::RejectedWith {
                attestation: s.id.clone(),
                comment: d.comment.clone(),
            },
        );
    }
    match in_force {
        // 6: in force and partially implemented.
        Some((a, None)) if a.status == AttestationStatus::PartiallyImplemented => done(
            RequirementState::Partial,
            Because::InForce {
                attestation: a.id.clone(),
                until: a.expiry,
            },
        ),
        // 7: approved but not in force.
        Some((a, Some(why))) => done(
            RequirementState::Expired,
            Because::NotInForce {
                attestation: a.id.clone(),
                why,
            },
        ),
        // 8: otherwise.
        Some((a, None)) => done(
            RequirementState::Gap,
            Because::NotImplemented {
                attestation: a.id.clone(),
            },
        ),
        None => done(RequirementState::Gap, Because::NothingApproved),
    }
}

/// The first instant after `t` at which the state changes without any new record: where an
/// attestation's or an exception's dates, or a cited item's expiry, fall. `None` when nothing
/// changes by itself any more.
pub fn next_change(r: &Records<'_>, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut instants: Vec<DateTime<Utc>> = Vec::new();
    for s in r.submissions {
        instants.extend([
            s.effective,
            s.expiry,
            s.expiry - WARNING_WINDOW,
            s.submitted_at,
        ]);
        instants.extend(s.decision.as_ref().map(|d| d.at));
    }
    for e in r.exceptions {
        instants.extend([e.from, e.until]);
        instants.extend(e.ended_at);
    }
    for e in r.evidence {
        instants.extend(e.expires_at);
        instants.extend(e.withdrawn_at);
    }
    for p in r.artifacts {
        instants.push(p.from);
        instants.extend(p.until);
    }
    instants.retain(|i| *i > t);
    instants.sort_unstable();
    instants.dedup();
    // The state or what decided it: a stretch keeps its reason to its end.
    let now = requirement_state(r, t);
    instants
        .into_iter()
        .find(|i| requirement_state(r, *i) != now)
}

/// One stretch of a requirement's states: `state` from `from` until `until` (open-ended when
/// `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stretch {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub assessed: Assessed,
}

/// The states from `t` on, as far as they change by themselves: what the store keeps for each
/// requirement, so that "the state now" is a comparison of stored instants with now.
pub fn timeline(r: &Records<'_>, t: DateTime<Utc>) -> Vec<Stretch> {
    let mut out = Vec::new();
    let mut from = t;
    loop {
        let assessed = requirement_state(r, from);
        let until = next_change(r, from);
        out.push(Stretch {
            from,
            until,
            assessed,
        });
        match until {
            // A handful at most (warning window, expiry, an exception's end, evidence
            // expiring); the bound only guards against records that are not well-formed,
            // and the last stretch then holds on.
            Some(next) if out.len() < 16 => from = next,
            Some(_) => {
                if let Some(last) = out.last_mut() {
                    last.until = None;
                }
                return out;
            }
            None => return out,
        }
    }
}

#[cfg(test)]
mod tests;
