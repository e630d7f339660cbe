//! Writing workloads as versioned rows: every change closes the current version (`valid_to`)
//! and writes a new one in the same transaction, guarded by the revision the caller read. Owners
//! and tags of each version are rows of their own (`workload_owners`, `workload_tags`). Reads
//! live in `workload_versions.rs` (one workload) and `workload_list.rs` (many).

use super::counts;
use super::errors::{DbError, DbResult};
use super::requirements::{current_catalog_in, write_requirements};
use super::rows::to_json;
use super::workload_list::{by_phase, by_team_and_phase, list, owned_by};
use super::workload_versions::{current_in, get, versions, Versions};
use super::write_tx::{with_tx, Change, Scope, WriteTx};
use super::{new_id, now_micros, Db};
use app::domain::audit::Details;
use app::domain::listing::WorkloadQuery;
use app::domain::policy::Reach;
use app::domain::workload::{ChangeKind, Workload, WorkloadDraft};
use app::domain::{Phase, Principal, UserId, WorkloadId};
use app::dto::{PhaseCount, WorkloadPage};
use app::ports::{Actor, StoreResult, WorkloadStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// One version to write: the content, the phase and why.
struct NewVersion<'a> {
    id: &'a str,
    revision: i64,
    at: i64,
    actor: &'a Principal,
    kind: ChangeKind,
    note: Option<&'a str>,
    phase: Phase,
    draft: &'a WorkloadDraft,
}

/// The stored rank of a phase (its order), which the list sorts by.
fn phase_rank(p: Phase) -> i64 {
    Phase::ALL
        .iter()
        .position(|x| *x == p)
        .map_or(0, |i| i as i64)
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
             changed_by, change_kind, name, description, team_id, phase, phase_rank, \
             primary_owner, attributes, model_refs, dataset_refs, name_key, change_note) \
             values ($1, $2, $3, null, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
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
        .bind(phase_rank(v.phase))
        .bind(d.primary_owner.as_str())
        .bind(&attributes)
        .bind(&model_refs)
        .bind(&dataset_refs)
        .bind(d.name.to_lowercase())
        .bind(v.note)
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
    /// Another phase, and why when the person said.
    Phase(Phase, Option<&'a str>),
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
        note: None,
        phase,
        draft,
    };
    insert_version(&mut tx, version).await?;
    rewrite_requirements(&mut tx, &id, draft, phase).await?;
    counts::moved(&mut tx, &id, None).await?;
    let details = Details::new()
        .with("revision", 1)
        .with("phase", phase.code())
        .with("name", draft.name.as_str());
    tx.commit(
        Change::new(actor, "workload.create", &id)
            .team(draft.team_id.as_str())
            .details(details),
    )
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
    let (draft, phase, kind, action, note) = match edit {
        Edit::Content(d) => (
            d.clone(),
            current.phase,
            ChangeKind::Edited,
            "workload.edit",
            None,
        ),
        Edit::Phase(p, note) if p > current.phase => (
            current.draft.clone(),
            p,
            ChangeKind::Promoted,
            "workload.promote",
            note,
        ),
        Edit::Phase(p, note) => (
            current.draft.clone(),
            p,
            ChangeKind::Demoted,
            "workload.demote",
            note,
        ),
    };
    // Versions are ordered in time even if the clock stepped back.
    let at = now_micros().max(current.valid_from.timestamp_micros() + 1);
    let counted = counts::footprint(&mut tx, id.as_str()).await?;
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
        note,
        phase,
        draft: &draft,
    };
    insert_version(&mut tx, version).await?;
    rewrite_requirements(&mut tx, id.as_str(), &draft, phase).await?;
    counts::moved(&mut tx, id.as_str(), counted).await?;
    let details = Details::new()
        .with("revision", expected + 1)
        .with("phase", phase.code())
        .with("name", draft.name.as_str())
        .with("reason", note);
    tx.commit(
        Change::new(actor, action, id.as_str())
            .team(draft.team_id.as_str())
            .details(details),
    )
    .await?;
    get(db, id).await?.ok_or(DbError::NotFound)
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
        note: Option<&str>,
        actor: Actor<'_>,
    ) -> StoreResult<Workload> {
        Ok(write_version(self, id, expected, Edit::Phase(to, note), actor).await?)
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

    async fn workload_revisions(
        &self,
        id: &WorkloadId,
        low: i64,
        high: i64,
    ) -> StoreResult<Vec<Workload>> {
        Ok(versions(self, id, Versions::Between(low, high)).await?)
    }

    async fn list_workloads(
        &self,
        query: &WorkloadQuery,
        reach: &Reach,
    ) -> StoreResult<WorkloadPage> {
        Ok(list(self, query, reach).await?)
    }

    async fn workloads_owned_by(&self, user: &UserId) -> StoreResult<Vec<WorkloadId>> {
        Ok(owned_by(self, user).await?)
    }

    async fn count_by_team_and_phase(
        &self,
        reach: &Reach,
    ) -> StoreResult<Vec<(String, Phase, u64)>> {
        Ok(by_team_and_phase(self, reach).await?)
    }

    async fn count_by_phase(&self, reach: &Reach) -> StoreResult<Vec<PhaseCount>> {
        Ok(by_phase(self, reach).await?)
    }
}
