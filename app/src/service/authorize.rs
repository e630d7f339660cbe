//! The one path every use case asks before it acts (`require`), deny by default: a visitor who
//! has not signed in may do nothing here (401), a person may do what the policy table gives
//! their grants (`domain::policy`), a task of the server itself acts for the whole
//! organization. Objects of a team outside the caller's reach answer "not found", so that no
//! answer tells what exists there; one the caller may read but not change answers 403.

use crate::domain::policy::{reach, Action, Reach};
use crate::domain::{Principal, TeamId};
use crate::error::AppError;

/// Where `caller` may do `action`; refused when nowhere.
pub fn require(caller: &Principal, action: Action) -> Result<Reach, AppError> {
    match caller {
        Principal::AnonymousWeb => Err(AppError::Unauthenticated),
        Principal::System(_) => Ok(Reach::Organization),
        Principal::Person(p) => reach(&p.grants, action).ok_or(AppError::Forbidden),
    }
}

/// Whether `caller` may do `action` anywhere (for what pages offer).
pub fn may(caller: &Principal, action: Action) -> bool {
    require(caller, action).is_ok()
}

/// `action` on an object of `team` (`what` names it in "not found"): refused as not found when
/// the caller cannot read the team's objects, as forbidden when they can but not do this.
pub fn require_on(
    caller: &Principal,
    action: Action,
    team: &TeamId,
    what: &str,
) -> Result<(), AppError> {
    let readable = require(caller, Action::ReadWorkloads)
        .map(|r| r.includes(team))
        .unwrap_or(false);
    if !readable {
        // Also for a visitor who has not signed in: sign in first.
        require(caller, Action::ReadWorkloads)?;
        return Err(AppError::NotFound(what.to_string()));
    }
    if require(caller, action)?.includes(team) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::{Grant, GrantScope, Role};
    use crate::domain::{Person, UserId};

    fn person(grants: &[(Role, Option<&str>)]) -> Principal {
        Principal::Person(Person {
            id: UserId("u".into()),
            name: "P".into(),
            email: "p@example.org".into(),
            grants: grants
                .iter()
                .map(|(role, team)| {
                    let scope = team.map_or(GrantScope::Organization, |t| {
                        GrantScope::Team(TeamId(t.into()))
                    });
                    Grant::new(*role, scope).expect("allowed")
                })
                .collect(),
            must_change_password: false,
            must_enrol_second_factor: false,
        })
    }

    #[test]
    fn nobody_unsigned_and_nobody_without_a_grant_may_do_anything() {
        for action in Action::ALL {
            assert_eq!(
                require(&Principal::AnonymousWeb, action),
                Err(AppError::Unauthenticated)
            );
            assert_eq!(require(&person(&[]), action), Err(AppError::Forbidden));
        }
    }

    #[test]
    fn another_teams_object_is_not_found_and_a_readable_one_may_still_be_forbidden() {
        let a = TeamId("a".into());
        let b = TeamId("b".into());
        let contributor = person(&[(Role::Contributor, Some("a"))]);
        assert_eq!(
            require_on(&contributor, Action::ChangeWorkloads, &a, "W"),
            Ok(())
        );
        assert_eq!(
            require_on(&contributor, Action::ChangeWorkloads, &b, "W"),
            Err(AppError::NotFound("W".into()))
        );
        let auditor = person(&[(Role::Auditor, Some("a"))]);
        assert_eq!(require_on(&auditor, Action::ReadWorkloads, &a, "W"), Ok(()));
        assert_eq!(
            require_on(&auditor, Action::ChangeWorkloads, &a, "W"),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            require_on(&Principal::AnonymousWeb, Action::ReadWorkloads, &a, "W"),
            Err(AppError::Unauthenticated)
        );
        let lead = person(&[(Role::SecurityLead, None)]);
        assert_eq!(require_on(&lead, Action::Review, &b, "W"), Ok(()));
        assert!(may(&lead, Action::Review) && !may(&contributor, Action::Review));
    }
}
