//! Administering people (design §1: admins only): listing them with their roles, adding a
//! person with a first role and a temporary password, granting and revoking roles, disabling
//! and enabling an account — asking for a new owner of the workloads a disabled person owns —
//! and resetting a password. Every change ends the person's sessions where it takes something
//! away (the store bumps their epoch) and is recorded by the store's write.

use super::authorize::require;
use super::{Outcome, Refusal};
use crate::domain::policy::{Action, Grant, GrantScope, Role};
use crate::domain::text::is_single_line;
use crate::domain::{FieldErrors, Principal, TeamId, UserId};
use crate::dto::{GrantView, NewPerson, PersonView};
use crate::error::{log_internal, AppError};
use crate::ports::{Constraint, PasswordHasher, PasswordKind, SessionAccount, Store, StoreError};

/// Longest name or email kept.
pub const NAME_MAX: usize = 200;

fn internal(e: String) -> AppError {
    AppError::Internal(log_internal(e))
}

/// An administrator changes other people's roles and accounts, never their own: granting
/// themselves a role would give them what design §1 keeps from admins, and taking one, or
/// resetting their own password, would end their own session.
fn not_yourself(caller: &Principal, user: &UserId) -> Option<Refusal> {
    caller.person().filter(|p| &p.id == user).map(|_| {
        Refusal::message(
            "You cannot change your own roles or account here; another administrator can. \
             Your password is changed on your account page.",
        )
    })
}

/// Every person with their roles, by name.
pub async fn people(store: &dyn Store, caller: &Principal) -> Result<Vec<PersonView>, AppError> {
    require(caller, Action::Administer)?;
    let teams = store.list_teams().await?;
    Ok(store
        .all_accounts()
        .await?
        .into_iter()
        .map(|a| view_of(a, &teams))
        .collect())
}

fn view_of(a: SessionAccount, teams: &[crate::dto::Team]) -> PersonView {
    let team_name = |id: &TeamId| {
        teams
            .iter()
            .find(|t| &t.id == id)
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    };
    let grants = a
        .grants
        .iter()
        .map(|g| {
            let (label, team_id) = match g.scope() {
                GrantScope::Organization => (
                    format!("{} · whole organization", g.role().label()),
                    String::new(),
                ),
                GrantScope::Team(t) => (
                    format!("{} · {}", g.role().label(), team_name(t)),
                    t.0.clone(),
                ),
            };
            GrantView {
                label,
                role: g.role().code().to_string(),
                team_id,
            }
        })
        .collect();
    PersonView {
        id: a.credentials.user_id.clone(),
        name: a.name,
        email: a.email,
        grants,
        disabled: a.credentials.disabled,
        has_password: a.credentials.password_hash.is_some(),
        must_change_password: a.credentials.must_change,
        second_factor: a.credentials.second_factor,
    }
}

/// One person, or not found.
pub async fn person(
    store: &dyn Store,
    caller: &Principal,
    id: &UserId,
) -> Result<PersonView, AppError> {
    require(caller, Action::Administer)?;
    // One account's read, not every person's.
    let account = store
        .session_account(id)
        .await?
        .ok_or_else(|| AppError::NotFound("This person".into()))?;
    Ok(view_of(account, &store.list_teams().await?))
}

/// The grant a form asks for: a role code and a team id (empty for the whole organization).
async fn grant_of(
    store: &dyn Store,
    role: &str,
    team: &str,
) -> Result<Result<Grant, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let Some(role) = Role::from_code(role) else {
        errors.add("role", "Choose a role from the list.");
        return Ok(Err(errors));
    };
    let scope = if team.trim().is_empty() {
        GrantScope::Organization
    } else {
        match TeamId::parse(team) {
            Some(id) if store.get_team(&id).await?.is_some() => GrantScope::Team(id),
            _ => {
                errors.add("team_id", "Choose a team from the list.");
                return Ok(Err(errors));
            }
        }
    };
    Ok(Grant::new(role, scope).map_err(|e| {
        let mut errors = FieldErrors::default();
        errors.add("team_id", e.0);
        errors
    }))
}

/// Adds a person with a first role and a temporary password, which is returned to be shown
/// once to the admin (the person replaces it at first sign-in).
pub async fn add_person(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    caller: &Principal,
    form: &NewPerson,
) -> Result<Outcome<(UserId, String)>, AppError> {
    require(caller, Action::Administer)?;
    let mut errors = FieldErrors::default();
    let (name, email) = (form.name.trim(), form.email.trim().to_lowercase());
    if name.is_empty() {
        errors.add("name", "Enter the person's name.");
    } else if name.chars().count() > NAME_MAX || !is_single_line(name) {
        errors.add(
            "name",
            format!("Use one line of at most {NAME_MAX} characters."),
        );
    }
    let shaped = email
        .split_once('@')
        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty());
    if !shaped || email.chars().count() > NAME_MAX || !is_single_line(&email) || email.contains(' ')
    {
        errors.add("email", "Enter an email address such as name@example.org.");
    }
    let grant = match grant_of(store, &form.role, &form.team_id).await? {
        Ok(g) => Some(g),
        Err(e) => {
            for field in ["role", "team_id"] {
                if let Some(m) = e.get(field) {
                    errors.add(field, m);
                }
            }
            None
        }
    };
    let (Some(grant), true) = (grant, errors.is_empty()) else {
        return Ok(Outcome::Refused(Refusal::fields(errors)));
    };
    let user = match store.create_user(name, &email, false, caller).await {
        Ok(u) => u,
        Err(StoreError::Conflict {
            constraint: Constraint::UserEmail,
        }) => {
            return Ok(Outcome::Refused(Refusal::field(
                "email",
                "Someone already signs in with this email.",
            )))
        }
        Err(e) => return Err(e.into()),
    };
    store.grant(&user.id, &grant, caller).await?;
    let password = hasher.temporary().map_err(internal)?;
    let hash = hasher.hash(&password).await.map_err(internal)?;
    store
        .set_password(&user.id, &hash, PasswordKind::Temporary, caller)
        .await?;
    Ok(Outcome::Done((user.id, password)))
}

/// Grants `role` (for `team`, or the whole organization when empty) to `user`.
pub async fn grant_role(
    store: &dyn Store,
    caller: &Principal,
    user: &UserId,
    role: &str,
    team: &str,
) -> Result<Outcome<()>, AppError> {
    let target = person(store, caller, user).await?;
    if let Some(refused) = not_yourself(caller, user) {
        return Ok(Outcome::Refused(refused));
    }
    let grant = match grant_of(store, role, team).await? {
        Ok(g) => g,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    if target.disabled {
        return Ok(Outcome::Refused(Refusal::message(
            "This account is disabled: enable it before granting roles.",
        )));
    }
    store.grant(user, &grant, caller).await?;
    Ok(Outcome::Done(()))
}

/// Revokes a grant; the person's sessions end. An admin never takes their own admin role
/// (someone else must), so the organization cannot lose its last one by a slip.
pub async fn revoke_role(
    store: &dyn Store,
    caller: &Principal,
    user: &UserId,
    role: &str,
    team: &str,
) -> Result<Outcome<()>, AppError> {
    person(store, caller, user).await?;
    if let Some(refused) = not_yourself(caller, user) {
        return Ok(Outcome::Refused(refused));
    }
    let grant = match grant_of(store, role, team).await? {
        Ok(g) => g,
        Err(errors) => return Ok(Outcome::Refused(Refusal::fields(errors))),
    };
    store.revoke(user, &grant, caller).await?;
    Ok(Outcome::Done(()))
}

/// Disables (or enables) an account. A person who owns workloads is disabled only once a new
/// owner is named, who then takes their place on each of those workloads.
pub async fn set_disabled(
    store: &dyn Store,
    caller: &Principal,
    user: &UserId,
    disabled: bool,
    new_owner: &str,
) -> Result<Outcome<()>, AppError> {
    person(store, caller, user).await?;
    if let Some(refused) = not_yourself(caller, user) {
        return Ok(Outcome::Refused(refused));
    }
    if disabled {
        let owned = store.workloads_owned_by(user).await?;
        if !owned.is_empty() {
            let heir = UserId::parse(new_owner.trim()).filter(|h| h != user);
            // Someone who can still sign in.
            let enabled = match &heir {
                Some(h) => store.credentials(h).await?.is_some_and(|c| !c.disabled),
                None => false,
            };
            let heir = match heir {
                Some(h) if enabled => h,
                _ => {
                    let mut names = Vec::new();
                    for id in owned.iter().take(10) {
                        if let Some(w) = store.get_workload(id).await? {
                            names.push(w.draft.name);
                        }
                    }
                    let more = owned.len().saturating_sub(names.len());
                    let tail = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    return Ok(Outcome::Refused(Refusal::field(
                        "new_owner",
                        format!(
                            "This person owns {} workload(s): {}{tail}. Choose who owns them instead.",
                            owned.len(),
                            names.join(", ")
                        ),
                    )));
                }
            };
            for id in &owned {
                hand_over(store, caller, id, user, &heir).await?;
            }
        }
    }
    store.set_disabled(user, disabled, caller).await?;
    Ok(Outcome::Done(()))
}

/// `heir` takes `from`'s place among the owners of workload `id` (a new version).
async fn hand_over(
    store: &dyn Store,
    caller: &Principal,
    id: &crate::domain::WorkloadId,
    from: &UserId,
    heir: &UserId,
) -> Result<(), AppError> {
    let Some(w) = store.get_workload(id).await? else {
        return Ok(());
    };
    let mut draft = w.draft.clone();
    if &draft.primary_owner == from {
        draft.primary_owner = heir.clone();
    }
    let mut others: Vec<UserId> = Vec::new();
    for o in draft.other_owners.iter() {
        let o = if o == from { heir.clone() } else { o.clone() };
        if o != draft.primary_owner && !others.contains(&o) {
            others.push(o);
        }
    }
    draft.other_owners = others;
    store
        .update_workload(id, w.revision, &draft, caller)
        .await?;
    Ok(())
}

/// Gives `user` a new temporary password, returned to be shown once; their sessions end.
pub async fn reset_password(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    caller: &Principal,
    user: &UserId,
) -> Result<Outcome<String>, AppError> {
    person(store, caller, user).await?;
    if let Some(refused) = not_yourself(caller, user) {
        return Ok(Outcome::Refused(refused));
    }
    let password = hasher.temporary().map_err(internal)?;
    let hash = hasher.hash(&password).await.map_err(internal)?;
    store
        .set_password(user, &hash, PasswordKind::Temporary, caller)
        .await?;
    Ok(Outcome::Done(password))
}

/// Longest team name kept.
pub const TEAM_NAME_MAX: usize = 100;

/// The refusal of a team name, if it is not one.
fn team_name_problem(name: &str) -> Option<Refusal> {
    if name.is_empty() {
        return Some(Refusal::field("name", "Enter the team's name."));
    }
    if name.chars().count() > TEAM_NAME_MAX || !is_single_line(name) {
        return Some(Refusal::field(
            "name",
            format!("Use one line of at most {TEAM_NAME_MAX} characters."),
        ));
    }
    None
}

/// The refusal of a name another team has.
fn taken(e: StoreError) -> Result<Refusal, AppError> {
    match e {
        StoreError::Conflict {
            constraint: Constraint::TeamName,
        } => Ok(Refusal::field("name", "Another team has this name.")),
        other => Err(other.into()),
    }
}

/// Adds a team.
pub async fn add_team(
    store: &dyn Store,
    caller: &Principal,
    name: &str,
) -> Result<Outcome<TeamId>, AppError> {
    require(caller, Action::Administer)?;
    let name = name.trim();
    if let Some(refused) = team_name_problem(name) {
        return Ok(Outcome::Refused(refused));
    }
    match store.create_team(name, false, caller).await {
        Ok(team) => Ok(Outcome::Done(team.id)),
        Err(e) => taken(e).map(Outcome::Refused),
    }
}

/// Renames a team.
pub async fn rename_team(
    store: &dyn Store,
    caller: &Principal,
    id: &TeamId,
    name: &str,
) -> Result<Outcome<()>, AppError> {
    require(caller, Action::Administer)?;
    let name = name.trim();
    if let Some(refused) = team_name_problem(name) {
        return Ok(Outcome::Refused(refused));
    }
    match store.rename_team(id, name, caller).await {
        Ok(()) => Ok(Outcome::Done(())),
        Err(StoreError::NotFound) => Err(AppError::NotFound("This team".into())),
        Err(e) => taken(e).map(Outcome::Refused),
    }
}

/// Archives (or restores) a team: its workloads stay readable and stop changing.
pub async fn set_team_archived(
    store: &dyn Store,
    caller: &Principal,
    id: &TeamId,
    archived: bool,
) -> Result<(), AppError> {
    require(caller, Action::Administer)?;
    match store.set_team_archived(id, archived, caller).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(AppError::NotFound("This team".into())),
        Err(e) => Err(e.into()),
    }
}

/// Every team, archived ones included, for the teams page.
pub async fn teams(
    store: &dyn Store,
    caller: &Principal,
) -> Result<Vec<crate::dto::Team>, AppError> {
    require(caller, Action::Administer)?;
    Ok(store.list_teams().await?)
}

/// The organization's security settings.
pub async fn security_settings(
    store: &dyn Store,
    caller: &Principal,
) -> Result<crate::dto::SecuritySettings, AppError> {
    require(caller, Action::Administer)?;
    Ok(crate::dto::SecuritySettings {
        second_factor_required: store.second_factor_required().await?,
    })
}

/// Requires (or stops requiring) a second factor of administrators and security leads. Those
/// without one are held at its set-up page from their next request on, the caller included.
pub async fn set_second_factor_required(
    store: &dyn Store,
    caller: &Principal,
    required: bool,
) -> Result<(), AppError> {
    require(caller, Action::Administer)?;
    store.set_second_factor_required(required, caller).await?;
    Ok(())
}
