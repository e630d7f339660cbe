//! Users, for both backends.

use super::rows::{placeholders, UserRow};
use super::{map_err, new_id, now_micros, with_pool, Db};
use app::domain::UserId;
use app::dto::User;
use app::ports::{StoreResult, UserStore};
use async_trait::async_trait;

const COLUMNS: &str = "id, name, email, is_demo";

impl Db {
    async fn users_where_in(&self, column: &str, values: &[String]) -> StoreResult<Vec<User>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "select {COLUMNS} from users where {column} in ({}) order by lower(name), id",
            placeholders(1, values.len())
        );
        let rows: Vec<UserRow> = with_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for v in values {
                q = q.bind(v);
            }
            q.fetch_all(pool).await
        })
        .map_err(map_err)?;
        Ok(rows.into_iter().map(User::from).collect())
    }
}

#[async_trait]
impl UserStore for Db {
    async fn create_user(&self, name: &str, email: &str, is_demo: bool) -> StoreResult<User> {
        let id = new_id();
        let email = email.trim().to_lowercase();
        with_pool!(self, pool => {
            sqlx::query(
                "insert into users (id, name, email, is_demo, created_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(name)
            .bind(&email)
            .bind(i64::from(is_demo))
            .bind(now_micros())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(map_err)?;
        Ok(User {
            id: UserId(id),
            name: name.to_string(),
            email,
            is_demo,
        })
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        let sql = format!("select {COLUMNS} from users order by lower(name), id");
        let rows: Vec<UserRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)
                .map_err(map_err)?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>> {
        let ids: Vec<String> = ids.iter().map(|i| i.0.clone()).collect();
        self.users_where_in("id", &ids).await
    }

    async fn users_by_emails(&self, emails: &[String]) -> StoreResult<Vec<User>> {
        let emails: Vec<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
        self.users_where_in("email", &emails).await
    }
}
