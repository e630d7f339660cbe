//! Removing and detecting the demo organization's rows.

use super::write_tx::{BeginWrite, Scope};
use super::{map_err, with_pool, Db};
use app::ports::{DemoStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl DemoStore for Db {
    async fn is_empty(&self) -> StoreResult<bool> {
        let n: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(
                "select (select count(*) from teams) + (select count(*) from users) \
                 + (select count(*) from workloads)",
            )
            .fetch_one(pool)
            .await
        })
        .map_err(map_err)?;
        Ok(n == 0)
    }

    async fn remove_demo(&self) -> StoreResult<u64> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write(Scope::AllWorkloads).await.map_err(map_err)?;
            let gone = sqlx::query("delete from workloads where is_demo = 1")
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            // Teams and people the organization's own workloads still use are kept.
            sqlx::query(
                "delete from teams where is_demo = 1 and not exists \
                 (select 1 from workload_versions v where v.team_id = teams.id)",
            )
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            sqlx::query(
                "delete from users where is_demo = 1 and not exists \
                 (select 1 from workload_versions v where v.primary_owner = users.id \
                 or v.other_owners like '%\"' || users.id || '\"%')",
            )
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            tx.commit().await.map_err(map_err)?;
            Ok(gone)
        })
    }
}
