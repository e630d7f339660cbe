//! The caller's reach as SQL: a condition on a team column that every scoped read adds in the
//! query itself, so rows of other teams are never read, counted or returned.

use app::domain::policy::Reach;
use sqlx::QueryBuilder;

/// Adds ` and <column> in (…)` for a reach of some teams; nothing for the whole organization.
pub fn push_scope<'a, DB: sqlx::Database>(
    q: &mut QueryBuilder<'a, DB>,
    column: &str,
    reach: &'a Reach,
) where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let Some(teams) = reach.teams() else {
        return;
    };
    if teams.is_empty() {
        // No team: nothing is in reach (`in ()` is not SQL).
        q.push(" and 1 = 0");
        return;
    }
    q.push(format!(" and {column} in ("));
    let mut list = q.separated(", ");
    for team in teams {
        list.push_bind(team.as_str());
    }
    list.push_unseparated(")");
}
