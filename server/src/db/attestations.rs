//! Attestations and their reviews: a submission is written with its new evidence items, and a
//! decision is the one update an attestation row ever gets (`where decision is null`, so of two
//! reviewers deciding at once exactly one changes the row). Both rewrite the requirement's
//! stored states (`requirement_states.rs`) and record their audit event in the same
//! transaction.

use super::errors::{DbError, DbResult};
use super::requirement_states::rewrite_states;
use super::rows::instant;
use super::scope::push_scope;
use super::write_tx::{with_tx, Change, Scope, WriteTx};
use super::{new_id, now_micros, with_pool, Db};
use app::domain::attestation::{ArtifactClaim, ArtifactKind, AttestationStatus, Decision};
use app::domain::audit::Details;
use app::domain::policy::Reach;
use app::domain::{Layer, TeamId, UserId, WorkloadId};
use app::ports::{
    Actor, AttestationRecord, AttestationStore, CitedEvidence, Decided, NewAttestation,
    NewEvidence, QueueFilter, QueueItem, StoreResult, StoredState, Submitted,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

const COLUMNS: &str = "id, workload_id, control_id, status, statement, justification, \
    inherited_from, effective_at, expires_at, artifact_kind, artifact_name, artifact_version, \
    artifact_digest, submitted_by, submitted_by_name, submitted_at, decision, decided_by, \
    decided_by_name, decided_at, comment";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    workload_id: String,
    control_id: String,
    status: String,
    statement: String,
    justification: String,
    inherited_from: String,
    effective_at: i64,
    expires_at: i64,
    artifact_kind: Option<String>,
    artifact_name: Option<String>,
    artifact_version: Option<String>,
    artifact_digest: Option<String>,
    submitted_by: Option<String>,
    submitted_by_name: String,
    submitted_at: i64,
    decision: Option<String>,
    decided_by: Option<String>,
    decided_by_name: Option<String>,
    decided_at: Option<i64>,
    comment: String,
}

/// attestation id, evidence id, title, url, note, withdrawn at, expires at.
type CitedRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

const CITED_SQL: &str = "select l.attestation_id, e.id, e.title, e.url, e.note, \
    e.withdrawn_at, e.expires_at from attestation_evidence l \
    join evidence_items e on e.id = l.evidence_id";

fn record_of(row: Row, cited: &[CitedRow]) -> DbResult<AttestationRecord> {
    let status = AttestationStatus::from_code(&row.status)
        .ok_or_else(|| DbError::corrupt("attestation status", &row.status))?;
    let artifact = match (row.artifact_kind, row.artifact_name) {
        (Some(kind), Some(name)) => Some(ArtifactClaim {
            kind: ArtifactKind::from_code(&kind)
                .ok_or_else(|| DbError::corrupt("artifact kind", &kind))?,
            name,
            version: row.artifact_version.unwrap_or_default(),
            digest: row.artifact_digest.unwrap_or_default(),
        }),
        _ => None,
    };
    let decision = match (row.decision.as_deref(), row.decided_at) {
        (Some(d), Some(at)) => Some(Decision {
            approved: d == "approved",
            at: instant(at)?,
            comment: row.comment,
        }),
        _ => None,
    };
    let evidence = cited
        .iter()
        .filter(|c| c.0 == row.id)
        .map(|(_, id, title, url, note, withdrawn, expires)| {
            Ok(CitedEvidence {
                id: id.clone(),
                title: title.clone(),
                url: url.clone(),
                note: note.clone(),
                withdrawn_at: withdrawn.map(instant).transpose()?,
                expires_at: expires.map(instant).transpose()?,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    Ok(AttestationRecord {
        id: row.id,
        workload_id: WorkloadId(row.workload_id),
        control_id: row.control_id,
        status,
        statement: row.statement,
        justification: row.justification,
        inherited_from: row.inherited_from,
        effective: instant(row.effective_at)?,
        expiry: instant(row.expires_at)?,
        artifact,
        submitted_by: row.submitted_by.map(UserId),
        submitted_by_name: row.submitted_by_name,
        submitted_at: instant(row.submitted_at)?,
        decision,
        decided_by: row.decided_by.map(UserId),
        decided_by_name: row.decided_by_name,
        evidence,
    })
}

/// The attestations of a workload (of one control, when given) inside a transaction, oldest
/// first, with what they cite.
pub(super) async fn records_in(
    tx: &mut WriteTx,
    workload: &str,
    control: Option<&str>,
) -> DbResult<Vec<AttestationRecord>> {
    let sql = format!(
        "select {COLUMNS} from attestations where workload_id = $1 \
         and ($2 is null or control_id = $2) order by submitted_at, id"
    );
    let cited_sql = format!(
        "{CITED_SQL} join attestations a on a.id = l.attestation_id \
         where a.workload_id = $1 and ($2 is null or a.control_id = $2)"
    );
    let (rows, cited): (Vec<Row>, Vec<CitedRow>) = with_tx!(tx, conn => {
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(workload)
            .bind(control)
            .fetch_all(&mut *conn)
            .await?;
        // Most workloads have none: one query, not two.
        let cited = if rows.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as(&cited_sql)
                .bind(workload)
                .bind(control)
                .fetch_all(&mut *conn)
                .await?
        };
        (rows, cited)
    });
    rows.into_iter().map(|r| record_of(r, &cited)).collect()
}

async fn one_in(tx: &mut WriteTx, id: &str) -> DbResult<Option<AttestationRecord>> {
    let sql = format!("select {COLUMNS} from attestations where id = $1");
    let cited_sql = format!("{CITED_SQL} where l.attestation_id = $1");
    let (row, cited): (Option<Row>, Vec<CitedRow>) = with_tx!(tx, conn => {
        let row = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?;
        let cited = sqlx::query_as(&cited_sql).bind(id).fetch_all(&mut *conn).await?;
        (row, cited)
    });
    row.map(|r| record_of(r, &cited)).transpose()
}

/// Holds the workload's row until the transaction ends: the writes that rewrite one
/// requirement's stored states (a submission, a decision, a change of the workload, which
/// locks the row by its guarded update) take turns, so none rewrites them from a snapshot that
/// misses another's record. SQLite's `BEGIN IMMEDIATE` serializes every writer already.
async fn lock_workload(tx: &mut WriteTx, workload: &str) -> DbResult<()> {
    if let WriteTx::Postgres(t) = tx {
        sqlx::query("select id from workloads where id = $1 for update")
            .bind(workload)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// Stores a submission at `at` (Unix microseconds; now when `None` — only the demo's history
/// records the past).
pub(super) async fn submit(
    db: &Db,
    a: &NewAttestation,
    actor: Actor<'_>,
    at: Option<i64>,
) -> DbResult<Submitted> {
    let id = new_id();
    let by = actor.person().map(|p| p.id.as_str());
    let by_name = actor.actor_label();
    let mut tx = db.begin_write(Scope::Record).await?;
    lock_workload(&mut tx, a.workload_id.as_str()).await?;
    // Under the lock, so that of two submissions sent at once only one waits for review.
    let pending: Option<String> = with_tx!(&mut tx, conn => {
        sqlx::query_scalar(
            "select id from attestations where workload_id = $1 and control_id = $2 \
             and decision is null limit 1",
        )
        .bind(a.workload_id.as_str())
        .bind(&a.control_id)
        .fetch_optional(&mut *conn)
        .await?
    });
    if pending.is_some() {
        return Ok(Submitted::Pending);
    }
    // Taken once the locks are held, so no record of this requirement is later than it.
    let now = at.unwrap_or_else(now_micros);
    let mut cited = Vec::new();
    for e in &a.evidence {
        let evidence_id = new_id();
        let (kind, title, url, note) = match e {
            NewEvidence::Link { title, url } => ("link", title, Some(url.as_str()), None),
            NewEvidence::Note { title, text } => ("note", title, None, Some(text.as_str())),
        };
        with_tx!(&mut tx, conn => {
            sqlx::query(
                // Demo evidence is marked as the demo's, so that removing the demo finds it.
                "insert into evidence_items (id, team_id, kind, title, url, note, effective_at, \
                 created_by, created_by_name, created_at, is_demo) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                 (select is_demo from workloads where id = $11))",
            )
            .bind(&evidence_id)
            .bind(a.team_id.as_str())
            .bind(kind)
            .bind(title)
            .bind(url)
            .bind(note)
            .bind(a.effective.timestamp_micros())
            .bind(by)
            .bind(by_name)
            .bind(now)
            .bind(a.workload_id.as_str())
            .execute(&mut *conn)
            .await?;
        });
        cited.push(evidence_id);
    }
    let artifact = a.artifact.as_ref();
    with_tx!(&mut tx, conn => {
        sqlx::query(
            "insert into attestations (id, workload_id, control_id, status, statement, \
             justification, inherited_from, effective_at, expires_at, artifact_kind, \
             artifact_name, artifact_version, artifact_digest, submitted_by, \
             submitted_by_name, submitted_at, is_demo) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             (select is_demo from workloads where id = $2))",
        )
        .bind(&id)
        .bind(a.workload_id.as_str())
        .bind(&a.control_id)
        .bind(a.status.code())
        .bind(&a.statement)
        .bind(&a.justification)
        .bind(&a.inherited_from)
        .bind(a.effective.timestamp_micros())
        .bind(a.expiry.timestamp_micros())
        .bind(artifact.map(|x| x.kind.code()))
        .bind(artifact.map(|x| x.name.as_str()))
        .bind(artifact.map(|x| x.version.as_str()))
        .bind(artifact.map(|x| x.digest.as_str()))
        .bind(by)
        .bind(by_name)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        for evidence_id in &cited {
            sqlx::query(
                "insert into attestation_evidence (attestation_id, evidence_id) values ($1, $2)",
            )
            .bind(&id)
            .bind(evidence_id)
            .execute(&mut *conn)
            .await?;
        }
    });
    rewrite_states(&mut tx, a.workload_id.as_str(), Some(&a.control_id), now).await?;
    let details = Details::new()
        .with("control", a.control_id.as_str())
        .with("status", a.status.code())
        .with("workload", a.workload_id.as_str())
        .with("evidence", cited.len() as i64);
    tx.commit(
        Change::new(actor, "attestation.submit", &id)
            .team(a.team_id.as_str())
            .details(details),
    )
    .await?;
    Ok(Submitted::Done(id))
}

/// Decides submission `id` at `at` (as `submit`).
pub(super) async fn decide(
    db: &Db,
    id: &str,
    approve: bool,
    comment: &str,
    actor: Actor<'_>,
    at: Option<i64>,
) -> DbResult<Decided> {
    let mut tx = db.begin_write(Scope::Record).await?;
    let workload: Option<String> = with_tx!(&mut tx, conn => {
        sqlx::query_scalar("select workload_id from attestations where id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    });
    lock_workload(&mut tx, &workload.ok_or(DbError::NotFound)?).await?;
    let now = at.unwrap_or_else(now_micros);
    let changed = with_tx!(&mut tx, conn => {
        sqlx::query(
            "update attestations set decision = $1, decided_by = $2, decided_by_name = $3, \
             decided_at = $4, comment = $5 where id = $6 and decision is null",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(actor.person().map(|p| p.id.as_str()))
        .bind(actor.actor_label())
        .bind(now)
        .bind(comment)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    let record = one_in(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if changed == 0 {
        // Decided by someone else first: nothing changes, no event.
        tx.commit_appended().await?;
        return Ok(Decided::Already(record));
    }
    rewrite_states(
        &mut tx,
        record.workload_id.as_str(),
        Some(&record.control_id),
        now,
    )
    .await?;
    let team: Option<String> = with_tx!(&mut tx, conn => {
        sqlx::query_scalar(
            "select team_id from workload_versions where workload_id = $1 and valid_to is null",
        )
        .bind(record.workload_id.as_str())
        .fetch_optional(&mut *conn)
        .await?
    });
    let details = Details::new()
        .with("control", record.control_id.as_str())
        .with("workload", record.workload_id.as_str())
        .with("comment", comment);
    let action = if approve {
        "attestation.approve"
    } else {
        "attestation.reject"
    };
    let mut change = Change::new(actor, action, id).details(details);
    if let Some(team) = team.as_deref() {
        change = change.team(team);
    }
    tx.commit(change).await?;
    Ok(Decided::Done(record))
}

async fn read(db: &Db, id: &str) -> DbResult<Option<AttestationRecord>> {
    // A read transaction would do; the write path's helper keeps one copy of the mapping.
    let sql = format!("select {COLUMNS} from attestations where id = $1");
    let cited_sql = format!("{CITED_SQL} where l.attestation_id = $1");
    let (row, cited): (Option<Row>, Vec<CitedRow>) = with_pool!(db, pool => {
        let row = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
        let cited = sqlx::query_as(&cited_sql).bind(id).fetch_all(pool).await?;
        (row, cited)
    });
    row.map(|r| record_of(r, &cited)).transpose()
}

async fn of_workload(db: &Db, workload: &WorkloadId) -> DbResult<Vec<AttestationRecord>> {
    let sql = format!(
        "select {COLUMNS} from attestations where workload_id = $1 \
         order by submitted_at desc, id desc"
    );
    let cited_sql = format!(
        "{CITED_SQL} join attestations a on a.id = l.attestation_id where a.workload_id = $1"
    );
    let (rows, cited): (Vec<Row>, Vec<CitedRow>) = with_pool!(db, pool => {
        let rows = sqlx::query_as(&sql).bind(workload.as_str()).fetch_all(pool).await?;
        let cited = sqlx::query_as(&cited_sql).bind(workload.as_str()).fetch_all(pool).await?;
        (rows, cited)
    });
    rows.into_iter().map(|r| record_of(r, &cited)).collect()
}

/// attestation, workload, workload name, team, control, layer, status, statement, submitted
/// by, by name, at.
type QueueRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    i64,
);

async fn queue(
    db: &Db,
    filter: &QueueFilter,
    reach: &Reach,
    limit: u32,
) -> DbResult<Vec<QueueItem>> {
    let rows: Vec<QueueRow> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "select a.id, a.workload_id, v.name, v.team_id, a.control_id, r.layer, a.status, \
             a.statement, a.submitted_by, a.submitted_by_name, a.submitted_at \
             from attestations a \
             join workload_versions v on v.workload_id = a.workload_id and v.valid_to is null \
             left join requirements r on r.workload_id = a.workload_id \
             and r.control_id = a.control_id \
             where a.decision is null",
        );
        if let Some(team) = &filter.team {
            q.push(" and v.team_id = ").push_bind(team.as_str());
        }
        if let Some(layer) = filter.layer {
            q.push(" and r.layer = ").push_bind(layer.code());
        }
        if let Some(workload) = &filter.workload {
            q.push(" and a.workload_id = ").push_bind(workload.as_str());
        }
        push_scope(&mut q, "v.team_id", reach);
        q.push(" order by a.submitted_at, a.id limit ").push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await?
    });
    rows.into_iter()
        .map(
            |(id, workload, name, team, control, layer, status, statement, by, by_name, at)| {
                Ok(QueueItem {
                    attestation_id: id,
                    workload_id: WorkloadId(workload),
                    workload_name: name,
                    team_id: TeamId(team),
                    control_id: control,
                    layer: layer.as_deref().and_then(Layer::from_code),
                    status: AttestationStatus::from_code(&status)
                        .ok_or_else(|| DbError::corrupt("attestation status", &status))?,
                    statement,
                    submitted_by: by.map(UserId),
                    submitted_by_name: by_name,
                    submitted_at: instant(at)?,
                })
            },
        )
        .collect()
}

#[async_trait]
impl AttestationStore for Db {
    async fn submit_attestation(
        &self,
        a: &NewAttestation,
        actor: Actor<'_>,
    ) -> StoreResult<Submitted> {
        Ok(submit(self, a, actor, None).await?)
    }

    async fn decide_attestation(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        actor: Actor<'_>,
    ) -> StoreResult<Decided> {
        Ok(decide(self, id, approve, comment, actor, None).await?)
    }

    async fn attestation(&self, id: &str) -> StoreResult<Option<AttestationRecord>> {
        Ok(read(self, id).await?)
    }

    async fn attestations_of(&self, workload: &WorkloadId) -> StoreResult<Vec<AttestationRecord>> {
        Ok(of_workload(self, workload).await?)
    }

    async fn awaiting_review(
        &self,
        filter: &QueueFilter,
        reach: &Reach,
        limit: u32,
    ) -> StoreResult<Vec<QueueItem>> {
        Ok(queue(self, filter, reach, limit).await?)
    }

    async fn states_now(
        &self,
        workload: &WorkloadId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredState>> {
        Ok(
            super::requirement_states::now_of(self, workload.as_str(), now.timestamp_micros())
                .await?,
        )
    }
}
