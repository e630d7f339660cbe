//! The workload form's checks that need the store: the team and the owners exist and are within
//! the caller's reach (a team they may register workloads for, people of those teams). The
//! answers never tell what exists outside it. The checks that need nothing else run first, in
//! `domain::workload_form`, the same code as the browser's.

use crate::domain::policy::Reach;
use crate::domain::workload::WorkloadDraft;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::{FieldErrors, TeamId, UserId};
use crate::error::AppError;
use crate::ports::Store;

/// The draft the form describes with the revision it was opened at (none for a new one), or the
/// field errors that refuse it.
pub async fn resolve(
    store: &dyn Store,
    form: &WorkloadForm,
    reach: &Reach,
) -> Result<Result<(WorkloadDraft, Option<i64>), FieldErrors>, AppError> {
    let checked = match form.check() {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = FieldErrors::default();
    // Text not shaped like an id names nobody: no need to ask the store.
    let team_id = TeamId::parse(&checked.team_id);
    let team = match &team_id {
        Some(id) if reach.includes(id) => store.get_team(id).await?,
        _ => None,
    };
    match team {
        None => errors.add("team_id", "Choose one of the teams in the list."),
        Some(t) if t.archived => errors.add(
            "team_id",
            format!("{} is archived: choose a team in use.", t.name),
        ),
        Some(_) => {}
    }
    // The people the caller may name: everyone for the whole organization, else the people of
    // their teams (read once; a team has tens of people).
    let members = match reach.teams() {
        None => None,
        Some(_) => Some(store.users_in(reach).await?),
    };
    let in_reach = |id: &UserId| {
        members
            .as_ref()
            .is_none_or(|m| m.iter().any(|u| &u.id == id))
    };
    let primary = UserId::parse(&checked.primary_owner);
    let primary_exists = match &primary {
        Some(id) if in_reach(id) => !store
            .users_by_ids(std::slice::from_ref(id))
            .await?
            .is_empty(),
        _ => false,
    };
    if !primary_exists {
        errors.add("primary_owner", "Choose an owner from the list.");
    }
    let found: Vec<_> = store
        .users_by_emails(&checked.other_owner_emails)
        .await?
        .into_iter()
        .filter(|u| in_reach(&u.id))
        .collect();
    let mut other_owners: Vec<UserId> = Vec::new();
    for email in &checked.other_owner_emails {
        match found.iter().find(|u| u.email == *email) {
            Some(u) if Some(&u.id) != primary.as_ref() && !other_owners.contains(&u.id) => {
                other_owners.push(u.id.clone())
            }
            Some(_) => {}
            None => errors.add(
                "other_owners",
                format!("Nobody you can choose as an owner has the email {email}."),
            ),
        }
    }
    let (Some(team_id), Some(primary), true) = (team_id, primary, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let draft = WorkloadDraft {
        name: checked.name,
        description: checked.description,
        team_id,
        primary_owner: primary,
        other_owners,
        attributes: checked.attributes,
        model_refs: checked.model_refs,
        dataset_refs: checked.dataset_refs,
        tags: checked.tags,
    };
    Ok(Ok((draft, checked.revision)))
}
