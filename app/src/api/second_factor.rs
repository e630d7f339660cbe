//! The second factor: the account page that sets it up and turns it off, and the second step
//! of signing in. The recovery codes of a finished set-up are shown once, from the person's
//! own session (a flash), never in a URL.

use crate::dto::SecondFactorView;
use crate::error::AppError;
use leptos::prelude::*;

/// Path of the page that sets up the second factor.
pub const SECOND_FACTOR_PAGE: &str = "/account/second-factor";
/// Path of the second step of signing in.
pub const CODE_PAGE: &str = "/login/code";

/// Keeps a sign-in whose password was right, waiting for its code: a new session id, nothing
/// the session held before, a life as short as the wait.
#[cfg(feature = "ssr")]
pub(crate) async fn hold(
    session: &tower_sessions::Session,
    signed: &crate::service::sign_in::SignedIn,
    email: &str,
    next: &str,
) -> Result<(), AppError> {
    use crate::service::second_factor::{PendingSignIn, PENDING};
    session.cycle_id().await?;
    crate::api::flash::adopt(session).await?;
    // Whoever was signed in here before is not any more: the session is the new person's.
    session
        .remove_value(crate::service::sessions::SIGNED_IN)
        .await?;
    short_lived(session);
    let pending = PendingSignIn {
        user: signed.user.clone(),
        email: email.trim().to_lowercase(),
        epoch: signed.epoch,
        must_change_password: signed.must_change_password,
        next: next.to_string(),
        started_at: chrono::Utc::now().timestamp(),
    };
    session.insert(PENDING, pending).await?;
    Ok(())
}

/// The sign-in waiting for its code in this session, if it has not waited too long.
#[cfg(feature = "ssr")]
async fn pending(
    session: &tower_sessions::Session,
) -> Result<Option<crate::service::second_factor::PendingSignIn>, AppError> {
    use crate::service::second_factor::{PendingSignIn, PENDING};
    let now = chrono::Utc::now().timestamp();
    // One written by another version of Strata is as good as none.
    let pending = session.get::<PendingSignIn>(PENDING).await.unwrap_or(None);
    let pending = pending.filter(|p| !p.expired(now));
    if pending.is_some() {
        // Loading a session gives it the configured idle expiry; a waiting one keeps its own.
        short_lived(session);
    }
    Ok(pending)
}

/// Gives a session holding a waiting sign-in the life of the wait.
#[cfg(feature = "ssr")]
fn short_lived(session: &tower_sessions::Session) {
    use crate::service::second_factor::PENDING_SECONDS;
    use tower_sessions::{cookie::time::Duration, Expiry};
    session.set_expiry(Some(Expiry::OnInactivity(Duration::seconds(
        PENDING_SECONDS,
    ))));
}

/// The email of the sign-in waiting for its code, if there is one.
#[server(endpoint = "pending_sign_in", input = server_fn::codec::Json)]
pub async fn pending_sign_in() -> Result<Option<String>, AppError> {
    use crate::api::context::{call, session};
    call(|_| async move { Ok(pending(&session().await?).await?.map(|p| p.email)) }).await
}

/// The second step of signing in: a code of the person's app, or a recovery code.
#[server(endpoint = "verify_second_factor")]
pub async fn verify_second_factor(code: String) -> Result<(), AppError> {
    use crate::api::accounts::{begin, LOGIN_PAGE, PASSWORD_PAGE};
    use crate::api::context::{call, client_address, session, session_rules};
    use crate::api::flash::answer_fields;
    use crate::service::second_factor::{verify, Verified, SIGN_IN_AGAIN};
    use crate::service::{Outcome, Refusal};
    call(|c| async move {
        let session = session().await?;
        // The sign-in is over: back to the password, with the email kept.
        let over = |message: &'static str, email: String, waited: bool| {
            let (session, store) = (&session, &*c.store);
            async move {
                // Nothing of a waiting sign-in stays (the flash below starts a short-lived
                // session of its own); a session without one, perhaps signed in, is left be.
                if waited {
                    session.flush().await?;
                }
                let refused = Outcome::<()>::Refused(Refusal::message(message));
                let fields = [("email", email.as_str())];
                answer_fields(store, LOGIN_PAGE, &fields, refused, |_| String::new()).await
            }
        };
        let Some(pending) = pending(&session).await? else {
            return over(SIGN_IN_AGAIN, String::new(), false).await;
        };
        let now = chrono::Utc::now().timestamp();
        match verify(&*c.store, &pending, &client_address(), &code, now).await? {
            Verified::SignedIn(signed) => {
                begin(&session, &signed, &session_rules()?).await?;
                let to = if signed.must_change_password {
                    PASSWORD_PAGE
                } else {
                    pending.next.as_str()
                };
                leptos_axum::redirect(to);
                Ok(())
            }
            Verified::Wrong(refusal) => {
                let refused = Outcome::<()>::Refused(refusal);
                answer_fields(&*c.store, CODE_PAGE, &[], refused, |_| String::new()).await
            }
            Verified::Over(message) => over(message, pending.email, true).await,
        }
    })
    .await
}

/// The signed-in person's second factor.
#[server(endpoint = "second_factor_status", input = server_fn::codec::Json)]
pub async fn second_factor_status() -> Result<SecondFactorView, AppError> {
    use crate::api::context::call;
    call(|c| async move { crate::service::second_factor::status(&*c.store, &c.principal).await })
        .await
}

/// Starts setting up a second factor (a new secret), and opens the page that shows it.
#[server(endpoint = "start_second_factor")]
pub async fn start_second_factor() -> Result<(), AppError> {
    use crate::api::context::call;
    use crate::api::flash::answer_fields;
    call(|c| async move {
        let outcome = crate::service::second_factor::start(&*c.store, &c.principal).await?;
        answer_fields(&*c.store, SECOND_FACTOR_PAGE, &[], outcome, |_| {
            SECOND_FACTOR_PAGE.to_string()
        })
        .await
    })
    .await
}

/// Finishes the set-up with the person's password and a code of the app; the recovery codes
/// are shown once.
#[server(endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(
    #[server(default)] password: String,
    code: String,
) -> Result<(), AppError> {
    use crate::api::context::{call, client_address, hasher};
    use crate::api::flash::{answer_fields, tell_once};
    use crate::service::{second_factor, Outcome};
    call(|c| async move {
        let now = chrono::Utc::now().timestamp();
        let outcome = second_factor::confirm(
            &*c.store,
            &*hasher()?,
            &c.principal,
            &client_address(),
            &password,
            &code,
            now,
        )
        .await?;
        match outcome {
            Outcome::Done(confirmed) => {
                crate::api::accounts::carry_on(confirmed.epoch).await?;
                let notice = "Your second factor is on: signing in now asks for a code. \
                    Keep these recovery codes somewhere safe; each works once, and they are \
                    shown only now. Your other sessions have ended."
                    .to_string();
                tell_once(
                    &*c.store,
                    SECOND_FACTOR_PAGE,
                    notice,
                    confirmed.recovery_codes,
                )
                .await
            }
            refused => {
                answer_fields(&*c.store, SECOND_FACTOR_PAGE, &[], refused, |_| {
                    String::new()
                })
                .await
            }
        }
    })
    .await
}

/// Turns the second factor off, with the person's password.
#[server(endpoint = "remove_second_factor")]
pub async fn remove_second_factor(password: String) -> Result<(), AppError> {
    use crate::api::context::{call, client_address, hasher};
    use crate::api::flash::{answer_fields, tell};
    use crate::service::{second_factor, Outcome};
    call(|c| async move {
        let outcome = second_factor::remove(
            &*c.store,
            &*hasher()?,
            &c.principal,
            &client_address(),
            &password,
        )
        .await?;
        match outcome {
            Outcome::Done(epoch) => {
                crate::api::accounts::carry_on(epoch).await?;
                let notice = "Your second factor is off: signing in asks for your password \
                    only. Your other sessions have ended."
                    .to_string();
                tell(&*c.store, SECOND_FACTOR_PAGE, notice).await
            }
            refused => {
                answer_fields(&*c.store, SECOND_FACTOR_PAGE, &[], refused, |_| {
                    String::new()
                })
                .await
            }
        }
    })
    .await
}
