//! Workloads as versioned rows: every change closes the current version (`valid_to`) and writes
//! a new one in the same transaction, guarded by the revision the caller read. Owners and tags
//! of each version are rows of their own (`workload_owners`, `workload_tags`).

use super::errors::{DbError, DbResult};
use super::requirements::{current_catalog_in, parse_phase, write_requirements};
use super::rows::{count, instant, to_json, VersionRow, VERSION_COLUMNS};
use super::write_tx::{with_tx, Change, Scope, WriteTx};
use super::{new_id, now_micros, with_pool, Db};
use app::domain::listing::{SortKey, WorkloadQuery};
use app::domain::workload::{ChangeKind, Workload, WorkloadDraft};
use app::domain::{Phase, Principal, UserId, WorkloadId};
use app::dto::{PhaseCount, WorkloadPage, WorkloadRow};
use app::ports::{Actor, StoreResult, WorkloadStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::BTreeMap;

/// One version to write: the content, the phase and why.
struct NewVersion<'a> {
    id: &'a str,
    revision: i64,
    at: i64,
    actor: &'a Principal,
    kind: ChangeKind,
    phase: Phase,
    draft: &'a WorkloadDraft,
}

/// Writes a version with its owners and tags.
async fn insert_version(tx: &mut WriteTx, v: NewVersion<'_>) -> DbResult<()> {
    let d = v.draft;
    let (attributes, model_refs, dataset_refs) = (
        to_json(&d.attributes)?,
        to_json(&d.model_refs)?,
        to_json(&d.dataset_refs)?,
    );
    let owners: Vec<&UserId> = std::iter::once(&d.primary_owner)
        .chain(&d.other_owners)
        .collect();
    with_tx!(tx, conn => {
        sqlx::query(
            "insert into workload_versions (workload_id, revision, valid_from, valid_to, \
             changed_by, change_kind, name, description, team_id, phase, primary_owner, \
             attributes, model_refs, dataset_refs, name_key) \
             values ($1, $2, $3, null, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(v.id)
        .bind(v.revision)
        .bind(v.at)
        .bind(v.actor.actor_label())
        .bind(v.kind.code())
        .bind(&d.name)
        .bind(&d.description)
        .bind(d.team_id.as_str())
        .bind(v.phase.code())
        .bind(d.primary_owner.as_str())
        .bind(&attributes)
        .bind(&model_refs)
        .bind(&dataset_refs)
        .bind(d.name.to_lowercase())
        .execute(&mut *conn)
        .await?;
        let mut insert =
            QueryBuilder::new("insert into workload_owners (workload_id, revision, position, user_id) ");
        insert.push_values(owners.iter().enumerate(), |mut row, (position, user)| {
            row.push_bind(v.id)
                .push_bind(v.revision)
                .push_bind(i64::try_from(position).unwrap_or(i64::MAX))
                .push_bind(user.as_str());
        });
        insert.build().execute(&mut *conn).await?;
        if !d.tags.is_empty() {
            let mut insert =
                QueryBuilder::new("insert into workload_tags (workload_id, revision, tag) ");
            insert.push_values(&d.tags, |mut row, tag| {
                row.push_bind(v.id).push_bind(v.revision).push_bind(tag);
            });
            insert.build().execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// Rewrites the workload's requirements from the current catalog, if one is loaded.
async fn rewrite_requirements(
    tx: &mut WriteTx,
    id: &str,
    draft: &WorkloadDraft,
    phase: Phase,
) -> DbResult<()> {
    if let Some((version, catalog)) = current_catalog_in(tx).await? {
        write_requirements(tx, id, &version, &catalog, &draft.attributes, phase).await?;
    }
    Ok(())
}

/// What a new version changes relative to the current one.
enum Edit<'a> {
    Content(&'a WorkloadDraft),
    Phase(Phase),
}

async fn create(
    db: &Db,
    draft: &WorkloadDraft,
    phase: Phase,
    actor: &Principal,
    is_demo: bool,
) -> DbResult<WorkloadId> {
    let id = new_id();
    let at = now_micros();
    let mut tx = db.begin_write(Scope::Record).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("insert into workloads (id, created_at, is_demo, current_revision) values ($1, $2, $3, 1)")
            .bind(&id)
            .bind(at)
            .bind(i64::from(is_demo))
            .execute(&mut *conn)
            .await?;
    });
    let version = NewVersion {
        id: &id,
        revision: 1,
        at,
        actor,
        kind: ChangeKind::Created,
        phase,
        draft,
    };
    insert_version(&mut tx, version).await?;
    rewrite_requirements(&mut tx, &id, draft, phase).await?;
    tx.commit(Change {
        actor,
        action: "workload.create",
        entity: &id,
    })
    .await?;
    Ok(WorkloadId(id))
}

/// Writes the next version of a workload if it is still at `expected`.
async fn write_version(
    db: &Db,
    id: &WorkloadId,
    expected: i64,
    edit: Edit<'_>,
    actor: &Principal,
) -> DbResult<Workload> {
    let mut tx = db.begin_write(Scope::Record).await?;
    // The guarded update comes first: it serializes concurrent writers of this workload (the
    // row stays locked until commit), so what is read next is what this write replaces.
    let moved = with_tx!(&mut tx, conn => {
        sqlx::query(
            "update workloads set current_revision = current_revision + 1 \
             where id = $1 and current_revision = $2",
        )
        .bind(id.as_str())
        .bind(expected)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    let current = current_in(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if moved != 1 || current.revision != expected {
        return Err(DbError::StaleRevision {
            current: current.revision,
        });
    }
    let (draft, phase, kind, action) = match edit {
        Edit::Content(d) => (
            d.clone(),
            current.phase,
            ChangeKind::Edited,
            "workload.edit",
        ),
        Edit::Phase(p) if p > current.phase => (
            current.draft.clone(),
            p,
            ChangeKind::Promoted,
            "workload.promote",
        ),
        Edit::Phase(p) => (
            current.draft.clone(),
            p,
            ChangeKind::Demoted,
            "workload.demote",
        ),
    };
    // Versions are ordered in time even if the clock stepped back.
    let at = now_micros().max(current.valid_from.timestamp_micros() + 1);
    with_tx!(&mut tx, conn => {
        sqlx::query("update workload_versions set valid_to = $1 where workload_id = $2 and valid_to is null")
            .bind(at)
            .bind(id.as_str())
            .execute(&mut *conn)
            .await?;
    });
    let version = NewVersion {
        id: id.as_str(),
        revision: expected + 1,
        at,
        actor,
        kind,
        phase,
        draft: &draft,
    };
    insert_version(&mut tx, version).await?;
    rewrite_requirements(&mut tx, id.as_str(), &draft, phase).await?;
    tx.commit(Change {
        actor,
        action,
        entity: id.as_str(),
    })
    .await?;
    get(db, id).await?.ok_or(DbError::NotFound)
}

/// Which versions of a workload to read.
#[derive(Clone, Copy)]
enum Versions {
    Current,
    AsOf(i64),
    All,
}

impl Versions {
    fn filter(self) -> &'static str {
        match self {
            Versions::Current => "v.valid_to is null",
            Versions::AsOf(_) => "v.valid_from <= $2 and (v.valid_to is null or v.valid_to > $2)",
            Versions::All => "1 = 1",
        }
    }
}

/// Owners or tags of some versions of a workload, by revision, in stored order.
type ByRevision<T> = BTreeMap<i64, Vec<T>>;

/// Version rows, then (revision, owner) and (revision, tag) rows, as read.
type Fetched = (Vec<VersionRow>, Vec<(i64, String)>, Vec<(i64, String)>);

fn group<T>(rows: Vec<(i64, String)>, make: fn(String) -> T) -> ByRevision<T> {
    let mut out: ByRevision<T> = BTreeMap::new();
    for (revision, value) in rows {
        out.entry(revision).or_default().push(make(value));
    }
    out
}

fn assemble(
    rows: Vec<VersionRow>,
    mut owners: ByRevision<UserId>,
    mut tags: ByRevision<String>,
) -> DbResult<Vec<Workload>> {
    rows.into_iter()
        .map(|r| {
            let (o, t) = (owners.remove(&r.revision), tags.remove(&r.revision));
            r.into_workload(o.unwrap_or_default(), t.unwrap_or_default())
        })
        .collect()
}

fn versions_sql(which: Versions) -> String {
    format!(
        "select {VERSION_COLUMNS} from workload_versions v join workloads w \
         on w.id = v.workload_id where v.workload_id = $1 and {} order by v.revision desc",
        which.filter()
    )
}

/// Owners and tags are read for the revisions the version query returned (rows that never
/// change), not with its filter again: under read committed, a write committed between the two
/// statements would otherwise pair one version with another version's owners.
const OWNERS_SQL: &str = "select revision, user_id from workload_owners \
    where workload_id = $1 and revision between $2 and $3 order by revision, position";
const TAGS_SQL: &str = "select revision, tag from workload_tags \
    where workload_id = $1 and revision between $2 and $3 order by revision, tag";

fn revision_range(rows: &[VersionRow]) -> (i64, i64) {
    let revisions = rows.iter().map(|r| r.revision);
    (
        revisions.clone().min().unwrap_or(0),
        revisions.max().unwrap_or(-1),
    )
}

/// Versions of a workload, newest first, read on the pool.
async fn versions(db: &Db, id: &WorkloadId, which: Versions) -> DbResult<Vec<Workload>> {
    let main = versions_sql(which);
    let (rows, owners, tags): Fetched = with_pool!(db, pool => {
        let q = sqlx::query_as(&main).bind(id.as_str());
        let rows: Vec<VersionRow> = match which {
            Versions::AsOf(t) => q.bind(t),
            _ => q,
        }
        .fetch_all(pool)
        .await?;
        let (low, high) = revision_range(&rows);
        let owners = sqlx::query_as(OWNERS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(pool).await?;
        let tags = sqlx::query_as(TAGS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(pool).await?;
        (rows, owners, tags)
    });
    assemble(rows, group(owners, UserId), group(tags, String::from))
}

/// The current version of a workload, read inside a write transaction.
async fn current_in(tx: &mut WriteTx, id: &WorkloadId) -> DbResult<Option<Workload>> {
    let main = versions_sql(Versions::Current);
    let (rows, owners, tags): Fetched = with_tx!(tx, conn => {
        let rows: Vec<VersionRow> = sqlx::query_as(&main).bind(id.as_str()).fetch_all(&mut *conn).await?;
        let (low, high) = revision_range(&rows);
        let owners = sqlx::query_as(OWNERS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(&mut *conn).await?;
        let tags = sqlx::query_as(TAGS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(&mut *conn).await?;
        (rows, owners, tags)
    });
    Ok(assemble(rows, group(owners, UserId), group(tags, String::from))?.pop())
}

async fn get(db: &Db, id: &WorkloadId) -> DbResult<Option<Workload>> {
    Ok(versions(db, id, Versions::Current)
        .await?
        .into_iter()
        .next())
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
    revision: i64,
    name: String,
    team_name: String,
    phase: String,
    owner_name: String,
    valid_from: i64,
}

async fn list(db: &Db, query: &WorkloadQuery) -> DbResult<WorkloadPage> {
    let filter = "from workload_versions v join teams t on t.id = v.team_id \
        join users u on u.id = v.primary_owner \
        where v.valid_to is null \
        and ($1 = '' or v.name_key like $2 escape '\\') \
        and ($3 = '' or v.team_id = $3) \
        and ($4 = '' or v.phase = $4) \
        and ($5 = '' or exists (select 1 from requirements r where r.workload_id = v.workload_id \
            and r.required = 1 and r.layer = $5))";
    let list_sql = format!(
        "select v.workload_id, v.revision, v.name, t.name as team_name, v.phase, u.name as owner_name, \
         v.valid_from {filter} order by {} limit $6 offset $7",
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
    let (rows, total, tags): (Vec<ListRow>, i64, Vec<(String, i64, String)>) = with_pool!(db, pool => {
        let rows: Vec<ListRow> = sqlx::query_as(&list_sql)
            .bind(&search).bind(&pattern).bind(&team).bind(phase).bind(gap).bind(limit).bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(&search).bind(&pattern).bind(&team).bind(phase).bind(gap)
            .fetch_one(pool)
            .await?;
        let tags = if rows.is_empty() {
            Vec::new()
        } else {
            // By the (workload, revision) listed, so tags belong to the version shown.
            let mut q = QueryBuilder::new(
                "select workload_id, revision, tag from workload_tags \
                 where (workload_id, revision) in ",
            );
            q.push_tuples(&rows, |mut t, r| {
                t.push_bind(r.workload_id.as_str()).push_bind(r.revision);
            });
            q.push(" order by tag");
            q.build_query_as().fetch_all(pool).await?
        };
        (rows, total, tags)
    });
    let mut tags_of: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
    for (id, revision, tag) in tags {
        tags_of.entry((id, revision)).or_default().push(tag);
    }
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(WorkloadRow {
                tags: tags_of
                    .remove(&(r.workload_id.clone(), r.revision))
                    .unwrap_or_default(),
                id: WorkloadId(r.workload_id),
                name: r.name,
                team_name: r.team_name,
                phase: parse_phase(&r.phase)?,
                primary_owner_name: r.owner_name,
                updated_at: instant(r.valid_from)?,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    Ok(WorkloadPage {
        rows,
        total: count(total)?,
    })
}

async fn owned_by(db: &Db, user: &UserId) -> DbResult<Vec<WorkloadId>> {
    let ids: Vec<String> = with_pool!(db, pool => {
        sqlx::query_scalar(
            "select distinct o.workload_id from workload_owners o join workload_versions v \
             on v.workload_id = o.workload_id and v.revision = o.revision \
             where o.user_id = $1 and v.valid_to is null order by o.workload_id",
        )
        .bind(user.as_str())
        .fetch_all(pool)
        .await?
    });
    Ok(ids.into_iter().map(WorkloadId).collect())
}

async fn by_team_and_phase(db: &Db) -> DbResult<Vec<(String, Phase, u64)>> {
    let rows: Vec<(String, String, i64)> = with_pool!(db, pool => {
        sqlx::query_as(
            "select t.name, v.phase, count(*) from workload_versions v \
             join teams t on t.id = v.team_id where v.valid_to is null group by t.name, v.phase",
        )
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|(team, phase, n)| Ok((team, parse_phase(&phase)?, count(n)?)))
        .collect()
}

async fn by_phase(db: &Db) -> DbResult<Vec<PhaseCount>> {
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        sqlx::query_as("select phase, count(*) from workload_versions where valid_to is null group by phase")
            .fetch_all(pool)
            .await?
    });
    let mut counts: Vec<PhaseCount> = Phase::ALL
        .iter()
        .map(|p| PhaseCount {
            phase: *p,
            count: 0,
        })
        .collect();
    for (code, n) in rows {
        let phase = parse_phase(&code)?;
        if let Some(c) = counts.iter_mut().find(|c| c.phase == phase) {
            c.count = count(n)?;
        }
    }
    Ok(counts)
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
        Ok(create(self, draft, phase, actor, is_demo).await?)
    }

    async fn update_workload(
        &self,
        id: &WorkloadId,
        expected: i64,
        draft: &WorkloadDraft,
        actor: Actor<'_>,
    ) -> StoreResult<Workload> {
        Ok(write_version(self, id, expected, Edit::Content(draft), actor).await?)
    }

    async fn change_phase(
        &self,
        id: &WorkloadId,
        expected: i64,
        to: Phase,
        actor: Actor<'_>,
    ) -> StoreResult<Workload> {
        Ok(write_version(self, id, expected, Edit::Phase(to), actor).await?)
    }

    async fn get_workload(&self, id: &WorkloadId) -> StoreResult<Option<Workload>> {
        Ok(get(self, id).await?)
    }

    async fn workload_as_of(
        &self,
        id: &WorkloadId,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Workload>> {
        let found = versions(self, id, Versions::AsOf(at.timestamp_micros())).await?;
        Ok(found.into_iter().next())
    }

    async fn workload_history(&self, id: &WorkloadId) -> StoreResult<Vec<Workload>> {
        Ok(versions(self, id, Versions::All).await?)
    }

    async fn list_workloads(&self, query: &WorkloadQuery) -> StoreResult<WorkloadPage> {
        Ok(list(self, query).await?)
    }

    async fn workloads_owned_by(&self, user: &UserId) -> StoreResult<Vec<WorkloadId>> {
        Ok(owned_by(self, user).await?)
    }

    async fn count_by_team_and_phase(&self) -> StoreResult<Vec<(String, Phase, u64)>> {
        Ok(by_team_and_phase(self).await?)
    }

    async fn count_by_phase(&self) -> StoreResult<Vec<PhaseCount>> {
        Ok(by_phase(self).await?)
    }
}
