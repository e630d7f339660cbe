//! Teams, for both backends.

use super::rows::TeamRow;
use super::{map_err, new_id, now_micros, with_pool, Db};
use app::domain::TeamId;
use app::dto::Team;
use app::ports::{StoreResult, TeamStore};
use async_trait::async_trait;

#[async_trait]
impl TeamStore for Db {
    async fn create_team(&self, name: &str, is_demo: bool) -> StoreResult<Team> {
        let id = new_id();
        with_pool!(self, pool => {
            sqlx::query("insert into teams (id, name, is_demo, created_at) values ($1, $2, $3, $4)")
                .bind(&id)
                .bind(name)
                .bind(i64::from(is_demo))
                .bind(now_micros())
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(map_err)?;
        Ok(Team {
            id: TeamId(id),
            name: name.to_string(),
            is_demo,
        })
    }

    async fn list_teams(&self) -> StoreResult<Vec<Team>> {
        let rows: Vec<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as("select id, name, is_demo from teams order by lower(name), id")
                .fetch_all(pool)
                .await
        })
        .map_err(map_err)?;
        Ok(rows.into_iter().map(Team::from).collect())
    }

    async fn get_team(&self, id: &TeamId) -> StoreResult<Option<Team>> {
        let row: Option<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as("select id, name, is_demo from teams where id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await
        })
        .map_err(map_err)?;
        Ok(row.map(Team::from))
    }
}
