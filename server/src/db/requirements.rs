//! Materialized requirements: the pure rules' decisions written as rows, inside the caller's
//! write transaction, for one workload or for all of them.

use super::counts;
use super::errors::{DbError, DbResult};
use super::write_tx::{with_tx, WriteTx};
use app::domain::applicability::evaluate;
use app::domain::catalog::Catalog;
use app::domain::{Attributes, CatalogVersionId, Phase};
use sqlx::QueryBuilder;
use std::sync::{Arc, Mutex};

/// Rows per multi-row insert (8 parameters each; well under both backends' limits).
const CHUNK: usize = 50;

/// Reads a stored catalog (JSON written by this server).
fn parse_stored(content: &str) -> DbResult<Catalog> {
    serde_json::from_str(content).map_err(|e| DbError::corrupt("catalog", e))
}

/// A version's stored content, by id.
pub const CONTENT_SQL: &str = "select content from catalog_versions where id = $1";

/// The content read by `CONTENT_SQL`; a missing row means the database lost what a requirement
/// or the head of the versions names.
pub fn found_content(content: Option<String>, id: &CatalogVersionId) -> DbResult<String> {
    content.ok_or_else(|| DbError::corrupt("catalog version", id.as_str()))
}

/// The parsed content of the catalog version read last. A version's content never changes, so
/// the id read from the database each time decides whether it can be reused: nothing here is
/// needed by the next request, and several servers sharing a database stay correct.
static PARSED: Mutex<Option<(CatalogVersionId, Arc<Catalog>)>> = Mutex::new(None);

/// The catalog of version `id`, parsed once; `content` reads its JSON when it is not cached.
pub async fn catalog_of<F, Fut>(id: &CatalogVersionId, content: F) -> DbResult<Arc<Catalog>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = DbResult<String>>,
{
    let cached = PARSED.lock().ok().and_then(|p| {
        p.as_ref()
            .filter(|(at, _)| at == id)
            .map(|(_, c)| c.clone())
    });
    if let Some(catalog) = cached {
        return Ok(catalog);
    }
    let catalog = Arc::new(parse_stored(&content().await?)?);
    if let Ok(mut p) = PARSED.lock() {
        *p = Some((id.clone(), catalog.clone()));
    }
    Ok(catalog)
}

/// Reads a stored phase code.
pub fn parse_phase(code: &str) -> DbResult<Phase> {
    Phase::from_code(code).ok_or_else(|| DbError::corrupt("phase", code))
}

/// Replaces one workload's requirement rows.
pub async fn write_requirements(
    tx: &mut WriteTx,
    workload_id: &str,
    version: &CatalogVersionId,
    catalog: &Catalog,
    attributes: &Attributes,
    phase: Phase,
) -> DbResult<()> {
    let rows = evaluate(attributes, catalog);
    let mut open_layers: Vec<_> = rows
        .iter()
        .filter(|d| d.required_at(phase))
        .map(|d| d.layer)
        .collect();
    open_layers.sort();
    open_layers.dedup();
    with_tx!(tx, conn => {
        sqlx::query("delete from requirements where workload_id = $1")
            .bind(workload_id)
            .execute(&mut *conn)
            .await?;
        for chunk in rows.chunks(CHUNK) {
            let mut insert = QueryBuilder::new(
                "insert into requirements (workload_id, control_id, catalog_version_id, layer, \
                 applicable, required, effective_min_phase, reason) ",
            );
            insert.push_values(chunk, |mut row, d| {
                row.push_bind(workload_id)
                    .push_bind(&d.control_id)
                    .push_bind(version.as_str())
                    .push_bind(d.layer.code())
                    .push_bind(i64::from(d.applies))
                    .push_bind(i64::from(d.required_at(phase)))
                    .push_bind(d.effective_min_phase.code())
                    .push_bind(&d.reason);
            });
            insert.build().execute(&mut *conn).await?;
        }
        // The layers with open requirements (until attestations exist: every required one).
        sqlx::query("delete from workload_open_layers where workload_id = $1")
            .bind(workload_id)
            .execute(&mut *conn)
            .await?;
        if !open_layers.is_empty() {
            let mut insert = QueryBuilder::new("insert into workload_open_layers (workload_id, layer) ");
            insert.push_values(&open_layers, |mut row, layer| {
                row.push_bind(workload_id).push_bind(layer.code());
            });
            insert.build().execute(&mut *conn).await?;
        }
    });
    // The workload's artifacts or requirements may have changed what its attestations are
    // worth.
    super::requirement_states::rewrite_states(tx, workload_id, None, super::now_micros()).await
}

/// The newest catalog version (id and content), read inside the transaction.
pub async fn current_catalog_in(
    tx: &mut WriteTx,
) -> DbResult<Option<(CatalogVersionId, Arc<Catalog>)>> {
    let id: Option<String> = with_tx!(tx, conn => {
        sqlx::query_scalar("select id from catalog_versions order by seq desc limit 1")
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some(id) = id.map(CatalogVersionId) else {
        return Ok(None);
    };
    let key = id.clone();
    let catalog = catalog_of(&id, move || async move {
        let content: Option<String> = with_tx!(tx, conn => {
            sqlx::query_scalar(CONTENT_SQL)
                .bind(key.as_str())
                .fetch_optional(&mut *conn)
                .await?
        });
        found_content(content, &key)
    })
    .await?;
    Ok(Some((id, catalog)))
}

/// Rewrites the requirements of every current workload; returns how many.
pub async fn rewrite_all_requirements(
    tx: &mut WriteTx,
    version: &CatalogVersionId,
    catalog: &Catalog,
) -> DbResult<usize> {
    let current: Vec<(String, String, String)> = with_tx!(tx, conn => {
        sqlx::query_as(
            "select workload_id, phase, attributes from workload_versions where valid_to is null",
        )
        .fetch_all(&mut *conn)
        .await?
    });
    for (workload_id, phase, attributes) in &current {
        let attributes: Attributes =
            serde_json::from_str(attributes).map_err(|e| DbError::corrupt("attributes", e))?;
        let phase = parse_phase(phase)?;
        write_requirements(tx, workload_id, version, catalog, &attributes, phase).await?;
    }
    counts::recount_all(tx).await?;
    Ok(current.len())
}
