//! Administering people: server functions of the admin pages. Done actions go to the person's
//! page; a temporary password is shown there once (a flash notice, never in a URL).

use crate::dto::{NewPerson, PersonView};
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the people page.
pub const PEOPLE_PAGE: &str = "/admin/people";

/// Path of one person's page.
pub fn person_page(id: &str) -> String {
    format!("{PEOPLE_PAGE}/{id}")
}

/// Every person with their roles.
#[server(endpoint = "list_people", input = server_fn::codec::Json)]
pub async fn list_people() -> Result<Vec<PersonView>, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::admin::people(&*c.store, &c.principal).await }).await
}

/// One person; 404 when unknown.
#[server(endpoint = "get_person", input = server_fn::codec::Json)]
pub async fn get_person(id: String) -> Result<PersonView, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        let id = person_id(&id)?;
        crate::service::admin::person(&*c.store, &c.principal, &id).await
    })
    .await
}

#[cfg(feature = "ssr")]
fn person_id(text: &str) -> Result<crate::domain::UserId, AppError> {
    crate::domain::UserId::parse(text).ok_or_else(|| AppError::NotFound("This person".into()))
}

/// Adds a person with a first role; their temporary password is shown once on their page.
#[server(endpoint = "add_person")]
pub async fn add_person(form: NewPerson) -> Result<(), AppError> {
    use crate::api::context::{call, hasher};
    use crate::api::flash::{answer_fields, tell};
    use crate::service::{admin, Outcome};
    call(|c| async move {
        let person = form;
        match admin::add_person(&*c.store, &*hasher()?, &c.principal, &person).await? {
            Outcome::Done((id, password)) => {
                let notice = temporary_notice(&person.email, &password);
                tell(&*c.store, &person_page(id.as_str()), notice).await
            }
            refused => {
                let fields = [
                    ("name", person.name.as_str()),
                    ("email", person.email.as_str()),
                    ("role", person.role.as_str()),
                    ("team_id", person.team_id.as_str()),
                ];
                answer_fields(&*c.store, PEOPLE_PAGE, &fields, refused, |_| {
                    PEOPLE_PAGE.into()
                })
                .await
            }
        }
    })
    .await
}

#[cfg(feature = "ssr")]
fn temporary_notice(email: &str, password: &str) -> String {
    format!(
        "Temporary password for {}: {password} — shown once. They replace it at their first \
         sign-in.",
        email.trim().to_lowercase()
    )
}

/// Grants a role (for a team, or the whole organization when `team_id` is empty).
#[server(endpoint = "grant_role")]
pub async fn grant_role(
    id: String,
    role: String,
    #[server(default)] team_id: String,
) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let user = person_id(&id)?;
        let page = person_page(user.as_str());
        let outcome =
            crate::service::admin::grant_role(&*c.store, &c.principal, &user, &role, &team_id)
                .await?;
        let fields = [("role", role.as_str()), ("team_id", team_id.as_str())];
        answer_fields(&*c.store, &page, &fields, outcome, |()| page.clone()).await
    })
    .await
}

/// Revokes a role; the person's sessions end.
#[server(endpoint = "revoke_role")]
pub async fn revoke_role(
    id: String,
    role: String,
    #[server(default)] team_id: String,
) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let user = person_id(&id)?;
        let page = person_page(user.as_str());
        let outcome =
            crate::service::admin::revoke_role(&*c.store, &c.principal, &user, &role, &team_id)
                .await?;
        answer_fields(&*c.store, &page, &[], outcome, |()| page.clone()).await
    })
    .await
}

/// Disables (`disabled = "true"`) or enables an account; a person who owns workloads needs a
/// `new_owner`.
#[server(endpoint = "set_person_disabled")]
pub async fn set_person_disabled(
    id: String,
    disabled: String,
    #[server(default)] new_owner: String,
) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let user = person_id(&id)?;
        let page = person_page(user.as_str());
        let disabled = flag(&disabled, "disabled")?;
        let outcome = crate::service::admin::set_disabled(
            &*c.store,
            &c.principal,
            &user,
            disabled,
            &new_owner,
        )
        .await?;
        let fields = [("new_owner", new_owner.as_str())];
        answer_fields(&*c.store, &page, &fields, outcome, |()| page.clone()).await
    })
    .await
}

/// Gives the person a new temporary password, shown once on their page; their sessions end.
#[server(endpoint = "reset_person_password")]
pub async fn reset_person_password(id: String) -> Result<(), AppError> {
    use crate::api::context::{call, hasher};
    use crate::service::{admin, Outcome};
    call(|c| async move {
        let user = person_id(&id)?;
        let page = person_page(user.as_str());
        match admin::reset_password(&*c.store, &*hasher()?, &c.principal, &user).await? {
            Outcome::Done(password) => {
                let person = admin::person(&*c.store, &c.principal, &user).await?;
                let notice = temporary_notice(&person.email, &password);
                crate::api::flash::tell(&*c.store, &page, notice).await
            }
            refused => {
                crate::api::flash::answer_fields(&*c.store, &page, &[], refused, |_| page.clone())
                    .await
            }
        }
    })
    .await
}

/// Path of the teams page.
pub const TEAMS_PAGE: &str = "/admin/teams";

/// A form's `true` / `false` field.
#[cfg(feature = "ssr")]
fn flag(text: &str, name: &str) -> Result<bool, AppError> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(AppError::BadRequest(format!(
            "{name} must be true or false"
        ))),
    }
}

#[cfg(feature = "ssr")]
fn team_id(text: &str) -> Result<crate::domain::TeamId, AppError> {
    crate::domain::TeamId::parse(text).ok_or_else(|| AppError::NotFound("This team".into()))
}

/// Adds a team.
#[server(endpoint = "add_team")]
pub async fn add_team(name: String) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let outcome = crate::service::admin::add_team(&*c.store, &c.principal, &name).await?;
        answer_fields(
            &*c.store,
            TEAMS_PAGE,
            &[("name", name.as_str())],
            outcome,
            |_| TEAMS_PAGE.into(),
        )
        .await
    })
    .await
}

/// Renames a team.
#[server(endpoint = "rename_team")]
pub async fn rename_team(id: String, name: String) -> Result<(), AppError> {
    use crate::api::{context::call, flash::answer_fields};
    call(|c| async move {
        let team = team_id(&id)?;
        let outcome =
            crate::service::admin::rename_team(&*c.store, &c.principal, &team, &name).await?;
        answer_fields(
            &*c.store,
            TEAMS_PAGE,
            &[("rename", name.as_str())],
            outcome,
            |()| TEAMS_PAGE.into(),
        )
        .await
    })
    .await
}

/// Archives (`archived = "true"`) or restores a team.
#[server(endpoint = "set_team_archived")]
pub async fn set_team_archived(id: String, archived: String) -> Result<(), AppError> {
    use crate::api::context::call;
    call(|c| async move {
        let team = team_id(&id)?;
        let archived = flag(&archived, "archived")?;
        crate::service::admin::set_team_archived(&*c.store, &c.principal, &team, archived).await?;
        leptos_axum::redirect(TEAMS_PAGE);
        Ok(())
    })
    .await
}

/// Every team, archived ones included (administrators only).
#[server(endpoint = "all_teams", input = server_fn::codec::Json)]
pub async fn all_teams() -> Result<Vec<crate::dto::Team>, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::admin::teams(&*c.store, &c.principal).await }).await
}

/// The organization's security settings (administrators only).
#[server(endpoint = "security_settings", input = server_fn::codec::Json)]
pub async fn security_settings() -> Result<crate::dto::SecuritySettings, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::admin::security_settings(&*c.store, &c.principal).await })
        .await
}

/// Requires (`required = "true"`) a second factor of administrators and security leads, or
/// stops requiring it.
#[server(endpoint = "set_second_factor_required")]
pub async fn set_second_factor_required(required: String) -> Result<(), AppError> {
    use crate::api::context::call;
    call(|c| async move {
        let required = flag(&required, "required")?;
        crate::service::admin::set_second_factor_required(&*c.store, &c.principal, required)
            .await?;
        let notice = if required {
            "Administrators and security leads now need a second factor: those without one set \
             it up before anything else."
        } else {
            "A second factor is now optional for everyone."
        };
        crate::api::flash::tell(&*c.store, PEOPLE_PAGE, notice.to_string()).await
    })
    .await
}
