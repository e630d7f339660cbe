//! Catalog versions and requirements, for both backends.

use super::requirements::{current_catalog_in, parse_stored, rewrite_all_requirements};
use super::rows::instant;
use super::write_tx::{BeginWrite, Scope};
use super::{map_err, new_id, now_micros, with_pool, Db};
use app::domain::catalog::Catalog;
use app::domain::{Layer, Phase, WorkloadId};
use app::ports::{
    CatalogLoad, CatalogStore, CatalogVersion, RequirementRecord, StoreError, StoreResult,
};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    content_hash: String,
    source: String,
    loaded_at: i64,
    content: String,
}

#[derive(sqlx::FromRow)]
struct RequirementRow {
    control_id: String,
    catalog_version_id: String,
    layer: String,
    applicable: i64,
    required: i64,
    effective_min_phase: String,
    reason: String,
}

#[async_trait]
impl CatalogStore for Db {
    async fn load_catalog(
        &self,
        catalog: &Catalog,
        content_hash: &str,
        source: &str,
    ) -> StoreResult<CatalogLoad> {
        let content =
            serde_json::to_string(catalog).map_err(|e| StoreError::Other(e.to_string()))?;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write(Scope::AllWorkloads).await.map_err(map_err)?;
            let latest: Option<(String, String, i64)> = sqlx::query_as(
                "select id, content_hash, seq from catalog_versions order by seq desc limit 1",
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
            if let Some((id, hash, _)) = &latest {
                if hash == content_hash {
                    return Ok(CatalogLoad { version_id: id.clone(), created: false, workloads: 0 });
                }
            }
            let id = new_id();
            let seq = latest.map_or(1, |(_, _, seq)| seq + 1);
            sqlx::query(
                "insert into catalog_versions (id, seq, content_hash, name, source, loaded_at, content) \
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(seq)
            .bind(content_hash)
            .bind(&catalog.name)
            .bind(source)
            .bind(now_micros())
            .bind(&content)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            let workloads = rewrite_all_requirements!(tx, id.as_str(), catalog);
            tx.commit().await.map_err(map_err)?;
            Ok(CatalogLoad { version_id: id, created: true, workloads })
        })
    }

    async fn current_catalog(&self) -> StoreResult<Option<CatalogVersion>> {
        let row: Option<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, content_hash, source, loaded_at, content from catalog_versions \
                 order by seq desc limit 1",
            )
            .fetch_optional(pool)
            .await
        })
        .map_err(map_err)?;
        row.map(|r| {
            Ok(CatalogVersion {
                id: r.id,
                content_hash: r.content_hash,
                source: r.source,
                loaded_at: instant(r.loaded_at)?,
                catalog: parse_stored(&r.content)?,
            })
        })
        .transpose()
    }

    async fn requirements(&self, workload: &WorkloadId) -> StoreResult<Vec<RequirementRecord>> {
        let rows: Vec<RequirementRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select control_id, catalog_version_id, layer, applicable, required, \
                 effective_min_phase, reason from requirements where workload_id = $1",
            )
            .bind(workload.as_str())
            .fetch_all(pool)
            .await
        })
        .map_err(map_err)?;
        let bad = |what: &str, v: &str| {
            StoreError::Other(format!("stored requirement {what} {v} is unknown"))
        };
        let mut out = rows
            .into_iter()
            .map(|r| {
                Ok(RequirementRecord {
                    layer: Layer::from_code(&r.layer).ok_or_else(|| bad("layer", &r.layer))?,
                    effective_min_phase: Phase::from_code(&r.effective_min_phase)
                        .ok_or_else(|| bad("phase", &r.effective_min_phase))?,
                    control_id: r.control_id,
                    catalog_version_id: r.catalog_version_id,
                    applicable: r.applicable != 0,
                    required: r.required != 0,
                    reason: r.reason,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Catalog order: by layer, then by id (ids number controls within a layer).
        out.sort_by(|a, b| (a.layer, &a.control_id).cmp(&(b.layer, &b.control_id)));
        Ok(out)
    }

    async fn rematerialize_all(&self) -> StoreResult<usize> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write(Scope::AllWorkloads).await.map_err(map_err)?;
            let Some((version_id, catalog)) = current_catalog_in!(tx) else {
                return Ok(0);
            };
            let n = rewrite_all_requirements!(tx, version_id.as_str(), &catalog);
            tx.commit().await.map_err(map_err)?;
            Ok(n)
        })
    }
}
