//! What a signed-in session holds and the rules it is checked against on every request: the
//! person's account must still be enabled and at the session epoch the session was started
//! under (a password change, disabling or a revoked role bumps it), the session must have been
//! used within the idle limit and be younger than the absolute one. The checks read stored
//! instants (`last_seen`, `authenticated_at`), not the cookie's expiry, which a client keeps.

use crate::domain::{Person, UserId};
use crate::ports::SessionAccount;
use serde::{Deserialize, Serialize};

/// The session key of the signed-in identity. Flashes live under their own key, and nothing
/// that reads them (`take_flash`) can read this one.
pub const SIGNED_IN: &str = "signed_in";

/// How often `last_seen` is written back: a write per request would be a write per page.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// Who a session belongs to, as stored in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionIdentity {
    pub user: UserId,
    /// The account's session epoch at sign-in.
    pub epoch: i64,
    /// Unix seconds of the sign-in.
    pub authenticated_at: i64,
    /// Unix seconds of the last request that wrote it back.
    pub last_seen: i64,
}

/// How long sessions last, and which passwords sign-in accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRules {
    /// A session unused this long has ended.
    pub idle_seconds: i64,
    /// A session this old has ended, however much it is used.
    pub absolute_seconds: i64,
    /// The documented demo passwords work (only while the server listens on loopback).
    pub demo_passwords: bool,
}

/// What a request's session comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Signed in as `person`; `touch` when `last_seen` is old enough to be written back.
    SignedIn { person: Person, touch: bool },
    /// The session has ended, for this reason (logged; the person just signs in again).
    Ended(&'static str),
}

/// Checks `identity` against the account as stored now, at `now` (Unix seconds).
pub fn check(
    identity: &SessionIdentity,
    account: Option<SessionAccount>,
    rules: &SessionRules,
    now: i64,
) -> Verdict {
    if now - identity.last_seen > rules.idle_seconds {
        return Verdict::Ended("idle for longer than the idle limit");
    }
    if now - identity.authenticated_at > rules.absolute_seconds {
        return Verdict::Ended("older than the session limit");
    }
    let Some(account) = account else {
        return Verdict::Ended("the person no longer exists");
    };
    let c = &account.credentials;
    if c.disabled {
        return Verdict::Ended("the account is disabled");
    }
    if c.session_epoch != identity.epoch || c.password_hash.is_none() {
        return Verdict::Ended("the account changed since sign-in");
    }
    if c.demo_password && !rules.demo_passwords {
        return Verdict::Ended("a demo password off loopback");
    }
    let must_enrol = account.second_factor_required
        && !c.second_factor
        && second_factor_required_of(&account.grants);
    Verdict::SignedIn {
        touch: now - identity.last_seen >= TOUCH_EVERY_SECONDS,
        person: Person {
            id: c.user_id.clone(),
            name: account.name,
            email: account.email,
            must_change_password: c.must_change,
            must_enrol_second_factor: must_enrol,
            grants: account.grants,
        },
    }
}

/// Whether the organization's "second factor required" setting applies to someone with these
/// grants: administrators and security leads, who can change everything.
pub fn second_factor_required_of(grants: &[crate::domain::policy::Grant]) -> bool {
    use crate::domain::policy::Role;
    grants
        .iter()
        .any(|g| matches!(g.role(), Role::Admin | Role::SecurityLead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::Credentials;

    const RULES: SessionRules = SessionRules {
        idle_seconds: 1_800,
        absolute_seconds: 43_200,
        demo_passwords: false,
    };

    fn identity() -> SessionIdentity {
        SessionIdentity {
            user: UserId("u".into()),
            epoch: 3,
            authenticated_at: 1_000,
            last_seen: 1_000,
        }
    }

    fn account() -> SessionAccount {
        SessionAccount {
            credentials: Credentials {
                user_id: UserId("u".into()),
                password_hash: Some("$argon2id$x".into()),
                must_change: false,
                demo_password: false,
                disabled: false,
                session_epoch: 3,
                second_factor: false,
            },
            name: "Ada".into(),
            email: "ada@example.org".into(),
            grants: Vec::new(),
            second_factor_required: false,
        }
    }

    fn ended(v: Verdict) -> &'static str {
        match v {
            Verdict::Ended(why) => why,
            Verdict::SignedIn { .. } => "signed in",
        }
    }

    #[test]
    fn a_fresh_session_of_an_unchanged_account_is_signed_in_and_touched_once_a_minute() {
        let at = |now| check(&identity(), Some(account()), &RULES, now);
        match at(1_059) {
            Verdict::SignedIn { person, touch } => {
                assert_eq!((person.name.as_str(), touch), ("Ada", false));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(at(1_060), Verdict::SignedIn { touch: true, .. }));
    }

    #[test]
    fn idle_and_absolute_limits_end_a_session_from_its_stored_instants() {
        assert_eq!(
            ended(check(&identity(), Some(account()), &RULES, 1_000 + 1_800)),
            "signed in"
        );
        assert!(ended(check(&identity(), Some(account()), &RULES, 1_000 + 1_801)).contains("idle"));
        let busy = SessionIdentity {
            last_seen: 44_000,
            ..identity()
        };
        assert!(ended(check(&busy, Some(account()), &RULES, 44_201)).contains("session limit"));
    }

    #[test]
    fn a_changed_disabled_or_vanished_account_ends_the_session() {
        let with = |f: fn(&mut Credentials)| {
            let mut a = account();
            f(&mut a.credentials);
            ended(check(&identity(), Some(a), &RULES, 1_010))
        };
        assert!(with(|c| c.disabled = true).contains("disabled"));
        assert!(with(|c| c.session_epoch = 4).contains("changed"));
        assert!(with(|c| c.password_hash = None).contains("changed"));
        assert!(with(|c| c.demo_password = true).contains("demo"));
        assert!(ended(check(&identity(), None, &RULES, 1_010)).contains("no longer"));
    }

    #[test]
    fn the_second_factor_setting_holds_back_admins_and_leads_without_one_and_no_one_else() {
        use crate::domain::policy::{Grant, GrantScope, Role};
        let must_enrol = |role: Role, scope: GrantScope, required: bool, has: bool| {
            let mut a = account();
            a.grants = vec![Grant::new(role, scope).expect("grant")];
            a.second_factor_required = required;
            a.credentials.second_factor = has;
            match check(&identity(), Some(a), &RULES, 1_010) {
                Verdict::SignedIn { person, .. } => person.must_enrol_second_factor,
                other => panic!("{other:?}"),
            }
        };
        let org = || GrantScope::Organization;
        assert!(must_enrol(Role::Admin, org(), true, false));
        assert!(must_enrol(Role::SecurityLead, org(), true, false));
        assert!(!must_enrol(Role::Admin, org(), true, true));
        assert!(!must_enrol(Role::Admin, org(), false, false));
        assert!(!must_enrol(Role::Auditor, org(), true, false));
        let team = GrantScope::Team(crate::domain::TeamId("t".into()));
        assert!(!must_enrol(Role::Contributor, team, true, false));
    }

    #[test]
    fn a_temporary_password_is_carried_into_the_person() {
        let mut a = account();
        a.credentials.must_change = true;
        match check(&identity(), Some(a), &RULES, 1_010) {
            Verdict::SignedIn { person, .. } => assert!(person.must_change_password),
            other => panic!("{other:?}"),
        }
    }
}
