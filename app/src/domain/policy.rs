//! Who may do what (design §1): the roles, the grants people hold, and the one policy table that
//! answers, for a person's grants and an action, where the action is allowed — the whole
//! organization, some teams, or nowhere. Deny by default: an action a table row does not give
//! to any of the caller's roles is refused. Checks on single objects (never review your own
//! attestation, an object of another team answers "not found") build on the reach this returns.

use super::TeamId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A role a person can be granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Admin,
    SecurityLead,
    Contributor,
    Auditor,
}

impl Role {
    /// Every role, in the order of the policy table's columns.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::SecurityLead,
        Role::Contributor,
        Role::Auditor,
    ];

    /// The stable code, as stored and in the API.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SecurityLead => "security_lead",
            Role::Contributor => "contributor",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::SecurityLead => "Security lead",
            Role::Contributor => "Contributor",
            Role::Auditor => "Auditor",
        }
    }

    /// Where a grant of this role may apply: security leads and admins act for the whole
    /// organization, contributors for teams, auditors for either.
    pub fn allows(self, scope: &GrantScope) -> bool {
        match (self, scope) {
            (Role::Admin | Role::SecurityLead, GrantScope::Organization) => true,
            (Role::Admin | Role::SecurityLead, GrantScope::Team(_)) => false,
            (Role::Contributor, GrantScope::Team(_)) => true,
            (Role::Contributor, GrantScope::Organization) => false,
            (Role::Auditor, _) => true,
        }
    }

    fn column(self) -> usize {
        Role::ALL
            .iter()
            .position(|r| *r == self)
            .unwrap_or_default()
    }
}

/// Where a grant applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GrantScope {
    Organization,
    Team(TeamId),
}

/// A role held by a person, for the whole organization or one team. Made only through `new`,
/// so a grant the policy does not allow (a team-scoped admin) cannot exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    role: Role,
    scope: GrantScope,
}

/// Why a grant cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRefused(pub String);

impl Grant {
    pub fn new(role: Role, scope: GrantScope) -> Result<Grant, GrantRefused> {
        if role.allows(&scope) {
            return Ok(Grant { role, scope });
        }
        Err(GrantRefused(match scope {
            GrantScope::Organization => {
                format!("{} is granted per team: choose a team.", role.label())
            }
            GrantScope::Team(_) => format!(
                "{} is granted for the whole organization, not per team.",
                role.label()
            ),
        }))
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn scope(&self) -> &GrantScope {
        &self.scope
    }
}

/// What a caller asks to do (design §1's rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// Read workloads, requirements, evidence and the dashboard.
    ReadWorkloads,
    ReadCatalog,
    /// Create and edit workloads, attest, upload or link evidence, promote when nothing is
    /// open, request a promotion or an exception.
    ChangeWorkloads,
    /// Review attestations, grant exceptions, approve promotion requests, demote.
    Review,
    /// Edit and import the catalog.
    EditCatalog,
    /// Users, teams, role grants, settings, API tokens for any scope.
    Administer,
    /// API tokens scoped to workloads of the caller's teams.
    ManageTokens,
    /// Audit events in full; everyone who holds a role reads the others as digests.
    ReadAuditEvents,
    /// Every audit event as `{seq, digest, hash}`, so that the chain verifies for anyone.
    ReadAuditChain,
    /// Reports and evidence bundles.
    Export,
}

impl Action {
    /// Every action, in the order of the policy table's rows.
    pub const ALL: [Action; 10] = [
        Action::ReadWorkloads,
        Action::ReadCatalog,
        Action::ChangeWorkloads,
        Action::Review,
        Action::EditCatalog,
        Action::Administer,
        Action::ManageTokens,
        Action::ReadAuditEvents,
        Action::ReadAuditChain,
        Action::Export,
    ];
}

/// How far one role's grant carries an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carries {
    /// Not at all.
    No,
    /// Across the whole organization, whatever the grant's scope.
    Everywhere,
    /// As far as the grant's own scope (its team, or the organization).
    WithinGrant,
}

use Carries::{Everywhere as All, No, WithinGrant as Own};

/// The policy table: one row per action, one column per role in `Role::ALL` order (admin,
/// security lead, contributor, auditor). The authorization tests are generated from it.
pub const POLICY: [(Action, [Carries; 4]); 10] = [
    (Action::ReadWorkloads, [All, All, Own, Own]),
    (Action::ReadCatalog, [All, All, All, All]),
    (Action::ChangeWorkloads, [No, All, Own, No]),
    (Action::Review, [No, All, No, No]),
    (Action::EditCatalog, [All, All, No, No]),
    (Action::Administer, [All, No, No, No]),
    (Action::ManageTokens, [All, No, Own, No]),
    (Action::ReadAuditEvents, [All, All, Own, Own]),
    (Action::ReadAuditChain, [All, All, All, All]),
    (Action::Export, [All, All, Own, Own]),
];

/// How far `role` carries `action`, read from `POLICY`.
pub fn carries(role: Role, action: Action) -> Carries {
    POLICY
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(No, |(_, columns)| columns[role.column()])
}

/// Where an allowed action applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    Organization,
    /// These teams only (never empty: no team means no reach).
    Teams(BTreeSet<TeamId>),
}

impl Reach {
    /// Whether the action applies to objects of `team`.
    pub fn includes(&self, team: &TeamId) -> bool {
        match self {
            Reach::Organization => true,
            Reach::Teams(teams) => teams.contains(team),
        }
    }

    /// The teams a query must be filtered by; `None` for the whole organization.
    pub fn teams(&self) -> Option<&BTreeSet<TeamId>> {
        match self {
            Reach::Organization => None,
            Reach::Teams(teams) => Some(teams),
        }
    }
}

/// Where `grants` allow `action`: the union over the grants, `None` when none of them does.
pub fn reach(grants: &[Grant], action: Action) -> Option<Reach> {
    let mut teams = BTreeSet::new();
    for grant in grants {
        match (carries(grant.role, action), &grant.scope) {
            (No, _) => {}
            (All, _) | (Own, GrantScope::Organization) => return Some(Reach::Organization),
            (Own, GrantScope::Team(team)) => {
                teams.insert(team.clone());
            }
        }
    }
    (!teams.is_empty()).then_some(Reach::Teams(teams))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str) -> TeamId {
        TeamId(name.into())
    }

    fn grant(role: Role, scope: GrantScope) -> Grant {
        Grant::new(role, scope).expect("allowed grant")
    }

    fn teams(names: &[&str]) -> Reach {
        Reach::Teams(names.iter().map(|n| team(n)).collect())
    }

    #[test]
    fn every_action_has_exactly_one_row() {
        for action in Action::ALL {
            let rows = POLICY.iter().filter(|(a, _)| *a == action).count();
            assert_eq!(rows, 1, "{action:?}");
        }
        assert_eq!(POLICY.len(), Action::ALL.len());
    }

    #[test]
    fn roles_round_trip_through_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code("Admin"), None, "codes are exact");
    }

    #[test]
    fn grants_follow_the_scope_each_role_allows() {
        let a = GrantScope::Team(team("a"));
        let org = GrantScope::Organization;
        assert!(Grant::new(Role::Admin, org.clone()).is_ok());
        assert!(Grant::new(Role::SecurityLead, org.clone()).is_ok());
        assert!(Grant::new(Role::Auditor, org.clone()).is_ok());
        assert!(Grant::new(Role::Auditor, a.clone()).is_ok());
        assert!(Grant::new(Role::Contributor, a.clone()).is_ok());
        let refused = |role, scope| Grant::new(role, scope).expect_err("refused").0;
        assert!(refused(Role::Admin, a.clone()).contains("whole organization"));
        assert!(refused(Role::SecurityLead, a).contains("whole organization"));
        assert!(refused(Role::Contributor, org).contains("choose a team"));
    }

    #[test]
    fn nobody_without_a_grant_may_do_anything() {
        for action in Action::ALL {
            assert_eq!(reach(&[], action), None, "{action:?}");
        }
    }

    /// Design §1's table, cell by cell, for one grant of each role.
    #[test]
    fn one_grant_of_each_role_reaches_what_design_section_1_says() {
        let org = || Some(Reach::Organization);
        let own = || Some(teams(&["a"]));
        let admin = [grant(Role::Admin, GrantScope::Organization)];
        let lead = [grant(Role::SecurityLead, GrantScope::Organization)];
        let contributor = [grant(Role::Contributor, GrantScope::Team(team("a")))];
        let team_auditor = [grant(Role::Auditor, GrantScope::Team(team("a")))];
        let org_auditor = [grant(Role::Auditor, GrantScope::Organization)];
        use Action::*;
        let expected: [(Action, [Option<Reach>; 5]); 10] = [
            (ReadWorkloads, [org(), org(), own(), own(), org()]),
            (ReadCatalog, [org(), org(), org(), org(), org()]),
            (ChangeWorkloads, [None, org(), own(), None, None]),
            (Review, [None, org(), None, None, None]),
            (EditCatalog, [org(), org(), None, None, None]),
            (Administer, [org(), None, None, None, None]),
            (ManageTokens, [org(), None, own(), None, None]),
            (ReadAuditEvents, [org(), org(), own(), own(), org()]),
            (ReadAuditChain, [org(), org(), org(), org(), org()]),
            (Export, [org(), org(), own(), own(), org()]),
        ];
        for (action, cells) in expected {
            let callers: [&[Grant]; 5] = [&admin, &lead, &contributor, &team_auditor, &org_auditor];
            for (grants, cell) in callers.into_iter().zip(cells) {
                assert_eq!(reach(grants, action), cell, "{action:?} for {grants:?}");
            }
        }
    }

    #[test]
    fn a_persons_permissions_are_the_union_of_their_grants() {
        let grants = [
            grant(Role::Contributor, GrantScope::Team(team("a"))),
            grant(Role::Contributor, GrantScope::Team(team("b"))),
            grant(Role::Auditor, GrantScope::Team(team("c"))),
        ];
        assert_eq!(
            reach(&grants, Action::ReadWorkloads),
            Some(teams(&["a", "b", "c"]))
        );
        assert_eq!(
            reach(&grants, Action::ChangeWorkloads),
            Some(teams(&["a", "b"])),
            "auditing a team gives no right to change it"
        );
        let with_lead = [
            grants[0].clone(),
            grant(Role::SecurityLead, GrantScope::Organization),
        ];
        assert_eq!(
            reach(&with_lead, Action::ChangeWorkloads),
            Some(Reach::Organization),
            "an organization-wide grant covers every team"
        );
    }

    #[test]
    fn a_reach_includes_exactly_its_teams() {
        let r = teams(&["a"]);
        assert!(r.includes(&team("a")));
        assert!(!r.includes(&team("b")));
        assert_eq!(r.teams().map(|t| t.len()), Some(1));
        assert!(Reach::Organization.includes(&team("b")));
        assert_eq!(Reach::Organization.teams(), None);
    }
}
