//! `strata demo`: seeds the demo organization (marked as demo, so `--remove` can take it out).
//! Demo workloads go through the same form validation and store calls as a person's would.

mod data;
pub mod history;

use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::workload::WorkloadDraft;
use app::domain::workload_form::WorkloadForm;
use app::domain::{Phase, Principal, TeamId, UserId};
use app::ports::{PasswordKind, SharedStore, StoreError};
pub use data::DEMO_PASSWORD;

/// A demo person with the demo password (the security lead), whose account tells whether the
/// demo's sign-ins exist.
pub const DEMO_EMAIL: &str = data::PEOPLE[data::WITH_PASSWORD[0]].1;
use data::{
    ADMINS, ATTRIBUTE_ORDER, ORGANIZATION_AUDITORS, PEOPLE, SECURITY_LEADS, TEAMS, TEAM_AUDITORS,
    WITH_PASSWORD, WORKLOADS,
};

/// What seeding created.
#[derive(Debug, PartialEq, Eq)]
pub struct Seeded {
    pub teams: usize,
    pub users: usize,
    pub workloads: usize,
    /// Attestations of the year of history (none without a catalog).
    pub attestations: usize,
}

/// Creates the demo organization; if any step fails, what was seeded is removed again.
pub async fn seed(store: &SharedStore) -> Result<Seeded, StoreError> {
    match seed_all(store).await {
        Ok(seeded) => Ok(seeded),
        Err(e) => {
            store.remove_demo(&Principal::demo_seed()).await?;
            Err(e)
        }
    }
}

async fn seed_all(store: &SharedStore) -> Result<Seeded, StoreError> {
    let actor = Principal::demo_seed();
    let mut teams = Vec::new();
    for name in TEAMS {
        teams.push(store.create_team(name, true, &actor).await?.id);
    }
    let mut people = Vec::new();
    for (name, email) in PEOPLE {
        people.push(store.create_user(name, email, true, &actor).await?);
    }
    for (i, person) in people.iter().enumerate() {
        for grant in demo_grants(i, &teams)? {
            store.grant(&person.id, &grant, &actor).await?;
        }
    }
    // One hash for the one documented password: it is public, a salt of its own buys nothing.
    let hash = crate::passwords::Passwords::new(1)
        .hash(DEMO_PASSWORD)
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
    for i in WITH_PASSWORD {
        store
            .set_password(&people[i].id, &hash, PasswordKind::Demo, &actor)
            .await?;
    }
    let now = chrono::Utc::now();
    let mut seeded = Vec::new();
    for w in &WORKLOADS {
        let draft = draft(w, &teams[w.team], &people)?;
        let id = store
            .create_workload(&draft, Phase::Prototype, &actor, true)
            .await?;
        // Reach the target phase through promotions, so history reads as it would in use.
        let target = Phase::from_code(w.phase).ok_or_else(|| bad(w.name, "phase"))?;
        let (mut phase, mut revision) = (Phase::Prototype, 1);
        while phase < target {
            let next = phase.next().ok_or_else(|| bad(w.name, "phase"))?;
            revision = store
                .change_phase(&id, revision, next, None, &actor)
                .await?
                .revision;
            phase = next;
        }
        // Registered a year ago and promoted since, so that "as of" a past day finds it.
        let starts: &[i64] = match target {
            Phase::Prototype => &[372],
            Phase::Production => &[372, 240],
            Phase::Scale => &[372, 300, 150],
        };
        let starts: Vec<_> = starts
            .iter()
            .map(|days| now - chrono::TimeDelta::days(*days))
            .collect();
        store.backdate_versions(&id, &starts, &actor).await?;
        seeded.push((id, w.team));
    }
    let cast = cast(&people, &teams)?;
    let history = history::record(store, &seeded, &cast, now).await?;
    Ok(Seeded {
        teams: TEAMS.len(),
        users: PEOPLE.len(),
        workloads: WORKLOADS.len(),
        attestations: history.attestations,
    })
}

/// The demo people as the history's actors: each team's contributors, and the security leads.
fn cast(people: &[app::dto::User], teams: &[TeamId]) -> Result<history::Cast, StoreError> {
    let mut contributors = vec![Vec::new(); teams.len()];
    let mut leads = Vec::new();
    for (i, user) in people.iter().enumerate() {
        let grants = demo_grants(i, teams)?;
        let person = Principal::Person(app::domain::Person {
            id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            grants: grants.clone(),
            must_change_password: false,
            must_enrol_second_factor: false,
        });
        if history::is_lead(i) {
            leads.push(person);
        } else if grants.iter().any(|g| g.role() == Role::Contributor) {
            contributors[i / 3].push(person);
        }
    }
    Ok(history::Cast {
        contributors,
        leads,
    })
}

/// The grants of demo person `i` (`data.rs` says who holds which role).
fn demo_grants(i: usize, teams: &[TeamId]) -> Result<Vec<Grant>, StoreError> {
    let (role, scope) = if SECURITY_LEADS.contains(&i) {
        (Role::SecurityLead, GrantScope::Organization)
    } else if ADMINS.contains(&i) {
        (Role::Admin, GrantScope::Organization)
    } else if ORGANIZATION_AUDITORS.contains(&i) {
        (Role::Auditor, GrantScope::Organization)
    } else if let Some((_, team)) = TEAM_AUDITORS.iter().find(|(p, _)| *p == i) {
        (Role::Auditor, GrantScope::Team(teams[*team].clone()))
    } else {
        (Role::Contributor, GrantScope::Team(teams[i / 3].clone()))
    };
    Grant::new(role, scope)
        .map(|g| vec![g])
        .map_err(|e| StoreError::Other(e.0))
}

fn bad(name: &str, what: &str) -> StoreError {
    StoreError::Other(format!("demo workload {name}: invalid {what}"))
}

/// The attributes of a demo workload, checked by the same rules as a person's form.
pub fn attributes(w: &data::DemoWorkload) -> Result<app::domain::Attributes, StoreError> {
    let mut form = WorkloadForm::default();
    let codes: Vec<&str> = w.attributes.split_whitespace().collect();
    if codes.len() != ATTRIBUTE_ORDER.len() {
        return Err(bad(w.name, "attribute list"));
    }
    for (field, code) in ATTRIBUTE_ORDER.iter().zip(codes) {
        if !form.set_attribute(field.code, code) {
            return Err(bad(w.name, field.code));
        }
    }
    form.checked_attributes()
        .map_err(|e| bad(w.name, &e.summary()))
}

fn draft(
    w: &data::DemoWorkload,
    team: &TeamId,
    people: &[app::dto::User],
) -> Result<WorkloadDraft, StoreError> {
    let member = |i: usize| &people[i];
    let form = WorkloadForm {
        name: w.name.into(),
        description: w.purpose.into(),
        team_id: team.0.clone(),
        primary_owner: member(w.owners[0]).id.0.clone(),
        tags: w.tags.into(),
        model_name: w.model.0.into(),
        model_version: w.model.1.into(),
        ..WorkloadForm::blank()
    };
    let c = form.check().map_err(|e| bad(w.name, &e.summary()))?;
    Ok(WorkloadDraft {
        name: c.name,
        description: c.description,
        team_id: team.clone(),
        primary_owner: UserId(c.primary_owner),
        other_owners: w.owners[1..]
            .iter()
            .map(|i| member(*i).id.clone())
            .collect(),
        attributes: attributes(w)?,
        model_refs: c.model_refs,
        dataset_refs: c.dataset_refs,
        tags: c.tags,
    })
}

#[cfg(test)]
mod tests {
    use super::data::*;

    #[test]
    fn phases_are_about_forty_forty_twenty() {
        let count = |p: &str| WORKLOADS.iter().filter(|w| w.phase == p).count();
        assert_eq!(
            (count("prototype"), count("production"), count("scale")),
            (12, 12, 6)
        );
    }

    #[test]
    fn every_condition_code_is_true_for_two_workloads_and_false_for_others() {
        use app::domain::condition::ConditionCode;
        let all: Vec<_> = WORKLOADS
            .iter()
            .map(|w| super::attributes(w).expect("valid"))
            .collect();
        let catalog = crate::catalog::parse(crate::catalog::STARTER).expect("starter");
        let mut codes: Vec<ConditionCode> = catalog
            .controls
            .iter()
            .flat_map(|c| c.applies_when.codes())
            .collect();
        codes.extend(catalog.pull_forward.iter().flat_map(|r| r.when.codes()));
        codes.sort();
        codes.dedup();
        for code in codes {
            let on = all.iter().filter(|a| code.holds(a)).count();
            if code == ConditionCode::Always {
                continue;
            }
            assert!(
                on >= 2 && on < all.len(),
                "{} holds for {on} of {}",
                code.code(),
                all.len()
            );
        }
    }

    #[test]
    fn every_starter_control_is_required_by_some_demo_workload() {
        use app::domain::applicability::required;
        use app::domain::Phase;
        let catalog = crate::catalog::parse(crate::catalog::STARTER).expect("starter");
        let mut seen = std::collections::BTreeSet::new();
        for w in &WORKLOADS {
            let a = super::attributes(w).expect("valid");
            let phase = Phase::from_code(w.phase).expect("phase");
            seen.extend(
                required(&a, phase, &catalog)
                    .into_iter()
                    .map(|c| c.id.clone()),
            );
        }
        let missing: Vec<_> = catalog
            .controls
            .iter()
            .filter(|c| !seen.contains(&c.id))
            .map(|c| c.id.as_str())
            .collect();
        assert!(missing.is_empty(), "never required: {missing:?}");
    }

    #[test]
    fn every_workload_has_one_to_three_owners_of_its_team() {
        for w in &WORKLOADS {
            assert!((1..=3).contains(&w.owners.len()), "{}", w.name);
            assert!(
                w.owners.iter().all(|i| i / 3 == w.team) && w.team < TEAMS.len(),
                "{}",
                w.name
            );
        }
    }
}
