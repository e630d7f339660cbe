//! Local accounts: a person changing their own password, the first administrator a new server
//! creates, and the temporary password an operator resets an account to. Every password a
//! person chooses meets `domain::password`; temporary ones must be replaced at next sign-in.

use super::attempts::{attempt, SIGN_IN_PER_ADDRESS};
use super::sign_in::AccountThrottle;
use super::{Outcome, Refusal};
use crate::domain::policy::{Grant, GrantScope, Role};
use crate::domain::{password, FieldErrors, Principal, UserId};
use crate::error::{log_internal, AppError};
use crate::ports::{PasswordHasher, PasswordKind, Store};

/// The email of the administrator a server creates when it has none.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost";
/// Their name.
pub const FIRST_ADMIN_NAME: &str = "admin";

fn internal(e: String) -> AppError {
    AppError::Internal(log_internal(e))
}

/// Whether `password` is the signed-in `person`'s own. Guessing it here meets the sign-in
/// throttle: the same limit per address, the same failure count per account (a wrong one
/// counts as a failure). What a password change and the second factor's set-up and removal ask.
pub async fn own_password_is_right(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    person: &crate::domain::Person,
    client: &str,
    password: &str,
) -> Result<bool, AppError> {
    let credentials = store
        .credentials(&person.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    attempt(store, SIGN_IN_PER_ADDRESS, client, chrono::Utc::now()).await?;
    let throttle = AccountThrottle::wait(store, &person.email, chrono::Utc::now()).await?;
    let right = hasher
        .verify(password, credentials.password_hash.as_deref())
        .await
        .map_err(internal)?;
    if !right {
        throttle.failed(store).await?;
    }
    Ok(right)
}

/// The signed-in person changes their password: the current one is required, the new one meets
/// the rules and is typed twice. Returns the account's new session epoch (the change ended
/// every other session; the caller's own carries on with the new epoch).
pub async fn change_password(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    caller: &Principal,
    client: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<Outcome<i64>, AppError> {
    let person = caller.person().ok_or(AppError::Unauthenticated)?;
    let mut errors = FieldErrors::default();
    if current.is_empty() {
        errors.add("current", "Enter your current password.");
    }
    if let Some(problem) = password::problem(new, &[&person.name, &person.email]) {
        errors.add("new", problem);
    } else if new == current {
        errors.add("new", "Choose a password other than the current one.");
    }
    if new != confirm {
        errors.add("confirm", "This is not the same as the new password.");
    }
    if !errors.is_empty() {
        return Ok(Outcome::Refused(Refusal::fields(errors)));
    }
    if !own_password_is_right(store, hasher, person, client, current).await? {
        return Ok(Outcome::Refused(Refusal::field(
            "current",
            "This is not your current password.",
        )));
    }
    let hash = hasher.hash(new).await.map_err(internal)?;
    let epoch = store
        .set_password(&person.id, &hash, PasswordKind::Chosen, caller)
        .await?;
    Ok(Outcome::Done(epoch))
}

/// The first administrator's password: one the operator configured, or one the server made.
pub enum AdminPassword {
    /// `STRATA_ADMIN_PASSWORD`: kept as the person's own (it must meet the rules).
    Configured(String),
    /// Random, printed once; to be replaced at first sign-in.
    Generated(String),
}

/// Makes sure a real (not demo), enabled person holds `admin`. When none does, the account
/// `FIRST_ADMIN_EMAIL` is created (or re-enabled), granted `admin` and given `password`;
/// returns its email then, `None` when an administrator existed.
pub async fn ensure_admin(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    password: AdminPassword,
    actor: &Principal,
) -> Result<Option<String>, AppError> {
    if store.has_admin().await? {
        return Ok(None);
    }
    let (text, kind) = match &password {
        AdminPassword::Configured(p) => (p.as_str(), PasswordKind::Chosen),
        AdminPassword::Generated(p) => (p.as_str(), PasswordKind::Temporary),
    };
    if let AdminPassword::Configured(p) = &password {
        if let Some(problem) = password::problem(p, &[FIRST_ADMIN_NAME, FIRST_ADMIN_EMAIL]) {
            return Err(AppError::BadRequest(format!(
                "STRATA_ADMIN_PASSWORD: {problem}"
            )));
        }
    }
    let user = match store.credentials_by_email(FIRST_ADMIN_EMAIL).await? {
        Some(c) => {
            if c.disabled {
                store.set_disabled(&c.user_id, false, actor).await?;
            }
            c.user_id
        }
        None => {
            store
                .create_user(FIRST_ADMIN_NAME, FIRST_ADMIN_EMAIL, false, actor)
                .await?
                .id
        }
    };
    let admin = Grant::new(Role::Admin, GrantScope::Organization).map_err(|e| internal(e.0))?;
    // The password before the grant: should the grant fail, no administrator exists yet and
    // the next start tries again (the other order would leave one nobody can sign in as).
    let hash = hasher.hash(text).await.map_err(internal)?;
    store.set_password(&user, &hash, kind, actor).await?;
    store.grant(&user, &admin, actor).await?;
    Ok(Some(FIRST_ADMIN_EMAIL.to_string()))
}

/// Gives the person `who` (an email, or an exact name that only one person has) the temporary
/// password `password`, which they must replace with their own at their next sign-in; their
/// sessions end.
pub async fn reset_password(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    who: &str,
    password: &str,
    actor: &Principal,
) -> Result<UserId, AppError> {
    let user = find_person(store, who).await?;
    let hash = hasher.hash(password).await.map_err(internal)?;
    store
        .set_password(&user, &hash, PasswordKind::Temporary, actor)
        .await?;
    Ok(user)
}

/// The person an operator names by email or by exact name.
async fn find_person(store: &dyn Store, who: &str) -> Result<UserId, AppError> {
    if let Some(c) = store.credentials_by_email(who).await? {
        return Ok(c.user_id);
    }
    let named: Vec<UserId> = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.name == who.trim())
        .map(|u| u.id)
        .collect();
    match named.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(AppError::NotFound(format!(
            "A person with the email or name {who:?}"
        ))),
        _ => Err(AppError::Conflict(format!(
            "{} people are named {who:?}: give the email instead.",
            named.len()
        ))),
    }
}
