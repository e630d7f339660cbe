//! Signing in with a local password, and the throttle in front of it. Both counters live in the
//! store, so they hold across every server: per address, a hard limit (`SIGN_IN_PER_ADDRESS`);
//! per account, failures that make each further attempt wait longer, up to a few seconds. The
//! account's own person is slowed, never refused: a stranger who knows their email cannot lock
//! them out. Unknown accounts are counted and checked against a hash like any other, so neither
//! the answer nor its timing tells whether an account exists.

use super::attempts::{attempt, window_start, Limit, SIGN_IN_PER_ADDRESS};
use super::{Outcome, Refusal};
use crate::domain::audit::Details;
use crate::domain::UserId;
use crate::error::{log_internal, AppError};
use crate::ports::{PasswordHasher, Store};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Failed sign-ins per account and window; the count only decides the delay.
pub const ACCOUNT_FAILURES: Limit = Limit {
    scope: "sign_in_account",
    most: 5,
    window_seconds: 900,
};

/// The one answer to a wrong email, a wrong password, a disabled account or an account
/// without a password.
pub const NOT_RIGHT: &str = "The email or the password is not right.";

/// Longest email or password read; a longer one is not a sign-in attempt worth hashing.
const INPUT_MAX: usize = 1024;

/// Who signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user: UserId,
    /// The account's session epoch at sign-in, which the session keeps.
    pub epoch: i64,
    pub must_change_password: bool,
    /// The password was right and the account has a second factor: the sign-in waits for its
    /// code (`second_factor::verify`), and only that counts as signing in.
    pub second_factor: bool,
}

/// How long an attempt waits after `failures` failed ones in the window: nothing for the first
/// few, then doubling from half a second up to eight.
pub fn delay_after(failures: u64) -> Duration {
    let Some(over) = failures.checked_sub(ACCOUNT_FAILURES.most) else {
        return Duration::ZERO;
    };
    let millis = 500_u64.saturating_mul(1 << over.min(4));
    Duration::from_millis(millis.min(8_000))
}

/// What the per-account counter is keyed by: a digest of the email as it would be looked up,
/// so that the typed text (sometimes a password typed in the wrong field) is never stored.
pub fn account_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The failures of one account in the current window, after waiting as long as they ask for.
pub struct AccountThrottle {
    key: String,
    window: i64,
    /// Failures before this attempt.
    pub failures: u64,
}

impl AccountThrottle {
    /// Reads the account's failures and waits `delay_after` them.
    pub async fn wait(
        store: &dyn Store,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<AccountThrottle, AppError> {
        let key = account_key(email);
        let window = window_start(ACCOUNT_FAILURES, now);
        let failures = store.attempts(ACCOUNT_FAILURES.scope, &key, window).await?;
        let wait = delay_after(failures);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(AccountThrottle {
            key,
            window,
            failures,
        })
    }

    /// Counts this attempt as one more failure.
    pub async fn failed(&self, store: &dyn Store) -> Result<(), AppError> {
        store
            .count_attempt(ACCOUNT_FAILURES.scope, &self.key, self.window)
            .await?;
        Ok(())
    }
}

/// The audit action of a sign-in.
pub const SIGNED_IN: &str = "session.sign_in";
/// The audit action of a refused sign-in.
pub const SIGN_IN_FAILED: &str = "session.sign_in_failed";

/// Records a refused sign-in: the account when the email names one, why, never what was typed.
pub(super) async fn failed(
    store: &dyn Store,
    account: Option<&UserId>,
    reason: &str,
) -> Result<(), AppError> {
    let entity = account.map_or("unknown account", UserId::as_str);
    let details = Details::new().with("reason", reason);
    let visitor = crate::domain::Principal::AnonymousWeb;
    store
        .record_event(
            None,
            visitor.actor_label(),
            SIGN_IN_FAILED,
            entity,
            &details,
        )
        .await?;
    Ok(())
}

/// Checks `email` and `password` from `client`. `demo_passwords`: whether the documented demo
/// password is accepted (only while the server listens on loopback).
pub async fn sign_in(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    client: &str,
    email: &str,
    password: &str,
    demo_passwords: bool,
    now: DateTime<Utc>,
) -> Result<Outcome<SignedIn>, AppError> {
    attempt(store, SIGN_IN_PER_ADDRESS, client, now).await?;
    let mut missing = crate::domain::FieldErrors::default();
    if email.trim().is_empty() {
        missing.add("email", "Enter the email you sign in with.");
    }
    if password.is_empty() {
        missing.add("password", "Enter your password.");
    }
    if !missing.is_empty() {
        return Ok(Outcome::Refused(Refusal::fields(missing)));
    }
    if email.len() > INPUT_MAX || password.len() > INPUT_MAX {
        return Ok(Outcome::Refused(Refusal::message(NOT_RIGHT)));
    }
    let throttle = AccountThrottle::wait(store, email, now).await?;
    // The documented demo password counts only from this machine.
    let demo_passwords = demo_passwords
        && client
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let account = store.credentials_by_email(email).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let matches = hasher
        .verify(password, stored)
        .await
        .map_err(|e| AppError::Internal(log_internal(e)))?;
    match account {
        Some(a) if matches && !a.disabled && (demo_passwords || !a.demo_password) => {
            if a.second_factor {
                tracing::info!(user.id = %a.user_id, "password right; waiting for the code");
            } else {
                tracing::info!(user.id = %a.user_id, "signed in");
                // The email matched the account's, so it is the account's, not typed text.
                let email = email.trim().to_lowercase();
                let entity = a.user_id.as_str();
                store
                    .record_event(Some(&a.user_id), &email, SIGNED_IN, entity, &Details::new())
                    .await?;
            }
            Ok(Outcome::Done(SignedIn {
                user: a.user_id,
                epoch: a.session_epoch,
                must_change_password: a.must_change,
                second_factor: a.second_factor,
            }))
        }
        Some(a) if matches && !a.disabled => {
            // The documented demo password was right, on a server others can reach.
            tracing::info!(user.id = %a.user_id, "demo password refused off loopback");
            failed(store, Some(&a.user_id), "demo password off loopback").await?;
            Ok(Outcome::Refused(Refusal::message(
                "Demo passwords work only while Strata listens on loopback (127.0.0.1). \
                 Ask an administrator to set a password for this account.",
            )))
        }
        other => {
            throttle.failed(store).await?;
            let failures = throttle.failures;
            // The account's id when the email names one; never the typed text.
            let reason = match &other {
                Some(a) if a.disabled => "disabled account",
                Some(a) if a.password_hash.is_none() => "no password",
                Some(_) => "wrong password",
                None => "unknown account",
            };
            failed(store, other.as_ref().map(|a| &a.user_id), reason).await?;
            match other {
                Some(a) => {
                    tracing::info!(user.id = %a.user_id, failures = failures + 1, "sign-in failed")
                }
                None => tracing::info!(
                    failures = failures + 1,
                    "sign-in failed for an unknown account"
                ),
            }
            Ok(Outcome::Refused(Refusal::message(NOT_RIGHT)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_cost_nothing_then_each_waits_longer_up_to_eight_seconds() {
        let ms = |n| delay_after(n).as_millis();
        assert_eq!((ms(0), ms(4)), (0, 0));
        assert_eq!((ms(5), ms(6), ms(7), ms(8)), (500, 1_000, 2_000, 4_000));
        assert_eq!((ms(9), ms(50), ms(u64::MAX)), (8_000, 8_000, 8_000));
    }

    #[test]
    fn the_account_key_is_the_email_as_looked_up_and_not_the_text() {
        assert_eq!(
            account_key(" Ada@Example.org "),
            account_key("ada@example.org")
        );
        assert_ne!(
            account_key("ada@example.org"),
            account_key("bob@example.org")
        );
        assert_eq!(account_key("ada@example.org").len(), 32);
        assert!(!account_key("ada@example.org").contains("ada"));
    }
}
