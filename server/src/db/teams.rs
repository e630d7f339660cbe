//! Teams, for both backends.

use super::errors::DbResult;
use super::rows::{TeamRow, TEAM_COLUMNS};
use super::scope::push_scope;
use super::write_tx::{with_tx, Change, Scope};
use super::{new_id, now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::policy::Reach;
use app::domain::{Principal, TeamId};
use app::dto::Team;
use app::ports::{Actor, StoreResult, TeamStore};
use async_trait::async_trait;
use sqlx::QueryBuilder;

async fn create(db: &Db, name: &str, is_demo: bool, actor: &Principal) -> DbResult<Team> {
    let id = new_id();
    let mut tx = db.begin_write(Scope::Record).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("insert into teams (id, name, is_demo, created_at) values ($1, $2, $3, $4)")
            .bind(&id)
            .bind(name)
            .bind(i64::from(is_demo))
            .bind(now_micros())
            .execute(&mut *conn)
            .await?;
    });
    tx.commit(Change::new(actor, "team.create", &id)).await?;
    Ok(Team {
        id: TeamId(id),
        name: name.to_string(),
        is_demo,
        archived: false,
    })
}

/// Renames a team; its name stays unique (`Constraint::TeamName`).
async fn rename(db: &Db, id: &TeamId, name: &str, actor: &Principal) -> DbResult<()> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let changed = with_tx!(&mut tx, conn => {
        sqlx::query("update teams set name = $2 where id = $1")
            .bind(id.as_str())
            .bind(name)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Err(super::errors::DbError::NotFound);
    }
    let details = Details::new().with("name", name);
    tx.commit(
        Change::new(actor, "team.rename", id.as_str())
            .team(id.as_str())
            .details(details),
    )
    .await
}

/// Archives or restores a team.
async fn set_archived(db: &Db, id: &TeamId, archived: bool, actor: &Principal) -> DbResult<()> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let at = archived.then(now_micros);
    let changed = with_tx!(&mut tx, conn => {
        sqlx::query("update teams set archived_at = $2 where id = $1")
            .bind(id.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Err(super::errors::DbError::NotFound);
    }
    let action = if archived {
        "team.archive"
    } else {
        "team.restore"
    };
    tx.commit(Change::new(actor, action, id.as_str()).team(id.as_str()))
        .await
}

async fn list(db: &Db) -> DbResult<Vec<Team>> {
    let rows: Vec<TeamRow> = with_pool!(db, pool => {
        sqlx::query_as(&format!("select {TEAM_COLUMNS} from teams order by lower(name), id"))
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().map(Team::from).collect())
}

/// The teams in `reach`, by name.
async fn in_reach(db: &Db, reach: &Reach) -> DbResult<Vec<Team>> {
    let rows: Vec<TeamRow> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(format!("select {TEAM_COLUMNS} from teams where 1 = 1"));
        push_scope(&mut q, "id", reach);
        q.push(" order by lower(name), id");
        q.build_query_as().fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(Team::from).collect())
}

async fn get(db: &Db, id: &TeamId) -> DbResult<Option<Team>> {
    let row: Option<TeamRow> = with_pool!(db, pool => {
        sqlx::query_as(&format!("select {TEAM_COLUMNS} from teams where id = $1"))
            .bind(id.as_str())
            .fetch_optional(pool)
            .await?
    });
    Ok(row.map(Team::from))
}

#[async_trait]
impl TeamStore for Db {
    async fn create_team(&self, name: &str, is_demo: bool, actor: Actor<'_>) -> StoreResult<Team> {
        Ok(create(self, name, is_demo, actor).await?)
    }

    async fn list_teams(&self) -> StoreResult<Vec<Team>> {
        Ok(list(self).await?)
    }

    async fn teams_in(&self, reach: &Reach) -> StoreResult<Vec<Team>> {
        Ok(in_reach(self, reach).await?)
    }

    async fn rename_team(&self, id: &TeamId, name: &str, actor: Actor<'_>) -> StoreResult<()> {
        Ok(rename(self, id, name, actor).await?)
    }

    async fn set_team_archived(
        &self,
        id: &TeamId,
        archived: bool,
        actor: Actor<'_>,
    ) -> StoreResult<()> {
        Ok(set_archived(self, id, archived, actor).await?)
    }

    async fn get_team(&self, id: &TeamId) -> StoreResult<Option<Team>> {
        Ok(get(self, id).await?)
    }
}
