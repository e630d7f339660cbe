//! Reading the versions of one workload: the current one, the one valid at an instant, a range
//! of revisions, or all, each with its owners and tags.

use super::errors::DbResult;
use super::rows::{VersionRow, VERSION_COLUMNS};
use super::write_tx::{with_tx, WriteTx};
use super::{with_pool, Db};
use app::domain::workload::Workload;
use app::domain::{UserId, WorkloadId};
use std::collections::BTreeMap;

/// Which versions of a workload to read.
#[derive(Clone, Copy)]
pub enum Versions {
    Current,
    AsOf(i64),
    /// Revisions from the first to the second, both included.
    Between(i64, i64),
    All,
}

impl Versions {
    fn filter(self) -> &'static str {
        match self {
            Versions::Current => "v.valid_to is null",
            Versions::AsOf(_) => "v.valid_from <= $2 and (v.valid_to is null or v.valid_to > $2)",
            Versions::Between(_, _) => "v.revision between $2 and $3",
            Versions::All => "1 = 1",
        }
    }
}

/// Owners or tags of some versions of a workload, by revision, in stored order.
type ByRevision<T> = BTreeMap<i64, Vec<T>>;

/// One row of `MEMBERS_SQL`: revision, whether a tag (else an owner), the value, its position.
type MemberRow = (i64, i64, String, i64);

/// Version rows, then their owner and tag rows, as read.
type Fetched = (Vec<VersionRow>, Vec<MemberRow>);

/// Splits owner and tag rows into each revision's owners and tags.
fn group(rows: Vec<MemberRow>) -> (ByRevision<UserId>, ByRevision<String>) {
    let (mut owners, mut tags): (ByRevision<UserId>, ByRevision<String>) = Default::default();
    for (revision, is_tag, value, _) in rows {
        if is_tag == 0 {
            owners.entry(revision).or_default().push(UserId(value));
        } else {
            tags.entry(revision).or_default().push(value);
        }
    }
    (owners, tags)
}

fn assemble(rows: Vec<VersionRow>, members: Vec<MemberRow>) -> DbResult<Vec<Workload>> {
    let (mut owners, mut tags) = group(members);
    rows.into_iter()
        .map(|r| {
            let (o, mut t) = (
                owners.remove(&r.revision),
                tags.remove(&r.revision).unwrap_or_default(),
            );
            // Byte order, as the form sorts them: PostgreSQL's collation may order differently.
            t.sort();
            r.into_workload(o.unwrap_or_default(), t)
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
/// statements would otherwise pair one version with another version's owners. One statement
/// reads both: each statement is a round trip, on SQLite to the connection's thread.
const MEMBERS_SQL: &str = "select revision, cast(0 as bigint) as is_tag, user_id as value, \
    position as ord from workload_owners where workload_id = $1 and revision between $2 and $3 \
    union all select revision, cast(1 as bigint), tag, cast(0 as bigint) from workload_tags \
    where workload_id = $1 and revision between $2 and $3 order by 1, 2, 4";

fn revision_range(rows: &[VersionRow]) -> (i64, i64) {
    let revisions = rows.iter().map(|r| r.revision);
    (
        revisions.clone().min().unwrap_or(0),
        revisions.max().unwrap_or(-1),
    )
}

/// Versions of a workload, newest first, read on the pool.
pub async fn versions(db: &Db, id: &WorkloadId, which: Versions) -> DbResult<Vec<Workload>> {
    let main = versions_sql(which);
    let (rows, members): Fetched = with_pool!(db, pool => {
        let q = sqlx::query_as(&main).bind(id.as_str());
        let rows: Vec<VersionRow> = match which {
            Versions::AsOf(t) => q.bind(t),
            Versions::Between(low, high) => q.bind(low).bind(high),
            _ => q,
        }
        .fetch_all(pool)
        .await?;
        let (low, high) = revision_range(&rows);
        let members = sqlx::query_as(MEMBERS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(pool).await?;
        (rows, members)
    });
    assemble(rows, members)
}

/// The current version of a workload, read inside a write transaction.
pub async fn current_in(tx: &mut WriteTx, id: &WorkloadId) -> DbResult<Option<Workload>> {
    let main = versions_sql(Versions::Current);
    let (rows, members): Fetched = with_tx!(tx, conn => {
        let rows: Vec<VersionRow> = sqlx::query_as(&main).bind(id.as_str()).fetch_all(&mut *conn).await?;
        let (low, high) = revision_range(&rows);
        let members = sqlx::query_as(MEMBERS_SQL).bind(id.as_str()).bind(low).bind(high).fetch_all(&mut *conn).await?;
        (rows, members)
    });
    Ok(assemble(rows, members)?.pop())
}

pub async fn get(db: &Db, id: &WorkloadId) -> DbResult<Option<Workload>> {
    Ok(versions(db, id, Versions::Current)
        .await?
        .into_iter()
        .next())
}
