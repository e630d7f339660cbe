//! Hashing and checking local passwords: Argon2id with argon2's defaults (OWASP's: 19 MiB, two
//! passes, one lane) as PHC strings, so that parameters can be raised later and old hashes
//! still verify. Each hash takes tens of milliseconds of CPU and 19 MiB, so it runs on the
//! blocking pool, never on the async threads, and at most `max_concurrent` run at once: a
//! flood of logins waits for a permit instead of exhausting memory.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Why hashing or checking could not be done (never "the password is wrong": that is `false`).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("stored password hash is unreadable: {0}")]
    Unreadable(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// The hasher of one server: shared by every request, bounded in how many hashes run at once.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    /// At most `max_concurrent` hashes or checks at once (at least one).
    pub fn new(max_concurrent: usize) -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
        }
    }

    /// A new PHC string for `password`, with a fresh random salt.
    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let password = password.to_owned();
        self.blocking(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| PasswordError::Hashing(e.to_string()))
        })
        .await
    }

    /// Whether `password` matches `stored`. For an account that has no password (or no account
    /// at all) pass `None`: the same work is done against a hash nobody knows the password of,
    /// so the answer takes as long as for an existing account and reveals nothing.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> Result<bool, PasswordError> {
        let password = password.to_owned();
        let stored = stored.map(str::to_owned);
        self.blocking(move || {
            let (phc, known) = match &stored {
                Some(s) => (s.as_str(), true),
                None => (unknown_account_hash(), false),
            };
            let parsed =
                PasswordHash::new(phc).map_err(|e| PasswordError::Unreadable(e.to_string()))?;
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(matches && known)
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, PasswordError> + Send + 'static,
    ) -> Result<T, PasswordError> {
        // The semaphore is never closed, so acquiring fails only if it were.
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PasswordError::Hashing(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| PasswordError::Hashing(e.to_string()))?
    }
}

#[async_trait::async_trait]
impl app::ports::PasswordHasher for Passwords {
    async fn hash(&self, password: &str) -> Result<String, String> {
        Passwords::hash(self, password)
            .await
            .map_err(|e| e.to_string())
    }

    async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, String> {
        Passwords::verify(self, password, stored)
            .await
            .map_err(|e| e.to_string())
    }

    fn temporary(&self) -> Result<String, String> {
        one_time_password().map_err(|e| e.to_string())
    }
}

/// A random password for one use (the first administrator's, a reset): 20 characters from an
/// alphabet without look-alikes (about 100 bits), in groups of four for reading aloud.
pub fn one_time_password() -> Result<String, getrandom::Error> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)?;
    let chars: Vec<char> = bytes
        .iter()
        // 256 is not a multiple of 31: the first 8 letters come up a little more often
        // (9 in 256 instead of 8), which costs well under a bit of the 99.
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The hash an unknown account is checked against, made once per process with the parameters
/// of new hashes so that the check costs the same. Its password need not be secret: a check
/// against it never counts as a match (`verify`).
fn unknown_account_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|h| h.to_string())
            // Hashing with the default parameters cannot fail; should it, the empty value makes
            // every unknown-account check an error, never a match.
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_long_random_and_meet_the_rules() {
        let a = one_time_password().expect("random");
        let b = one_time_password().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), 24, "{a}");
        assert_eq!(a.split('-').count(), 5);
        assert_eq!(app::domain::password::problem(&a, &["admin"]), None, "{a}");
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let p = Passwords::new(2);
        let hash = p.hash("purple giraffes dance at noon").await.expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(p
            .verify("purple giraffes dance at noon", Some(&hash))
            .await
            .expect("verify"));
        assert!(!p
            .verify("purple giraffes dance at noon ", Some(&hash))
            .await
            .expect("verify"));
        assert!(!p
            .verify("Purple giraffes dance at noon", Some(&hash))
            .await
            .expect("compared exactly as typed"));
        let again = p.hash("purple giraffes dance at noon").await.expect("hash");
        assert_ne!(hash, again, "every hash has its own salt");
    }

    #[tokio::test]
    async fn an_unknown_account_never_matches_and_is_checked_like_a_known_one() {
        let p = Passwords::new(2);
        assert!(!p.verify("", None).await.expect("verify"));
        assert!(!p.verify("anything at all", None).await.expect("verify"));
        // The same parameters as a new hash: the check costs what a real account's costs.
        let params = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_owned);
        let new = p.hash("a long enough password").await.expect("hash");
        assert_eq!(params(unknown_account_hash()), params(&new));
        assert!(params(&new).is_some_and(|s| s.ends_with("m=19456,t=2,p=1")));
    }

    #[tokio::test]
    async fn an_unreadable_stored_hash_is_an_error_not_a_mismatch() {
        let p = Passwords::new(1);
        let e = p.verify("x", Some("not a phc string")).await;
        assert!(matches!(e, Err(PasswordError::Unreadable(_))), "{e:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_cap_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let p = Passwords::new(2);
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let work = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(50));
                running.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            }
        };
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (p, w) = (p.clone(), work(running.clone(), most.clone()));
                tokio::spawn(async move { p.blocking(w).await })
            })
            .collect();
        for t in tasks {
            t.await.expect("task").expect("work");
        }
        assert_eq!(most.load(Ordering::SeqCst), 2, "two at a time, never more");
    }
}
