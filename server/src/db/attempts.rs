//! Attempt counts per (scope, client, window), for limits that hold across every instance.

use super::errors::DbResult;
use super::{with_pool, Db};
use app::ports::{AttemptStore, StoreResult};
use async_trait::async_trait;

/// One upsert: the count of the window after this attempt. No transaction is needed; the
/// statement is atomic on both backends, so concurrent attempts are all counted.
async fn count(db: &Db, scope: &str, client: &str, window_start: i64) -> DbResult<u64> {
    let attempts: i64 = with_pool!(db, pool => {
        sqlx::query_scalar(
            "insert into attempt_counts (scope, client, window_start, attempts) \
             values ($1, $2, $3, 1) \
             on conflict (scope, client, window_start) \
             do update set attempts = attempt_counts.attempts + 1 \
             returning attempts",
        )
        .bind(scope)
        .bind(client)
        .bind(window_start)
        .fetch_one(pool)
        .await?
    });
    Ok(u64::try_from(attempts).unwrap_or(0))
}

async fn read(db: &Db, scope: &str, client: &str, window_start: i64) -> DbResult<u64> {
    let attempts: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar(
            "select attempts from attempt_counts \
             where scope = $1 and client = $2 and window_start = $3",
        )
        .bind(scope)
        .bind(client)
        .bind(window_start)
        .fetch_optional(pool)
        .await?
    });
    Ok(attempts.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

impl Db {
    /// Deletes the counts of windows that started before `before` (Unix seconds); returns how
    /// many went.
    pub async fn forget_attempts_before(&self, before: i64) -> DbResult<u64> {
        let done = with_pool!(self, pool => {
            sqlx::query("delete from attempt_counts where window_start < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done)
    }
}

#[async_trait]
impl AttemptStore for Db {
    async fn count_attempt(
        &self,
        scope: &str,
        client: &str,
        window_start: i64,
    ) -> StoreResult<u64> {
        Ok(count(self, scope, client, window_start).await?)
    }

    async fn attempts(&self, scope: &str, client: &str, window_start: i64) -> StoreResult<u64> {
        Ok(read(self, scope, client, window_start).await?)
    }
}
