//! Users, for both backends.

use super::errors::DbResult;
use super::rows::UserRow;
use super::scope::push_scope;
use super::write_tx::{with_tx, Change, Scope};
use super::{new_id, now_micros, with_pool, Db};
use app::domain::policy::Reach;
use app::domain::{Principal, UserId};
use app::dto::User;
use app::ports::{Actor, StoreResult, UserStore};
use async_trait::async_trait;
use sqlx::QueryBuilder;

const SELECT: &str = "select id, name, email, is_demo from users";

/// Users whose `column` is one of `values`.
async fn where_in(db: &Db, column: &'static str, values: &[String]) -> DbResult<Vec<User>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<UserRow> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(format!("{SELECT} where {column} in ("));
        let mut list = q.separated(", ");
        for v in values {
            list.push_bind(v.as_str());
        }
        list.push_unseparated(") order by lower(name), id");
        q.build_query_as().fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(User::from).collect())
}

async fn create(
    db: &Db,
    name: &str,
    email: &str,
    is_demo: bool,
    actor: &Principal,
) -> DbResult<User> {
    let id = new_id();
    let email = email.trim().to_lowercase();
    let mut tx = db.begin_write(Scope::Record).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("insert into users (id, name, email, is_demo, created_at) values ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(name)
            .bind(&email)
            .bind(i64::from(is_demo))
            .bind(now_micros())
            .execute(&mut *conn)
            .await?;
    });
    tx.commit(Change::new(actor, "user.create", &id)).await?;
    Ok(User {
        id: UserId(id),
        name: name.to_string(),
        email,
        is_demo,
    })
}

/// Everyone for the whole organization; for some teams, the people who hold a role in one or
/// own one of its current workloads (whom its pages show already, and whom an edit keeps).
async fn in_reach(db: &Db, reach: &Reach) -> DbResult<Vec<User>> {
    if reach.teams().is_none() {
        return list(db).await;
    }
    let rows: Vec<UserRow> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "select id, name, email, is_demo from users where id in \
             (select user_id from role_grants where 1 = 1",
        );
        push_scope(&mut q, "team_id", reach);
        q.push(
            ") or id in (select o.user_id from workload_owners o join workload_versions v \
             on v.workload_id = o.workload_id and v.revision = o.revision \
             where v.valid_to is null",
        );
        push_scope(&mut q, "v.team_id", reach);
        q.push(") order by lower(name), id");
        q.build_query_as().fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(User::from).collect())
}

async fn list(db: &Db) -> DbResult<Vec<User>> {
    let sql = format!("{SELECT} order by lower(name), id");
    let rows: Vec<UserRow> = with_pool!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
    Ok(rows.into_iter().map(User::from).collect())
}

#[async_trait]
impl UserStore for Db {
    async fn create_user(
        &self,
        name: &str,
        email: &str,
        is_demo: bool,
        actor: Actor<'_>,
    ) -> StoreResult<User> {
        Ok(create(self, name, email, is_demo, actor).await?)
    }

    async fn users_in(&self, reach: &Reach) -> StoreResult<Vec<User>> {
        Ok(in_reach(self, reach).await?)
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        Ok(list(self).await?)
    }

    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>> {
        let ids: Vec<String> = ids.iter().map(|i| i.0.clone()).collect();
        Ok(where_in(self, "id", &ids).await?)
    }

    async fn users_by_emails(&self, emails: &[String]) -> StoreResult<Vec<User>> {
        let emails: Vec<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
        Ok(where_in(self, "email", &emails).await?)
    }
}
