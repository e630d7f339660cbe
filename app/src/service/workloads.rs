//! Workloads: the list, one workload with everything its page shows, and creating and editing
//! them. Refusals are outcomes (`Outcome::Refused`) that name the fields.

use super::authorize::{require, require_on};
use super::requirements::for_workload;
use super::workload_form::resolve;
use super::{Outcome, Refusal};
use crate::domain::history::{change_summary, HistoryWindow};
use crate::domain::listing::WorkloadQuery;
use crate::domain::policy::Action;
use crate::domain::workload::Workload;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::{Phase, Principal, UserId, WorkloadId};
use crate::dto::{
    EditForm, FormChoices, HistoryEntry, HistoryPage, PhaseCount, Team, User, WorkloadPage,
    WorkloadView,
};
use crate::error::AppError;
use crate::ports::{Constraint, Store, StoreError};
use tracing::instrument;

/// The current version of a workload the caller may read; `NotFound` when there is none or it
/// belongs to a team outside their reach. Use cases about a single workload start from this.
pub async fn load(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
) -> Result<Workload, AppError> {
    load_for(store, caller, id, Action::ReadWorkloads).await
}

/// The current version of a workload the caller may do `action` on: not found outside what
/// they may read, forbidden when they may read it but not do this.
pub async fn load_for(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    action: Action,
) -> Result<Workload, AppError> {
    // Refused before the read when the caller may do this nowhere.
    require(caller, action)?;
    let workload = found(store.get_workload(id).await?)?;
    require_on(caller, action, &workload.draft.team_id, WORKLOAD)?;
    Ok(workload)
}

/// What "not found" names.
const WORKLOAD: &str = "This workload";

/// A workload that was read, or the one "not found" answer for one that was not.
fn found(workload: Option<Workload>) -> Result<Workload, AppError> {
    workload.ok_or_else(not_found)
}

fn not_found() -> AppError {
    AppError::NotFound(WORKLOAD.into())
}

/// The workload id written in an address or argument. Text of another shape names no workload:
/// it gets the same "not found" as an unknown id, without a query.
pub fn workload_id(text: &str) -> Result<WorkloadId, AppError> {
    WorkloadId::parse(text).ok_or_else(not_found)
}

/// One page of the list; any caller's numbers are held to the URL's bounds.
#[instrument(skip_all)]
pub async fn list(
    store: &dyn Store,
    caller: &Principal,
    query: WorkloadQuery,
) -> Result<WorkloadPage, AppError> {
    let reach = require(caller, Action::ReadWorkloads)?;
    let query = query.clamped();
    if let Some(problem) = query.problem() {
        return Err(AppError::BadRequest(problem));
    }
    Ok(store.list_workloads(&query, &reach).await?)
}

/// A workload with team and owner names, one page of its history (`history_page`, 1 is the
/// newest; clamped to the pages there are), requirements and readiness.
#[instrument(skip_all, fields(workload.id = %id))]
pub async fn view(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    history_page: u32,
    as_of: Option<&str>,
) -> Result<WorkloadView, AppError> {
    let workload = load(store, caller, id).await?;
    // A day that cannot be shown is said beside its field; the rest of the page stands.
    let (as_of, as_of_error) = match as_of {
        Some(day) => match super::as_of::states_as_of(store, &workload, day).await {
            Ok(v) => (Some(v), None),
            Err(AppError::Validation(e)) => (None, e.get("as_of").map(str::to_string)),
            Err(e) => return Err(e),
        },
        None => (None, None),
    };
    let history = history(store, &workload, history_page).await?;
    let team = store
        .get_team(&workload.draft.team_id)
        .await?
        .ok_or_else(|| {
            AppError::Internal(crate::error::log_internal("workload without its team"))
        })?;
    let team_name = team.name.clone();
    let mut owner_ids = vec![workload.draft.primary_owner.clone()];
    owner_ids.extend(workload.draft.other_owners.iter().cloned());
    // Primary owner first, then the others in the order they were given.
    let owners = users_in_order(store, &owner_ids).await?;
    let (requirements, readiness) = for_workload(store, &workload).await?;
    let layer_chart =
        super::charts::layer_chart(requirements.iter().map(|r| (r.required, r.layer)));
    let open = super::requirements::open_for_promotion(&requirements, readiness.as_ref());
    let mut actions = super::phase::actions(caller, &workload, open);
    if team.archived {
        // Read, never changed.
        actions = crate::dto::WorkloadActions {
            edit: false,
            attest: false,
            promote: crate::dto::Promote::No,
            demote: false,
        };
    }
    Ok(WorkloadView {
        actions,
        workload,
        team_name,
        owners,
        history,
        requirements,
        readiness,
        layer_chart,
        as_of,
        as_of_error,
    })
}

/// One page of a workload's history. The version just before the page is read too: an edit's
/// summary names the fields it changed since then.
async fn history(
    store: &dyn Store,
    workload: &Workload,
    page: u32,
) -> Result<HistoryPage, AppError> {
    let window = HistoryWindow::new(workload.revision, page);
    let versions = store
        .workload_revisions(&workload.id, (window.low - 1).max(1), window.high)
        .await?;
    let entries = versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.revision >= window.low)
        .map(|(i, v)| HistoryEntry {
            revision: v.revision,
            summary: change_summary(v, versions.get(i + 1)),
            changed_by: v.changed_by.clone(),
            note: v.change_note.clone(),
            valid_from: v.valid_from,
            valid_to: v.valid_to,
        })
        .collect();
    Ok(HistoryPage {
        entries,
        page: window.page,
        pages: window.pages,
    })
}

/// The people of `ids`, in the order of `ids` (the store returns them in name order).
async fn users_in_order(store: &dyn Store, ids: &[UserId]) -> Result<Vec<User>, AppError> {
    let users = store.users_by_ids(ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| users.iter().find(|u| &u.id == id).cloned())
        .collect())
}

/// The current version of a workload as the values of its edit form.
#[instrument(skip_all, fields(workload.id = %id))]
pub async fn edit_form(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
) -> Result<EditForm, AppError> {
    let workload = load_for(store, caller, id, Action::ChangeWorkloads).await?;
    if let Some(archived) = archived_team(store, &workload).await? {
        return Err(AppError::Conflict(archived.message.unwrap_or_default()));
    }
    // In the order they were given, as the form showed them.
    let emails: Vec<String> = users_in_order(store, &workload.draft.other_owners)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    Ok(EditForm {
        id: workload.id.clone(),
        name: workload.draft.name.clone(),
        form: WorkloadForm::from_workload(&workload, &emails),
    })
}

/// How many workloads are in each phase.
#[instrument(skip_all)]
pub async fn phase_counts(
    store: &dyn Store,
    caller: &Principal,
) -> Result<Vec<PhaseCount>, AppError> {
    let reach = require(caller, Action::ReadWorkloads)?;
    Ok(store.count_by_phase(&reach).await?)
}

/// The teams whose workloads the caller reads, for the list's team filter.
#[instrument(skip_all)]
pub async fn teams(store: &dyn Store, caller: &Principal) -> Result<Vec<Team>, AppError> {
    let reach = require(caller, Action::ReadWorkloads)?;
    Ok(store.teams_in(&reach).await?)
}

/// The teams and people the workload form offers: the teams the caller may register
/// workloads for, and the people of those teams.
#[instrument(skip_all)]
pub async fn form_choices(store: &dyn Store, caller: &Principal) -> Result<FormChoices, AppError> {
    let reach = require(caller, Action::ChangeWorkloads)?;
    let mut teams = store.teams_in(&reach).await?;
    // No new workload for an archived team, and no workload moves to one.
    teams.retain(|t| !t.archived);
    Ok(FormChoices {
        teams,
        users: store.users_in(&reach).await?,
    })
}

/// Registers a workload; it starts at prototype.
#[instrument(skip_all)]
pub async fn create(
    store: &dyn Store,
    caller: &Principal,
    form: &WorkloadForm,
) -> Result<Outcome<WorkloadId>, AppError> {
    let reach = require(caller, Action::ChangeWorkloads)?;
    let draft = match resolve(store, form, &reach).await? {
        Ok((draft, _)) => draft,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    match store
        .create_workload(&draft, Phase::Prototype, caller, false)
        .await
    {
        Ok(id) => Ok(Outcome::Done(id)),
        Err(e) => refusal_for(e).map(Outcome::Refused),
    }
}

/// Saves an edit, unless someone else changed the workload since the form was opened.
#[instrument(skip_all, fields(workload.id = %id))]
pub async fn update(
    store: &dyn Store,
    caller: &Principal,
    id: &WorkloadId,
    form: &WorkloadForm,
) -> Result<Outcome<WorkloadId>, AppError> {
    let current = load_for(store, caller, id, Action::ChangeWorkloads).await?;
    if let Some(archived) = archived_team(store, &current).await? {
        return Ok(Outcome::Refused(archived));
    }
    // The team it moves to is checked against the same reach.
    let reach = require(caller, Action::ChangeWorkloads)?;
    let (draft, revision) = match resolve(store, form, &reach).await? {
        Ok(resolved) => resolved,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    let Some(expected) = revision else {
        return Ok(Outcome::Refused(Refusal::field(
            "revision",
            "The form is damaged; reload the page.",
        )));
    };
    match store.update_workload(id, expected, &draft, caller).await {
        Ok(_) => Ok(Outcome::Done(id.clone())),
        Err(StoreError::StaleRevision { current }) => {
            // The person may retry on top of the newest version, keeping what they typed.
            let mut refusal = Refusal::field(
                "revision",
                "Someone else saved this workload after you opened the form. Your changes are \
                 below; open the workload in a new tab to see theirs, then save again.",
            );
            refusal.current_revision = Some(current);
            Ok(Outcome::Refused(refusal))
        }
        Err(e) => refusal_for(e).map(Outcome::Refused),
    }
}

/// The refusal of a change to a workload of an archived team, if its team is archived: such
/// workloads stay readable and never change.
pub async fn archived_team(
    store: &dyn Store,
    workload: &Workload,
) -> Result<Option<Refusal>, AppError> {
    let team = store.get_team(&workload.draft.team_id).await?;
    Ok(team.filter(|t| t.archived).map(|t| {
        Refusal::message(format!(
            "{} is archived: its workloads can be read, not changed.",
            t.name
        ))
    }))
}

/// The refusal for a write the schema refused, or the error when it is not the person's to fix.
fn refusal_for(e: StoreError) -> Result<Refusal, AppError> {
    match e {
        StoreError::Conflict {
            constraint: Constraint::WorkloadName,
        } => Ok(Refusal::field(
            "name",
            "This team already has a workload with this name.",
        )),
        other => Err(other.into()),
    }
}
