//! The choices of a grant form: the roles, and the teams (none for the whole organization).

use crate::domain::policy::Role;
use crate::dto::Team;

/// Every role, as (code, label).
pub fn roles() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect()
}

/// The teams, as (id, name).
pub fn teams(teams: &[Team]) -> Vec<(String, String)> {
    teams
        .iter()
        .map(|t| (t.id.0.clone(), t.name.clone()))
        .collect()
}

/// What the team field says about scope.
pub const TEAM_HINT: &str =
    "Contributors need a team; security leads and administrators act for the whole organization; auditors either.";
