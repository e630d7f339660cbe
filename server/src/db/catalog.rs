//! Catalog versions and requirements, for both backends.

use super::errors::DbResult;
use super::requirements::{
    catalog_of, current_catalog_in, found_content, parse_phase, rewrite_all_requirements,
    CONTENT_SQL,
};
use super::rows::{instant, to_json};
use super::write_tx::{with_tx, Change, Scope};
use super::{new_id, now_micros, with_pool, Db};
use crate::db::errors::DbError;
use app::domain::catalog::Catalog;
use app::domain::{CatalogVersionId, Layer, Principal, WorkloadId};
use app::ports::{
    Actor, CatalogLoad, CatalogStore, CatalogVersion, RequirementRecord, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    content_hash: String,
    source: String,
    loaded_at: i64,
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

async fn load(
    db: &Db,
    catalog: &Catalog,
    content_hash: &str,
    source: &str,
    actor: &Principal,
) -> DbResult<CatalogLoad> {
    let content = to_json(catalog)?;
    let mut tx = db.begin_write(Scope::AllWorkloads).await?;
    let latest: Option<(String, String, i64)> = with_tx!(&mut tx, conn => {
        sqlx::query_as("select id, content_hash, seq from catalog_versions order by seq desc limit 1")
            .fetch_optional(&mut *conn)
            .await?
    });
    if let Some((id, hash, _)) = &latest {
        if hash == content_hash {
            return Ok(CatalogLoad {
                version_id: CatalogVersionId(id.clone()),
                created: false,
                workloads: 0,
            });
        }
    }
    let id = CatalogVersionId(new_id());
    let seq = latest.map_or(1, |(_, _, seq)| seq + 1);
    with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into catalog_versions (id, seq, content_hash, name, source, loaded_at, content) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.as_str())
        .bind(seq)
        .bind(content_hash)
        .bind(&catalog.name)
        .bind(source)
        .bind(now_micros())
        .bind(&content)
        .execute(&mut *conn)
        .await?;
    });
    let workloads = rewrite_all_requirements(&mut tx, &id, catalog).await?;
    tx.commit(Change::new(actor, "catalog.load", id.as_str()))
        .await?;
    Ok(CatalogLoad {
        version_id: id,
        created: true,
        workloads,
    })
}

async fn current(db: &Db) -> DbResult<Option<CatalogVersion>> {
    let row: Option<VersionRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select id, content_hash, source, loaded_at from catalog_versions \
             order by seq desc limit 1",
        )
        .fetch_optional(pool)
        .await?
    });
    let Some(r) = row else { return Ok(None) };
    let id = CatalogVersionId(r.id);
    let catalog = version(db, &id).await?;
    Ok(Some(CatalogVersion {
        id,
        content_hash: r.content_hash,
        source: r.source,
        loaded_at: instant(r.loaded_at)?,
        catalog,
    }))
}

async fn versions(db: &Db) -> DbResult<Vec<(CatalogVersionId, DateTime<Utc>)>> {
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        sqlx::query_as("select id, loaded_at from catalog_versions order by seq")
            .fetch_all(pool)
            .await?
    });
    rows.into_iter()
        .map(|(id, at)| Ok((CatalogVersionId(id), instant(at)?)))
        .collect()
}

/// A version's content, read only when it is not the one parsed last.
async fn version(db: &Db, id: &CatalogVersionId) -> DbResult<Arc<Catalog>> {
    catalog_of(id, || async {
        let content: Option<String> = with_pool!(db, pool => {
            sqlx::query_scalar(CONTENT_SQL)
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?
        });
        found_content(content, id)
    })
    .await
}

async fn requirements(db: &Db, workload: &WorkloadId) -> DbResult<Vec<RequirementRecord>> {
    let rows: Vec<RequirementRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select control_id, catalog_version_id, layer, applicable, required, \
             effective_min_phase, reason from requirements where workload_id = $1",
        )
        .bind(workload.as_str())
        .fetch_all(pool)
        .await?
    });
    let mut out = rows
        .into_iter()
        .map(|r| {
            Ok(RequirementRecord {
                layer: Layer::from_code(&r.layer)
                    .ok_or_else(|| DbError::corrupt("layer", &r.layer))?,
                effective_min_phase: parse_phase(&r.effective_min_phase)?,
                control_id: r.control_id,
                catalog_version_id: CatalogVersionId(r.catalog_version_id),
                applicable: r.applicable != 0,
                required: r.required != 0,
                reason: r.reason,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    // Catalog order: by layer, then by id (ids number controls within a layer).
    out.sort_by(|a, b| (a.layer, &a.control_id).cmp(&(b.layer, &b.control_id)));
    Ok(out)
}

async fn rematerialize(db: &Db, actor: &Principal) -> DbResult<usize> {
    let mut tx = db.begin_write(Scope::AllWorkloads).await?;
    let Some((version, catalog)) = current_catalog_in(&mut tx).await? else {
        return Ok(0);
    };
    let n = rewrite_all_requirements(&mut tx, &version, &catalog).await?;
    tx.commit(Change::new(
        actor,
        "requirements.rematerialize",
        version.as_str(),
    ))
    .await?;
    Ok(n)
}

#[async_trait]
impl CatalogStore for Db {
    async fn load_catalog(
        &self,
        catalog: &Catalog,
        content_hash: &str,
        source: &str,
        actor: Actor<'_>,
    ) -> StoreResult<CatalogLoad> {
        Ok(load(self, catalog, content_hash, source, actor).await?)
    }

    async fn current_catalog(&self) -> StoreResult<Option<CatalogVersion>> {
        Ok(current(self).await?)
    }

    async fn catalog_versions(&self) -> StoreResult<Vec<(CatalogVersionId, DateTime<Utc>)>> {
        Ok(versions(self).await?)
    }

    async fn catalog_version(&self, id: &CatalogVersionId) -> StoreResult<Arc<Catalog>> {
        Ok(version(self, id).await?)
    }

    async fn requirements(&self, workload: &WorkloadId) -> StoreResult<Vec<RequirementRecord>> {
        Ok(requirements(self, workload).await?)
    }

    async fn rematerialize_all(&self, actor: Actor<'_>) -> StoreResult<usize> {
        Ok(rematerialize(self, actor).await?)
    }
}
