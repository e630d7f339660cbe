//! A generated organization for the bench: teams, people and workloads whose attributes are
//! drawn so that every condition code is both true and false for many workloads. Deterministic
//! (a fixed seed), so two runs measure the same data.

use super::draw::Draw;
use app::domain::attribute_fields::ATTRIBUTE_FIELDS;
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::workload::{ArtifactRef, WorkloadDraft};
use app::domain::workload_form::WorkloadForm;
use app::domain::{Phase, Principal, TeamId, UserId, WorkloadId};
use app::ports::{PasswordKind, SharedStore, StoreError};

/// Size of the organization.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub workloads: usize,
    pub teams: usize,
    pub people_per_team: usize,
}

impl Size {
    /// `workloads` workloads in 50 teams of 6 people (fewer teams for small runs).
    pub fn for_workloads(workloads: usize) -> Self {
        Size {
            workloads,
            teams: (workloads / 10).clamp(1, 50),
            people_per_team: 6,
        }
    }
}

/// What was created, for the routes to ask about.
pub struct Org {
    pub team_ids: Vec<TeamId>,
    pub workload_ids: Vec<WorkloadId>,
    /// A person whose page the admin routes open.
    pub person_id: UserId,
}

/// The password of the bench's two sign-ins.
pub const PASSWORD: &str = "bench passphrase for signing in";
/// A security lead: reads every workload.
pub const LEAD: &str = "lead@bench.test";
/// A contributor of the first team.
pub const CONTRIBUTOR: &str = "person00.0@bench.test";
/// An administrator: the people pages.
pub const ADMIN: &str = "admin@bench.test";

/// Creates the organization through the store, as the create form would.
pub async fn build(store: &SharedStore, size: Size) -> Result<Org, StoreError> {
    let actor = Principal::System("strata bench".into());
    let mut draw = Draw(0x5eed_5eed_5eed_5eed);
    let mut team_ids = Vec::new();
    let mut people = Vec::new();
    for t in 0..size.teams {
        team_ids.push(
            store
                .create_team(&format!("Team {t:02}"), false, &actor)
                .await?
                .id,
        );
        let contributor = Grant::new(Role::Contributor, GrantScope::Team(team_ids[t].clone()))
            .map_err(|e| StoreError::Other(e.0))?;
        for p in 0..size.people_per_team {
            let email = format!("person{t:02}.{p}@bench.test");
            let id = store
                .create_user(&format!("Person {t:02}-{p}"), &email, false, &actor)
                .await?
                .id;
            store.grant(&id, &contributor, &actor).await?;
            people.push(id);
        }
    }
    let lead = store
        .create_user("Bench lead", LEAD, false, &actor)
        .await?
        .id;
    let lead_grant = Grant::new(Role::SecurityLead, GrantScope::Organization)
        .map_err(|e| StoreError::Other(e.0))?;
    store.grant(&lead, &lead_grant, &actor).await?;
    let hash = crate::passwords::Passwords::new(1)
        .hash(PASSWORD)
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
    let admin = store
        .create_user("Bench admin", ADMIN, false, &actor)
        .await?
        .id;
    let admin_grant =
        Grant::new(Role::Admin, GrantScope::Organization).map_err(|e| StoreError::Other(e.0))?;
    store.grant(&admin, &admin_grant, &actor).await?;
    for person in [&lead, &people[0], &admin] {
        store
            .set_password(person, &hash, PasswordKind::Chosen, &actor)
            .await?;
    }
    let mut workload_ids = Vec::with_capacity(size.workloads);
    for w in 0..size.workloads {
        let team = w % size.teams;
        let member =
            |i: usize| people[team * size.people_per_team + i % size.people_per_team].clone();
        let mut form = WorkloadForm::blank();
        for f in &ATTRIBUTE_FIELDS {
            let options = (f.options)();
            form.set_attribute(f.code, options[draw.below(options.len())].0);
        }
        // Bought apps run at their vendor; the form would refuse them as self-hosted.
        if matches!(
            form.attribute("model_source"),
            "consumer_app" | "enterprise_app"
        ) {
            form.set_attribute("hosting", "provider_managed");
        }
        let phase = Phase::ALL[draw.below(Phase::ALL.len())];
        // A prohibited practice never leaves prototype.
        if phase != Phase::Prototype && form.attribute("eu_ai_act_class") == "prohibited" {
            form.set_attribute("eu_ai_act_class", "high_risk");
        }
        let attributes = form
            .checked_attributes()
            .map_err(|e| StoreError::Other(format!("bench attributes: {}", e.summary())))?;
        let draft = WorkloadDraft {
            name: format!(
                "Workload {w:05} {}",
                ["assistant", "scorer", "agent", "search"][w % 4]
            ),
            description: "Generated for the bench.".into(),
            team_id: team_ids[team].clone(),
            primary_owner: member(w),
            other_owners: vec![member(w + 1)],
            attributes,
            model_refs: vec![ArtifactRef {
                name: "model".into(),
                version: format!("{}", w % 7),
                digest: String::new(),
            }],
            dataset_refs: vec![],
            tags: vec![["pilot", "internal", "customer"][w % 3].into()],
        };
        workload_ids.push(store.create_workload(&draft, phase, &actor, false).await?);
    }
    submit_pending(store, &workload_ids, PENDING, &actor).await?;
    with_history(store, &workload_ids, &team_ids, &people, size, &lead).await?;
    Ok(Org {
        team_ids,
        workload_ids,
        person_id: people[0].clone(),
    })
}

/// Workloads with a year of attestation history (the demo's), from the middle of the list —
/// the measured workload page is the first — and clear of the pending submissions'.
pub const WITH_HISTORY: usize = 100;

/// Registers `WITH_HISTORY` workloads a year ago and records a year of attestations on them,
/// as the demo does: their pages are measured with a realistic history.
async fn with_history(
    store: &SharedStore,
    workloads: &[WorkloadId],
    teams: &[TeamId],
    people: &[UserId],
    size: Size,
    lead: &UserId,
) -> Result<(), StoreError> {
    use crate::demo::history::{record, Cast};
    let person = |id: &UserId, name: String, grant: Grant| {
        Principal::Person(app::domain::Person {
            id: id.clone(),
            email: format!("{name}@bench.test"),
            name,
            grants: vec![grant],
            must_change_password: false,
            must_enrol_second_factor: false,
        })
    };
    let mut contributors = vec![Vec::new(); teams.len()];
    for (i, id) in people.iter().enumerate() {
        let t = i / size.people_per_team;
        let grant = Grant::new(Role::Contributor, GrantScope::Team(teams[t].clone()))
            .map_err(|e| StoreError::Other(e.0))?;
        contributors[t].push(person(id, format!("person{t:02}.{i}"), grant));
    }
    let lead_grant = Grant::new(Role::SecurityLead, GrantScope::Organization)
        .map_err(|e| StoreError::Other(e.0))?;
    let cast = Cast {
        contributors,
        leads: vec![person(lead, "Bench lead".into(), lead_grant)],
    };
    let now = chrono::Utc::now();
    let actor = Principal::System("strata bench".into());
    let start = (workloads.len() / 2).max(PENDING.min(workloads.len()));
    let chosen: Vec<(WorkloadId, usize)> = workloads
        .iter()
        .enumerate()
        .skip(start)
        .take(WITH_HISTORY)
        .map(|(w, id)| (id.clone(), w % size.teams))
        .collect();
    for (id, _) in &chosen {
        let registered = [now - chrono::TimeDelta::days(372)];
        store.backdate_versions(id, &registered, &actor).await?;
    }
    record(store, &chosen, &cast, now).await?;
    Ok(())
}

/// Submissions awaiting review the bench leaves on the queue.
pub const PENDING: usize = 1_000;

/// Submits one attestation (awaiting review) on each of the first `n` workloads, of their first
/// required control: the review queue the bench measures.
async fn submit_pending(
    store: &SharedStore,
    workloads: &[WorkloadId],
    n: usize,
    actor: &Principal,
) -> Result<(), StoreError> {
    use app::domain::attestation::AttestationStatus;
    use app::ports::NewAttestation;
    let now = chrono::Utc::now();
    for id in workloads.iter().take(n) {
        let Some(w) = store.get_workload(id).await? else {
            continue;
        };
        let requirements = store.requirements(id).await?;
        let Some(r) = requirements.iter().find(|r| r.required) else {
            continue;
        };
        let claim = NewAttestation {
            workload_id: id.clone(),
            team_id: w.draft.team_id.clone(),
            control_id: r.control_id.clone(),
            status: AttestationStatus::Implemented,
            statement: "In place since the last release; see the linked review.".into(),
            justification: String::new(),
            inherited_from: String::new(),
            effective: now - chrono::TimeDelta::days(1),
            expiry: now + chrono::TimeDelta::days(90),
            artifact: None,
            evidence: vec![app::ports::NewEvidence::Link {
                title: "Review".into(),
                url: "https://tickets.bench.test/SEC-1".into(),
            }],
        };
        store.submit_attestation(&claim, actor).await?;
    }
    Ok(())
}
