//! Limits on what one client address may attempt per time window, counted in the store so
//! that they hold across every instance of the server. Anonymous flash-only sessions are the
//! first; sign-in attempts are counted per address here and per account in `sign_in.rs`.

use crate::error::AppError;
use crate::ports::Store;
use chrono::{DateTime, Utc};

/// How many attempts of one kind a client may make per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Stored with each count: one name per kind of attempt.
    pub scope: &'static str,
    pub most: u64,
    pub window_seconds: i64,
}

/// New sessions that hold nothing but a refused form's flash: each is a stored row made for an
/// anonymous request, so a client may start only this many a minute. A person who corrects a
/// form reuses the session of the first refusal until the flash is read.
pub const NEW_FLASH_SESSIONS: Limit = Limit {
    scope: "flash_session",
    most: 30,
    window_seconds: 60,
};

/// Sign-in attempts from one address: enough for a busy office behind one address, far too few
/// to guess passwords. Past it the address waits for the window to end; nobody else does.
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    scope: "sign_in_address",
    most: 60,
    window_seconds: 600,
};

/// Counts one attempt of `limit`'s kind by `client` at `now`; refused past the limit.
pub async fn attempt(
    store: &dyn Store,
    limit: Limit,
    client: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let window_start = window_start(limit, now);
    let attempts = store
        .count_attempt(limit.scope, client, window_start)
        .await?;
    if attempts > limit.most {
        tracing::info!(
            scope = limit.scope,
            client,
            attempts,
            "attempt refused by its limit"
        );
        return Err(AppError::TooManyAttempts);
    }
    Ok(())
}

/// The start of the window `now` falls in, in Unix seconds.
pub fn window_start(limit: Limit, now: DateTime<Utc>) -> i64 {
    let t = now.timestamp();
    t - t.rem_euclid(limit.window_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn windows_are_aligned_to_their_length() {
        let at = |s| Utc.timestamp_opt(s, 0).single().expect("time");
        assert_eq!(window_start(NEW_FLASH_SESSIONS, at(120)), 120);
        assert_eq!(window_start(NEW_FLASH_SESSIONS, at(179)), 120);
        assert_eq!(window_start(NEW_FLASH_SESSIONS, at(180)), 180);
    }
}
