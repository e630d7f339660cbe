//! Workloads as versioned rows: every change closes the current version (`valid_to`) and writes
//! a new one in the same transaction, guarded by the revision the caller read.

use super::requirements::{current_catalog_in, write_requirements};
use super::rows::{to_json, VersionRow, VERSION_COLUMNS};
use super::write_tx::{BeginWrite, Scope};
use super::{map_err, new_id, now_micros, with_pool, Db};
use app::domain::listing::{SortKey, WorkloadQuery};
use app::domain::workload::{ChangeKind, Workload, WorkloadDraft};
use app::domain::{Phase, WorkloadId};
use app::dto::{PhaseCount, WorkloadPage, WorkloadRow};
use app::ports::{Actor, StoreError, StoreResult, WorkloadStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

const INSERT_VERSION: &str = "insert into workload_versions (workload_id, revision, valid_from, \
    valid_to, changed_by, change_kind, name, description, team_id, phase, primary_owner, \
    other_owners, attributes, model_refs, dataset_refs, tags, name_key) \
    values ($1, $2, $3, null, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

/// The JSON-encoded parts of a draft, ready to bind.
struct Encoded {
    other_owners: String,
    attributes: String,
    model_refs: String,
    dataset_refs: String,
    tags: String,
}

fn encode(d: &WorkloadDraft) -> StoreResult<Encoded> {
    let owners: Vec<&str> = d.other_owners.iter().map(|u| u.as_str()).collect();
    Ok(Encoded {
        other_owners: to_json(&owners)?,
        attributes: to_json(&d.attributes)?,
        model_refs: to_json(&d.model_refs)?,
        dataset_refs: to_json(&d.dataset_refs)?,
        tags: to_json(&d.tags)?,
    })
}

/// Binds and runs `INSERT_VERSION` on a transaction of either backend.
macro_rules! insert_version {
    ($tx:expr, $id:expr, $rev:expr, $at:expr, $actor:expr, $kind:expr, $phase:expr, $d:expr, $e:expr) => {
        sqlx::query(INSERT_VERSION)
            .bind($id)
            .bind($rev)
            .bind($at)
            .bind($actor)
            .bind($kind.code())
            .bind(&$d.name)
            .bind(&$d.description)
            .bind($d.team_id.as_str())
            .bind($phase.code())
            .bind($d.primary_owner.as_str())
            .bind(&$e.other_owners)
            .bind(&$e.attributes)
            .bind(&$e.model_refs)
            .bind(&$e.dataset_refs)
            .bind(&$e.tags)
            .bind($d.name.to_lowercase())
            .execute(&mut *$tx)
            .await
    };
}

/// What a new version changes relative to the current one.
enum Change<'a> {
    Edit(&'a WorkloadDraft),
    Phase(Phase),
}

impl Db {
    /// Writes the next version of a workload if it is still at `expected`.
    async fn write_version(
        &self,
        id: &WorkloadId,
        expected: i64,
        change: Change<'_>,
        actor: &str,
    ) -> StoreResult<Workload> {
        let select_current = format!(
            "select {VERSION_COLUMNS} from workload_versions v join workloads w \
             on w.id = v.workload_id where v.workload_id = $1 and v.valid_to is null"
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write(Scope::Workload).await.map_err(map_err)?;
            let current: VersionRow = sqlx::query_as(&select_current)
                .bind(id.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or(StoreError::NotFound)?;
            let current = Workload::try_from(current)?;
            // The guarded update serializes concurrent writers: only one moves the revision.
            let moved = sqlx::query(
                "update workloads set current_revision = current_revision + 1 \
                 where id = $1 and current_revision = $2",
            )
            .bind(id.as_str())
            .bind(expected)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            if moved.rows_affected() != 1 || current.revision != expected {
                return Err(StoreError::StaleRevision { current: current.revision });
            }
            let (draft, phase, kind) = match change {
                Change::Edit(d) => (d.clone(), current.phase, ChangeKind::Edited),
                Change::Phase(p) => {
                    let kind = if p > current.phase { ChangeKind::Promoted } else { ChangeKind::Demoted };
                    (current.draft.clone(), p, kind)
                }
            };
            // Versions are ordered in time even if the clock stepped back.
            let at = now_micros().max(current.valid_from.timestamp_micros() + 1);
            sqlx::query("update workload_versions set valid_to = $1 where workload_id = $2 and valid_to is null")
                .bind(at)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            let e = encode(&draft)?;
            insert_version!(tx, id.as_str(), expected + 1, at, actor, kind, phase, draft, e)
                .map_err(map_err)?;
            if let Some((version_id, catalog)) = current_catalog_in!(tx) {
                write_requirements!(tx, id.as_str(), version_id.as_str(), &catalog, &draft.attributes, phase);
            }
            tx.commit().await.map_err(map_err)?;
            Ok(())
        })?;
        self.get_workload(id).await?.ok_or(StoreError::NotFound)
    }

    async fn versions(
        &self,
        filter: &str,
        id: &WorkloadId,
        at: Option<i64>,
    ) -> StoreResult<Vec<Workload>> {
        let sql = format!(
            "select {VERSION_COLUMNS} from workload_versions v join workloads w \
             on w.id = v.workload_id where v.workload_id = $1 and {filter} order by v.revision desc"
        );
        let rows: Vec<VersionRow> = with_pool!(self, pool => {
            let q = sqlx::query_as(&sql).bind(id.as_str());
            let q = match at { Some(t) => q.bind(t), None => q };
            q.fetch_all(pool).await
        })
        .map_err(map_err)?;
        rows.into_iter().map(Workload::try_from).collect()
    }
}

fn order_by(sort: SortKey, descending: bool) -> String {
    let column = match sort {
        SortKey::Name => "v.name_key",
        SortKey::Team => "lower(t.name)",
        SortKey::Phase => {
            "case v.phase when 'prototype' then 0 when 'production' then 1 else 2 end"
        }
        SortKey::Updated => "v.valid_from",
    };
    let dir = if descending { "desc" } else { "asc" };
    format!("{column} {dir}, v.name_key asc, v.workload_id asc")
}

/// Escapes LIKE wildcards so a search for `50%` finds the text `50%`.
fn like_pattern(search: &str) -> String {
    let escaped = search
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[derive(sqlx::FromRow)]
struct ListRow {
    workload_id: String,
    name: String,
    team_name: String,
    phase: String,
    owner_name: String,
    valid_from: i64,
    tags: String,
}

#[async_trait]
impl WorkloadStore for Db {
    async fn create_workload(
        &self,
        draft: &WorkloadDraft,
        phase: Phase,
        actor: Actor<'_>,
        is_demo: bool,
    ) -> StoreResult<WorkloadId> {
        let id = new_id();
        let at = now_micros();
        let e = encode(draft)?;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write(Scope::Workload).await.map_err(map_err)?;
            sqlx::query("insert into workloads (id, created_at, is_demo, current_revision) values ($1, $2, $3, 1)")
                .bind(&id)
                .bind(at)
                .bind(i64::from(is_demo))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            insert_version!(tx, &id, 1_i64, at, actor, ChangeKind::Created, phase, draft, e)
                .map_err(map_err)?;
            if let Some((version_id, catalog)) = current_catalog_in!(tx) {
                write_requirements!(tx, id.as_str(), version_id.as_str(), &catalog, &draft.attributes, phase);
            }
            tx.commit().await.map_err(map_err)
        })?;
        Ok(WorkloadId(id))
    }

    async fn update_workload(
        &self,
        id: &WorkloadId,
        expected: i64,
        draft: &WorkloadDraft,
        actor: Actor<'_>,
    ) -> StoreResult<Workload> {
        self.write_version(id, expected, Change::Edit(draft), actor)
            .await
    }

    async fn change_phase(
        &self,
        id: &WorkloadId,
        expected: i64,
        to: Phase,
        actor: Actor<'_>,
    ) -> StoreResult<Workload> {
        self.write_version(id, expected, Change::Phase(to), actor)
            .await
    }

    async fn get_workload(&self, id: &WorkloadId) -> StoreResult<Option<Workload>> {
        Ok(self
            .versions("v.valid_to is null", id, None)
            .await?
            .into_iter()
            .next())
    }

    async fn workload_as_of(
        &self,
        id: &WorkloadId,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Workload>> {
        let filter = "v.valid_from <= $2 and (v.valid_to is null or v.valid_to > $2)";
        Ok(self
            .versions(filter, id, Some(at.timestamp_micros()))
            .await?
            .into_iter()
            .next())
    }

    async fn workload_history(&self, id: &WorkloadId) -> StoreResult<Vec<Workload>> {
        self.versions("1 = 1", id, None).await
    }

    async fn list_workloads(&self, query: &WorkloadQuery) -> StoreResult<WorkloadPage> {
        let filter = "from workload_versions v join teams t on t.id = v.team_id \
            join users u on u.id = v.primary_owner \
            where v.valid_to is null \
            and ($1 = '' or v.name_key like $2 escape '\\') \
            and ($3 = '' or v.team_id = $3) \
            and ($4 = '' or v.phase = $4) \
            and ($5 = '' or exists (select 1 from requirements r where r.workload_id = v.workload_id \
                and r.required = 1 and r.layer = $5))";
        let list_sql = format!(
            "select v.workload_id, v.name, t.name as team_name, v.phase, u.name as owner_name, \
             v.valid_from, v.tags {filter} order by {} limit $6 offset $7",
            order_by(query.sort, query.descending)
        );
        let count_sql = format!("select count(*) {filter}");
        let search = query.search.trim().to_string();
        let pattern = like_pattern(&search);
        let team = query.team.clone().unwrap_or_default();
        let phase = query.phase.map(|p| p.code()).unwrap_or("");
        let limit = i64::from(query.per_page);
        let offset = i64::try_from(query.offset()).unwrap_or(i64::MAX);
        // Until attestations exist, every required control is an open gap.
        let gap = query.gap_layer.map(|l| l.code()).unwrap_or("");
        let (rows, total): (Vec<ListRow>, i64) = with_pool!(self, pool => {
            let rows = sqlx::query_as(&list_sql)
                .bind(&search).bind(&pattern).bind(&team).bind(phase).bind(gap).bind(limit).bind(offset)
                .fetch_all(pool)
                .await
                .map_err(map_err)?;
            let total: i64 = sqlx::query_scalar(&count_sql)
                .bind(&search).bind(&pattern).bind(&team).bind(phase).bind(gap)
                .fetch_one(pool)
                .await
                .map_err(map_err)?;
            (rows, total)
        });
        let rows = rows
            .into_iter()
            .map(|r| {
                Ok(WorkloadRow {
                    id: r.workload_id,
                    name: r.name,
                    team_name: r.team_name,
                    phase: Phase::from_code(&r.phase).unwrap_or(Phase::Prototype),
                    primary_owner_name: r.owner_name,
                    updated_at: super::rows::instant(r.valid_from)?
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    tags: serde_json::from_str(&r.tags).unwrap_or_default(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(WorkloadPage {
            rows,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn count_by_team_and_phase(&self) -> StoreResult<Vec<(String, Phase, u64)>> {
        let rows: Vec<(String, String, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select t.name, v.phase, count(*) from workload_versions v \
                 join teams t on t.id = v.team_id where v.valid_to is null group by t.name, v.phase",
            )
            .fetch_all(pool)
            .await
        })
        .map_err(map_err)?;
        rows.into_iter()
            .map(|(team, phase, n)| {
                let phase = Phase::from_code(&phase)
                    .ok_or_else(|| StoreError::Other(format!("stored phase {phase} is unknown")))?;
                Ok((team, phase, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    async fn count_by_phase(&self) -> StoreResult<Vec<PhaseCount>> {
        let rows: Vec<(String, i64)> = with_pool!(self, pool => {
            sqlx::query_as("select phase, count(*) from workload_versions where valid_to is null group by phase")
                .fetch_all(pool)
                .await
        })
        .map_err(map_err)?;
        Ok(Phase::ALL
            .iter()
            .map(|p| PhaseCount {
                phase: *p,
                count: rows
                    .iter()
                    .find(|(code, _)| code == p.code())
                    .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
            })
            .collect())
    }
}
