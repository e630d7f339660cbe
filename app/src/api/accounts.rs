//! Signing in and out, the signed-in person, and changing one's password. A refused sign-in
//! keeps the typed email (never the password) as a flash on the sign-in page.

use crate::dto::Me;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the sign-in page.
pub const LOGIN_PAGE: &str = "/login";
/// Path of the password page.
pub const PASSWORD_PAGE: &str = "/account/password";

/// Signs in with an email and a password, then opens `next` (a path of this site) or the
/// overview; a person with a temporary password goes to the password page first.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use crate::api::context::{call, client_address, hasher, session, session_rules};
    use crate::api::flash::answer_fields;
    use crate::domain::next_page::safe_next;
    use crate::service::{sign_in, Outcome};
    call(|c| async move {
        let rules = session_rules()?;
        let outcome = sign_in::sign_in(
            &*c.store,
            &*hasher()?,
            &client_address(),
            &email,
            &password,
            rules.demo_passwords,
            chrono::Utc::now(),
        )
        .await?;
        if let Outcome::Done(signed) = &outcome {
            let session = session().await?;
            if signed.second_factor {
                let next = safe_next(&next).unwrap_or("/");
                crate::api::second_factor::hold(&session, signed, &email, next).await?;
            } else {
                begin(&session, signed, &rules).await?;
            }
        }
        let fields = [("email", email.as_str()), ("next", next.as_str())];
        answer_fields(&*c.store, LOGIN_PAGE, &fields, outcome, |signed| {
            if signed.second_factor {
                crate::api::second_factor::CODE_PAGE.to_string()
            } else if signed.must_change_password {
                PASSWORD_PAGE.to_string()
            } else {
                safe_next(&next).unwrap_or("/").to_string()
            }
        })
        .await
    })
    .await
}

/// Makes the request's session the signed-in session of `signed`: a new id (a session id
/// known before sign-in is worth nothing after it), the identity, no flash-only mark.
#[cfg(feature = "ssr")]
pub(crate) async fn begin(
    session: &tower_sessions::Session,
    signed: &crate::service::sign_in::SignedIn,
    rules: &crate::service::sessions::SessionRules,
) -> Result<(), AppError> {
    use crate::service::sessions::{SessionIdentity, SIGNED_IN};
    use tower_sessions::{cookie::time::Duration, Expiry};
    let now = chrono::Utc::now().timestamp();
    session.cycle_id().await?;
    // What the session held before (a refused form's values, perhaps another person's) is not
    // the signed-in person's to see.
    crate::api::flash::adopt(session).await?;
    session
        .remove_value(crate::service::second_factor::PENDING)
        .await?;
    // A flash-only session had a short life of its own; this one has the idle limit.
    session.set_expiry(Some(Expiry::OnInactivity(Duration::seconds(
        rules.idle_seconds,
    ))));
    let identity = SessionIdentity {
        user: signed.user.clone(),
        epoch: signed.epoch,
        authenticated_at: now,
        last_seen: now,
    };
    session.insert(SIGNED_IN, identity).await?;
    Ok(())
}

/// Signs out: the session's row is deleted and its cookie cleared.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::context::{call, session};
    call(|c| async move {
        if let Some(p) = c.principal.person() {
            tracing::info!(user.id = %p.id, "signed out");
            let details = crate::domain::audit::Details::new();
            c.store
                .record_event(
                    Some(&p.id),
                    &p.name,
                    "session.sign_out",
                    p.id.as_str(),
                    &details,
                )
                .await?;
        }
        session().await?.flush().await?;
        leptos_axum::redirect(LOGIN_PAGE);
        Ok(())
    })
    .await
}

/// The signed-in person; `None` for a visitor who has not signed in.
#[server(endpoint = "me", input = server_fn::codec::Json)]
pub async fn current_person() -> Result<Option<Me>, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        Ok(c.principal.person().map(|p| {
            let mut roles: Vec<String> = Vec::new();
            for g in &p.grants {
                let label = g.role().label().to_string();
                if !roles.contains(&label) {
                    roles.push(label);
                }
            }
            Me {
                name: p.name.clone(),
                email: p.email.clone(),
                roles,
                must_change_password: p.must_change_password,
                must_enrol_second_factor: p.must_enrol_second_factor,
                may_register: crate::service::authorize::may(
                    &c.principal,
                    crate::domain::policy::Action::ChangeWorkloads,
                ),
                may_administer: crate::service::authorize::may(
                    &c.principal,
                    crate::domain::policy::Action::Administer,
                ),
                may_read_audit: crate::service::authorize::may(
                    &c.principal,
                    crate::domain::policy::Action::ReadAuditChain,
                ),
                may_review: crate::service::authorize::may(
                    &c.principal,
                    crate::domain::policy::Action::Review,
                ),
            }
        }))
    })
    .await
}

/// Changes the signed-in person's password. Their other sessions end; this one goes on under
/// a new id.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::api::context::{call, client_address, hasher};
    use crate::api::flash::answer_fields;
    use crate::service::{accounts, Outcome};
    call(|c| async move {
        let outcome = accounts::change_password(
            &*c.store,
            &*hasher()?,
            &c.principal,
            &client_address(),
            &current,
            &new,
            &confirm,
        )
        .await?;
        if let Outcome::Done(epoch) = &outcome {
            carry_on(*epoch).await?;
        }
        answer_fields(&*c.store, PASSWORD_PAGE, &[], outcome, |_| {
            format!("{PASSWORD_PAGE}?changed=1")
        })
        .await
    })
    .await
}

/// After a change that ended the person's other sessions (a new epoch), this session goes on
/// under a new id and the new epoch.
#[cfg(feature = "ssr")]
pub(crate) async fn carry_on(epoch: i64) -> Result<(), AppError> {
    use crate::service::sessions::{SessionIdentity, SIGNED_IN};
    let session = crate::api::context::session().await?;
    if let Some(identity) = session.get::<SessionIdentity>(SIGNED_IN).await? {
        session.cycle_id().await?;
        let identity = SessionIdentity { epoch, ..identity };
        session.insert(SIGNED_IN, identity).await?;
    }
    Ok(())
}
