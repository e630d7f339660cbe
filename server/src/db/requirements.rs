//! Materialized requirements: the pure rules' decisions written as rows, in the caller's
//! transaction, for one workload or for all of them.

use app::domain::applicability::{evaluate, Applicability};
use app::domain::catalog::Catalog;
use app::domain::{Attributes, Phase};
use app::ports::StoreError;

/// Rows per multi-row insert (8 parameters each; well under both backends' limits).
pub const CHUNK: usize = 50;

/// A decision with the workload's phase applied.
pub struct RequirementRow {
    pub decision: Applicability,
    pub required: bool,
}

/// The rows to write for a workload.
pub fn rows(catalog: &Catalog, attributes: &Attributes, phase: Phase) -> Vec<RequirementRow> {
    evaluate(attributes, catalog)
        .into_iter()
        .map(|d| RequirementRow {
            required: d.required_at(phase),
            decision: d,
        })
        .collect()
}

/// `insert into requirements … values (…), (…)` for `n` rows.
pub fn insert_sql(n: usize) -> String {
    let values: Vec<String> = (0..n)
        .map(|i| {
            let b = i * 8;
            format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8
            )
        })
        .collect();
    format!(
        "insert into requirements (workload_id, control_id, catalog_version_id, layer, \
         applicable, required, effective_min_phase, reason) values {}",
        values.join(", ")
    )
}

/// Reads a stored catalog (JSON written by this server).
pub fn parse_stored(content: &str) -> Result<Catalog, StoreError> {
    serde_json::from_str(content)
        .map_err(|e| StoreError::Other(format!("stored catalog cannot be read: {e}")))
}

/// Replaces one workload's requirement rows inside transaction `$tx`.
macro_rules! write_requirements {
    ($tx:expr, $workload_id:expr, $version_id:expr, $catalog:expr, $attributes:expr, $phase:expr) => {{
        let rows = $crate::db::requirements::rows($catalog, $attributes, $phase);
        sqlx::query("delete from requirements where workload_id = $1")
            .bind($workload_id)
            .execute(&mut *$tx)
            .await
            .map_err($crate::db::map_err)?;
        for chunk in rows.chunks($crate::db::requirements::CHUNK) {
            let sql = $crate::db::requirements::insert_sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind($workload_id)
                    .bind(&r.decision.control_id)
                    .bind($version_id)
                    .bind(r.decision.layer.code())
                    .bind(i64::from(r.decision.applies))
                    .bind(i64::from(r.required))
                    .bind(r.decision.effective_min_phase.code())
                    .bind(&r.decision.reason);
            }
            q.execute(&mut *$tx).await.map_err($crate::db::map_err)?;
        }
    }};
}
pub(crate) use write_requirements;

/// The newest catalog (id and content) read inside transaction `$tx`, if any.
macro_rules! current_catalog_in {
    ($tx:expr) => {{
        let row: Option<(String, String)> =
            sqlx::query_as("select id, content from catalog_versions order by seq desc limit 1")
                .fetch_optional(&mut *$tx)
                .await
                .map_err($crate::db::map_err)?;
        match row {
            Some((id, content)) => Some((id, $crate::db::requirements::parse_stored(&content)?)),
            None => None,
        }
    }};
}
pub(crate) use current_catalog_in;

/// Rewrites the requirements of every current workload inside `$tx`; evaluates to the count.
macro_rules! rewrite_all_requirements {
    ($tx:expr, $version_id:expr, $catalog:expr) => {{
        let current: Vec<(String, String, String)> = sqlx::query_as(
            "select workload_id, phase, attributes from workload_versions where valid_to is null",
        )
        .fetch_all(&mut *$tx)
        .await
        .map_err($crate::db::map_err)?;
        for (workload_id, phase, attributes) in &current {
            let phase = app::domain::Phase::from_code(phase)
                .ok_or_else(|| StoreError::Other(format!("stored phase {phase} is unknown")))?;
            let attributes: app::domain::Attributes = serde_json::from_str(attributes)
                .map_err(|e| StoreError::Other(format!("stored attributes: {e}")))?;
            $crate::db::requirements::write_requirements!(
                $tx,
                workload_id.as_str(),
                $version_id,
                $catalog,
                &attributes,
                phase
            );
        }
        current.len()
    }};
}
pub(crate) use rewrite_all_requirements;
