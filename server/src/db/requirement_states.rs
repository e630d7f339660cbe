//! The stored form of requirement states (`requirement_states`): for each requirement that has
//! attestations, its states from the last record on as stretches (`domain::requirement_state::
//! timeline`), rewritten inside the transaction of every record that affects them — a
//! submission, a decision, a change of the workload (its artifacts, its requirements). A
//! requirement without attestations has no rows: it is a gap until someone attests it.

use super::attestations::records_in;
use super::errors::{DbError, DbResult};
use super::rows::instant;
use super::write_tx::{with_tx, WriteTx};
use super::{with_pool, Db};
use app::domain::attestation::{ArtifactClaim, ArtifactKind};
use app::domain::requirement_state::{
    timeline, ArtifactPeriod, EvidenceStanding, Records, RequirementState, Submission,
};
use app::domain::workload::ArtifactRef;
use app::ports::{AttestationRecord, StoredState};
use app::service::state_records::{evidence, submission};
use chrono::{DateTime, Utc};

/// The workload's model and dataset references now, as artifact periods.
async fn current_artifacts(tx: &mut WriteTx, workload: &str) -> DbResult<Vec<ArtifactPeriod>> {
    let refs: Option<(String, String)> = with_tx!(tx, conn => {
        sqlx::query_as(
            "select model_refs, dataset_refs from workload_versions \
             where workload_id = $1 and valid_to is null",
        )
        .bind(workload)
        .fetch_optional(&mut *conn)
        .await?
    });
    let Some((models, datasets)) = refs else {
        return Ok(Vec::new());
    };
    let parse = |text: &str| -> DbResult<Vec<ArtifactRef>> {
        serde_json::from_str(text).map_err(|e| DbError::corrupt("artifact references", e))
    };
    let mut out = Vec::new();
    for (kind, refs) in [
        (ArtifactKind::Model, parse(&models)?),
        (ArtifactKind::Dataset, parse(&datasets)?),
    ] {
        out.extend(refs.into_iter().map(|r| ArtifactPeriod {
            artifact: ArtifactClaim {
                kind,
                name: r.name,
                version: r.version,
                digest: r.digest,
            },
            from: DateTime::<Utc>::MIN_UTC,
            until: None,
        }));
    }
    Ok(out)
}

/// The records of one requirement, from its attestations (`service::state_records`).
pub(super) struct RequirementRecords {
    pub submissions: Vec<Submission>,
    pub evidence: Vec<EvidenceStanding>,
}

impl RequirementRecords {
    pub fn of(attestations: &[&AttestationRecord]) -> Self {
        RequirementRecords {
            submissions: attestations.iter().map(|a| submission(a)).collect(),
            evidence: evidence(attestations),
        }
    }
}

/// Rewrites the stored states of the workload's requirements (of `control` only, when given)
/// from `now` (Unix microseconds) on.
pub async fn rewrite_states(
    tx: &mut WriteTx,
    workload: &str,
    control: Option<&str>,
    now: i64,
) -> DbResult<()> {
    let attestations = records_in(tx, workload, control).await?;
    // Stretches exist only for attestations, which are never deleted but with their workload.
    if attestations.is_empty() {
        return Ok(());
    }
    with_tx!(tx, conn => {
        sqlx::query(
            "delete from requirement_states where workload_id = $1 \
             and ($2 is null or control_id = $2)",
        )
        .bind(workload)
        .bind(control)
        .execute(&mut *conn)
        .await?;
    });
    let artifacts = current_artifacts(tx, workload).await?;
    let at = instant(now)?;
    let mut controls: Vec<&str> = attestations.iter().map(|a| a.control_id.as_str()).collect();
    controls.sort_unstable();
    controls.dedup();
    for control_id in controls {
        let of_control: Vec<&AttestationRecord> = attestations
            .iter()
            .filter(|a| a.control_id == control_id)
            .collect();
        let records = RequirementRecords::of(&of_control);
        let r = Records {
            submissions: &records.submissions,
            evidence: &records.evidence,
            exceptions: &[],
            artifacts: &artifacts,
        };
        for (n, stretch) in timeline(&r, at).into_iter().enumerate() {
            // The first stretch holds from the start: a server whose clock is a little behind
            // reads the state as it is, not a gap before it.
            let from = if n == 0 {
                0
            } else {
                stretch.from.timestamp_micros()
            };
            let decided_by = stretch.assessed.because.attestation();
            with_tx!(tx, conn => {
                sqlx::query(
                    "insert into requirement_states (workload_id, control_id, from_at, \
                     until_at, state, reason, attestation_id) \
                     values ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(workload)
                .bind(control_id)
                .bind(from)
                .bind(stretch.until.map(|u| u.timestamp_micros()))
                .bind(stretch.assessed.state.code())
                .bind(stretch.assessed.reason())
                .bind(decided_by)
                .execute(&mut *conn)
                .await?;
            });
        }
    }
    Ok(())
}

/// control id, state, reason, until.
type StateRow = (String, String, String, Option<i64>);

/// The stored state at `now` of each of the workload's requirements that has attestations.
pub async fn now_of(db: &Db, workload: &str, now: i64) -> DbResult<Vec<StoredState>> {
    let rows: Vec<StateRow> = with_pool!(db, pool => {
        sqlx::query_as(
            "select control_id, state, reason, until_at from requirement_states \
             where workload_id = $1 and from_at <= $2 and (until_at is null or until_at > $2) \
             order by control_id",
        )
        .bind(workload)
        .bind(now)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|(control_id, state, reason, until)| {
            Ok(StoredState {
                state: RequirementState::from_code(&state)
                    .ok_or_else(|| DbError::corrupt("requirement state", &state))?,
                control_id,
                reason,
                until: until.map(instant).transpose()?,
            })
        })
        .collect()
}
