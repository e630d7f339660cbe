//! The second factor of local accounts: setting it up (a secret shown as a QR code and as text,
//! confirmed with a code from the app, then one-time recovery codes shown once), the second
//! step of signing in (a code or a recovery code, each accepted once), and turning it off (the
//! password again, and only where the organization does not require it).
//!
//! A sign-in waiting for its code is kept in the session under its own key (`PENDING`) for a
//! few minutes; it is not an identity, so nothing a signed-in person may do is open to it.
//! Codes typed count per account in the store, before they are checked (so parallel guesses
//! are counted too): past `CODE_ATTEMPTS` in a window the account takes no more codes until the
//! window ends. Only someone who knows the password reaches this step, so the limit cannot be
//! used to lock a person out of their password.

use super::attempts::{attempt, window_start, Limit, SIGN_IN_PER_ADDRESS};
use super::sessions::second_factor_required_of;
use super::sign_in::{SignedIn, SIGNED_IN};
use super::totp::{self, Secret};
use super::{Outcome, Refusal};
use crate::domain::audit::Details;
use crate::domain::{Person, Principal, UserId};
use crate::dto::{EnrolmentView, SecondFactorView};
use crate::error::{log_internal, AppError};
use crate::ports::{PasswordHasher, Store, StoreError};
use serde::{Deserialize, Serialize};

/// The issuer an authenticator app lists the account under.
pub const ISSUER: &str = "Strata";

/// The session key of a sign-in waiting for its code. Not `sessions::SIGNED_IN`: the identity
/// middleware treats such a session as not signed in.
pub const PENDING: &str = "second_factor_pending";

/// How long a sign-in waits for its code.
pub const PENDING_SECONDS: i64 = 300;

/// Codes typed per account and window (right or wrong) before the account takes no more.
pub const CODE_ATTEMPTS: Limit = Limit {
    scope: "second_factor_account",
    most: 10,
    window_seconds: 900,
};

/// Longest code read (a recovery code with spaces is about 20 characters).
const CODE_MAX: usize = 64;

/// A sign-in whose password was right, waiting for the second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user: UserId,
    /// The account's email as it signed in (lower case): the audit actor until the person is
    /// signed in.
    pub email: String,
    /// The account's session epoch at the password step.
    pub epoch: i64,
    pub must_change_password: bool,
    /// Where the sign-in goes once done (already checked to be a path of this site).
    pub next: String,
    /// Unix seconds of the password step.
    pub started_at: i64,
}

impl PendingSignIn {
    /// Whether the sign-in has waited too long for its code.
    pub fn expired(&self, now: i64) -> bool {
        now - self.started_at > PENDING_SECONDS
    }
}

/// What a code at the second step came to.
#[derive(Debug)]
pub enum Verified {
    /// Signed in.
    SignedIn(SignedIn),
    /// Not this code: the person tries again.
    Wrong(Refusal),
    /// This sign-in is over (too many wrong codes, or the account changed): sign in again.
    Over(&'static str),
}

/// Said when a waiting sign-in can no longer finish.
pub const SIGN_IN_AGAIN: &str = "Your sign-in has ended. Sign in again.";
/// Said when the account took too many wrong codes.
pub const TOO_MANY_CODES: &str =
    "Too many codes were tried for this account. Wait 15 minutes, then sign in again.";
/// Said for a wrong code.
pub const WRONG_CODE: &str = "This code is not right. Type the code your app shows now, \
    or one of your recovery codes (each works once).";

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(log_internal(e))
}

/// The person as the store's audit sees them before they are signed in: their id, and their
/// email as the name.
fn as_actor(pending: &PendingSignIn) -> Principal {
    Principal::Person(Person {
        id: pending.user.clone(),
        name: pending.email.clone(),
        email: pending.email.clone(),
        grants: Vec::new(),
        must_change_password: false,
        must_enrol_second_factor: false,
    })
}

/// Checks the code typed at the second step of `pending` at `now` (Unix seconds): a six-digit
/// code of the app, or a recovery code.
pub async fn verify(
    store: &dyn Store,
    pending: &PendingSignIn,
    client: &str,
    code: &str,
    now: i64,
) -> Result<Verified, AppError> {
    let at = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
    attempt(store, SIGN_IN_PER_ADDRESS, client, at).await?;
    let code = code.trim();
    if code.is_empty() {
        return Ok(Verified::Wrong(Refusal::field(
            "code",
            "Enter the code your app shows, or a recovery code.",
        )));
    }
    let user = &pending.user;
    // Counted before the check, so that requests racing each other are all counted.
    let window = window_start(CODE_ATTEMPTS, at);
    let tried = store
        .count_attempt(CODE_ATTEMPTS.scope, user.as_str(), window)
        .await?;
    if tried > CODE_ATTEMPTS.most {
        tracing::info!(user.id = %user, tried, "second factor codes refused by their limit");
        return Ok(Verified::Over(TOO_MANY_CODES));
    }
    // The account as it is now: disabled, or its password changed, since the password step.
    let still = store
        .credentials(user)
        .await?
        .is_some_and(|c| !c.disabled && c.session_epoch == pending.epoch && c.second_factor);
    let factor = store.second_factor(user).await?;
    let (Some(factor), true) = (factor, still) else {
        return Ok(Verified::Over(SIGN_IN_AGAIN));
    };
    let secret = Secret::from_base32(&factor.secret).ok_or_else(|| internal("stored secret"))?;
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let method = if digits.len() == totp::DIGITS as usize {
        let step = totp::verify(&secret, &digits, now, factor.last_step);
        match step {
            Some(step) if store.use_code_step(user, step).await? => Some("totp"),
            _ => None,
        }
    } else if code.len() <= CODE_MAX {
        let digest = totp::recovery_code_digest(code);
        let spent = store
            .use_recovery_code(user, &digest, &as_actor(pending))
            .await?;
        spent.map(|_| "recovery_code")
    } else {
        None
    };
    let Some(method) = method else {
        super::sign_in::failed(store, Some(user), "wrong second factor code").await?;
        tracing::info!(user.id = %user, "second factor code refused");
        return Ok(Verified::Wrong(Refusal::field("code", WRONG_CODE)));
    };
    let details = Details::new().with("second_factor", method);
    store
        .record_event(
            Some(user),
            &pending.email,
            SIGNED_IN,
            user.as_str(),
            &details,
        )
        .await?;
    tracing::info!(user.id = %user, method, "signed in with a second factor");
    Ok(Verified::SignedIn(SignedIn {
        user: user.clone(),
        epoch: pending.epoch,
        must_change_password: pending.must_change_password,
        second_factor: false,
    }))
}

/// The signed-in person's second factor, with the set-up they started, if any.
pub async fn status(store: &dyn Store, caller: &Principal) -> Result<SecondFactorView, AppError> {
    let person = caller.person().ok_or(AppError::Unauthenticated)?;
    let factor = store.second_factor(&person.id).await?;
    let required =
        store.second_factor_required().await? && second_factor_required_of(&person.grants);
    let pending = match &factor {
        Some(f) if !f.confirmed => {
            let secret = Secret::from_base32(&f.secret).ok_or_else(|| internal("stored secret"))?;
            let uri = secret.otpauth_uri(ISSUER, &person.email);
            Some(EnrolmentView {
                secret: grouped(&secret.to_base32()),
                qr_svg: qr_svg(&uri)?,
            })
        }
        _ => None,
    };
    Ok(SecondFactorView {
        enrolled: factor.as_ref().is_some_and(|f| f.confirmed),
        recovery_codes_left: factor
            .as_ref()
            .filter(|f| f.confirmed)
            .map_or(0, |f| f.recovery_codes_left),
        required,
        pending,
    })
}

/// The secret in groups of four, as people type it.
fn grouped(base32: &str) -> String {
    let chars: Vec<char> = base32.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code of `uri` as an SVG element to place in a page.
fn qr_svg(uri: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(internal)?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // An XML declaration means nothing inside HTML.
    let start = image.find("<svg").unwrap_or(0);
    Ok(image[start..].to_string())
}

/// Starts setting up a second factor: a new secret, replacing a set-up not finished.
pub async fn start(store: &dyn Store, caller: &Principal) -> Result<Outcome<()>, AppError> {
    let person = caller.person().ok_or(AppError::Unauthenticated)?;
    let secret = Secret::generate().map_err(internal)?;
    if store
        .start_second_factor(&person.id, &secret.to_base32(), caller)
        .await?
    {
        Ok(Outcome::Done(()))
    } else {
        Ok(Outcome::Refused(Refusal::message(
            "You already have a second factor. Turn it off first to move it to another device.",
        )))
    }
}

/// A finished set-up: the account's new session epoch and the recovery codes, shown once.
pub struct Confirmed {
    pub epoch: i64,
    pub recovery_codes: Vec<String>,
}

/// Why `password` is refused as the signed-in person's own, if it is: what turning the second
/// factor on or off asks, so that a session left open is not enough to change how its owner
/// signs in. The password step of signing in, with its throttle.
async fn password_refusal(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    person: &Person,
    client: &str,
    password: &str,
) -> Result<Option<Refusal>, AppError> {
    if password.is_empty() {
        return Ok(Some(Refusal::field("password", "Enter your password.")));
    }
    let right =
        super::accounts::own_password_is_right(store, hasher, person, client, password).await?;
    Ok((!right).then(|| Refusal::field("password", "This is not your password.")))
}

/// Finishes the set-up with the person's password and a code of the app at `now` (Unix
/// seconds).
pub async fn confirm(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    caller: &Principal,
    client: &str,
    password: &str,
    code: &str,
    now: i64,
) -> Result<Outcome<Confirmed>, AppError> {
    let person = caller.person().ok_or(AppError::Unauthenticated)?;
    let factor = match store.second_factor(&person.id).await? {
        Some(f) if !f.confirmed => f,
        Some(_) => {
            return Ok(Outcome::Refused(Refusal::message(
                "Your second factor is already set up.",
            )))
        }
        None => {
            return Ok(Outcome::Refused(Refusal::message(
                "Start setting up a second factor first.",
            )))
        }
    };
    if code.trim().is_empty() {
        return Ok(Outcome::Refused(Refusal::field(
            "code",
            "Enter the six-digit code your app shows.",
        )));
    }
    let secret = Secret::from_base32(&factor.secret).ok_or_else(|| internal("stored secret"))?;
    let step = totp::verify(&secret, code, now, None);
    // The password first: a wrong one is what an intruder in an open session would type.
    if let Some(refused) = password_refusal(store, hasher, person, client, password).await? {
        return Ok(Outcome::Refused(refused));
    }
    let Some(step) = step else {
        return Ok(Outcome::Refused(Refusal::field(
            "code",
            "This code is not right. Type the six-digit code your app shows now; \
             if it is still refused, check that the device's clock is set automatically.",
        )));
    };
    let codes = totp::recovery_codes().map_err(internal)?;
    let digests: Vec<String> = codes
        .iter()
        .map(|c| totp::recovery_code_digest(c))
        .collect();
    match store
        .confirm_second_factor(&person.id, &factor.secret, step, &digests, caller)
        .await
    {
        Ok(epoch) => Ok(Outcome::Done(Confirmed {
            epoch,
            recovery_codes: codes,
        })),
        Err(StoreError::NotFound) => Ok(Outcome::Refused(Refusal::message(
            "This set-up was restarted or finished in another window. Look at the page again.",
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Turns the second factor off, with the person's password; refused where the organization
/// requires one of them. Returns the account's new session epoch.
pub async fn remove(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    caller: &Principal,
    client: &str,
    password: &str,
) -> Result<Outcome<i64>, AppError> {
    let person = caller.person().ok_or(AppError::Unauthenticated)?;
    if store.second_factor_required().await? && second_factor_required_of(&person.grants) {
        return Ok(Outcome::Refused(Refusal::message(
            "Your organization requires a second factor for your role, so it stays on. \
             An administrator's password reset removes it if you lose your device.",
        )));
    }
    if let Some(refused) = password_refusal(store, hasher, person, client, password).await? {
        return Ok(Outcome::Refused(refused));
    }
    if store.second_factor(&person.id).await?.is_none() {
        return Ok(Outcome::Refused(Refusal::message(
            "You have no second factor to turn off.",
        )));
    }
    Ok(Outcome::Done(
        store.remove_second_factor(&person.id, caller).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_sign_in_lasts_five_minutes() {
        let pending = PendingSignIn {
            user: UserId("u".into()),
            email: "ada@example.org".into(),
            epoch: 0,
            must_change_password: false,
            next: "/".into(),
            started_at: 1_000,
        };
        assert!(!pending.expired(1_300));
        assert!(pending.expired(1_301));
    }

    #[test]
    fn the_secret_is_shown_in_groups_of_four_and_the_qr_code_is_an_svg_element() {
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let svg = qr_svg("otpauth://totp/Strata:ada%40example.org?secret=ABCD").expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("viewBox"));
    }
}
