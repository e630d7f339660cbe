//! Organization-wide settings, one row per key, changed by administrators and audited.

use super::errors::DbResult;
use super::write_tx::{with_tx, Change, Scope};
use super::{now_micros, with_pool, Db};
use app::domain::audit::Details;
use app::domain::Principal;
use app::ports::{Actor, SettingStore, StoreResult};
use async_trait::async_trait;

/// The key of "administrators and security leads must have a second factor".
const SECOND_FACTOR_REQUIRED: &str = "second_factor_required";

async fn read(db: &Db, key: &str) -> DbResult<Option<String>> {
    Ok(with_pool!(db, pool => {
        sqlx::query_scalar("select value from settings where key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?
    }))
}

async fn write(db: &Db, key: &'static str, value: &str, actor: &Principal) -> DbResult<()> {
    let mut tx = db.begin_write(Scope::Record).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into settings (key, value, changed_at, changed_by) values ($1, $2, $3, $4) \
             on conflict (key) do update set value = excluded.value, \
             changed_at = excluded.changed_at, changed_by = excluded.changed_by",
        )
        .bind(key)
        .bind(value)
        .bind(now_micros())
        .bind(actor.actor_label())
        .execute(&mut *conn)
        .await?;
    });
    let details = Details::new().with("value", value.to_string());
    tx.commit(Change::new(actor, "setting.change", key).details(details))
        .await
}

#[async_trait]
impl SettingStore for Db {
    async fn second_factor_required(&self) -> StoreResult<bool> {
        Ok(read(self, SECOND_FACTOR_REQUIRED).await?.as_deref() == Some("true"))
    }

    async fn set_second_factor_required(
        &self,
        required: bool,
        actor: Actor<'_>,
    ) -> StoreResult<()> {
        let value = if required { "true" } else { "false" };
        Ok(write(self, SECOND_FACTOR_REQUIRED, value, actor).await?)
    }
}
