//! Reading many workloads: the list with search, filters, sorting and pages, owners' workloads,
//! and counts.

use super::errors::{DbError, DbResult};
use super::requirements::parse_phase;
use super::rows::{count, instant};
use super::scope::push_scope;
use super::{with_pool, Db};
use app::domain::listing::{SortKey, WorkloadQuery};
use app::domain::policy::Reach;
use app::domain::{Phase, UserId, WorkloadId};
use app::dto::{PhaseCount, WorkloadPage, WorkloadRow};
use sqlx::QueryBuilder;
use std::collections::BTreeMap;

/// `order by` of the page query: the sort key, then name and id so that pages are stable.
/// Every key but the team's is a column of `v` with an index in that order.
fn order_by(sort: SortKey, descending: bool) -> String {
    let dir = if descending { "desc" } else { "asc" };
    let key = match sort {
        SortKey::Name => return format!("v.name_key {dir}, v.workload_id {dir}"),
        SortKey::Team => "lower(t.name)",
        SortKey::Phase => "v.phase_rank",
        SortKey::Updated => "v.valid_from",
    };
    format!("{key} {dir}, v.name_key asc, v.workload_id asc")
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

/// The list's filters as bound values; absent ones add no condition, so each combination gets
/// the plan that suits it (an `($n = '' or …)` condition hides the index a filter could use).
struct Filters<'r> {
    /// The caller's reach: always a condition of the query, never a filter applied after it.
    reach: &'r Reach,
    pattern: Option<String>,
    team: Option<String>,
    phase: Option<&'static str>,
    gap: Option<&'static str>,
}

impl<'r> Filters<'r> {
    fn of(query: &WorkloadQuery, reach: &'r Reach) -> Self {
        let search = query.search.trim();
        Filters {
            reach,
            pattern: (!search.is_empty()).then(|| like_pattern(search)),
            team: query.team.clone(),
            phase: query.phase.map(|p| p.code()),
            // Until attestations exist, every required control is an open gap.
            gap: query.gap_layer.map(|l| l.code()),
        }
    }

    /// Whether the maintained counts (`counts.rs`) answer the total: every filter but the
    /// search is one of their keys.
    fn counted(&self) -> bool {
        self.pattern.is_none()
    }

    /// `select sum(…)` over the maintained counts, with the filters that are their keys.
    fn push_counted<'a, DB: sqlx::Database>(&'a self, q: &mut QueryBuilder<'a, DB>)
    where
        'r: 'a,
        &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    {
        // `coalesce` because a sum over no rows is null; the cast because PostgreSQL sums
        // bigints to numeric.
        q.push("select cast(coalesce(sum(workloads), 0) as bigint) from ");
        match self.gap {
            Some(layer) => {
                q.push("open_layer_counts where layer = ").push_bind(layer);
            }
            None => {
                q.push("workload_counts where 1 = 1");
            }
        }
        push_scope(q, "team_id", self.reach);
        if let Some(t) = &self.team {
            q.push(" and team_id = ").push_bind(t.as_str());
        }
        if let Some(p) = self.phase {
            q.push(" and phase = ").push_bind(p);
        }
    }

    /// ` where …` over `workload_versions v`.
    fn push<'a, DB: sqlx::Database>(&'a self, q: &mut QueryBuilder<'a, DB>)
    where
        'r: 'a,
        &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    {
        q.push(" where v.valid_to is null");
        if let Some(p) = &self.pattern {
            q.push(" and v.name_key like ")
                .push_bind(p.as_str())
                .push(" escape '\\'");
        }
        push_scope(q, "v.team_id", self.reach);
        if let Some(t) = &self.team {
            q.push(" and v.team_id = ").push_bind(t.as_str());
        }
        if let Some(p) = self.phase {
            q.push(" and v.phase = ").push_bind(p);
        }
        if let Some(layer) = self.gap {
            // One primary-key probe per workload: the page query reads workloads in its sort
            // order and stops after the page (plans checked on both backends).
            q.push(
                " and exists (select 1 from workload_open_layers g \
                 where g.workload_id = v.workload_id and g.layer = ",
            )
            .push_bind(layer)
            .push(")");
        }
    }
}

pub async fn list(db: &Db, query: &WorkloadQuery, reach: &Reach) -> DbResult<WorkloadPage> {
    let filters = Filters::of(query, reach);
    let order = order_by(query.sort, query.descending);
    let limit = i64::from(query.per_page);
    let offset = i64::try_from(query.offset()).unwrap_or(i64::MAX);
    let team_join = if query.sort == SortKey::Team {
        " join teams t on t.id = v.team_id"
    } else {
        ""
    };
    let (rows, total, tags): (Vec<ListRow>, i64, Vec<(String, i64, String)>) = with_pool!(db, pool => {
        let total: i64 = {
            let mut q = QueryBuilder::new("");
            if filters.counted() {
                filters.push_counted(&mut q);
            } else {
                // A substring search is counted over the names: its cost is the scan it needs.
                q.push("select count(*) from workload_versions v");
                filters.push(&mut q);
            }
            q.build_query_scalar().fetch_one(pool).await?
        };
        // The page's ids first, from the filters and the sort key alone (an index in order,
        // stopping after the page), then the names for those ids only: a far page does not
        // join every row it skips.
        let ids: Vec<String> = if offset >= total {
            Vec::new()
        } else {
            let mut q = QueryBuilder::new(format!("select v.workload_id from workload_versions v{team_join}"));
            filters.push(&mut q);
            q.push(format!(" order by {order} limit ")).push_bind(limit).push(" offset ").push_bind(offset);
            q.build_query_scalar().fetch_all(pool).await?
        };
        let rows: Vec<ListRow> = if ids.is_empty() {
            Vec::new()
        } else {
            let mut q = QueryBuilder::new(
                "select v.workload_id, v.revision, v.name, t.name as team_name, v.phase, \
                 u.name as owner_name, v.valid_from from workload_versions v \
                 join teams t on t.id = v.team_id join users u on u.id = v.primary_owner \
                 where v.valid_to is null and v.workload_id in (",
            );
            let mut list = q.separated(", ");
            for id in &ids {
                list.push_bind(id.as_str());
            }
            list.push_unseparated(")");
            let mut found: Vec<ListRow> = q.build_query_as().fetch_all(pool).await?;
            found.sort_by_key(|r| ids.iter().position(|id| *id == r.workload_id));
            found
        };
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
    // Byte order, as the form sorts them: PostgreSQL's collation may order differently.
    tags_of.values_mut().for_each(|t| t.sort());
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

pub async fn owned_by(db: &Db, user: &UserId) -> DbResult<Vec<WorkloadId>> {
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

pub async fn by_team_and_phase(db: &Db, reach: &Reach) -> DbResult<Vec<(String, Phase, u64)>> {
    // From the maintained counts (`counts.rs`): a row per (team, phase), a few hundred at most.
    let rows: Vec<(String, Option<String>, String, i64)> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "select c.team_id, t.name, c.phase, c.workloads from workload_counts c \
             left join teams t on t.id = c.team_id where c.workloads <> 0",
        );
        push_scope(&mut q, "c.team_id", reach);
        q.build_query_as().fetch_all(pool).await?
    });
    rows.into_iter()
        .map(|(team_id, name, phase, n)| {
            let name = name.ok_or_else(|| DbError::corrupt("team of a count", &team_id))?;
            Ok((name, parse_phase(&phase)?, count(n)?))
        })
        .collect()
}

pub async fn by_phase(db: &Db, reach: &Reach) -> DbResult<Vec<PhaseCount>> {
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        let mut q = QueryBuilder::new(
            "select phase, cast(sum(workloads) as bigint) from workload_counts where 1 = 1",
        );
        push_scope(&mut q, "team_id", reach);
        q.push(" group by phase");
        q.build_query_as().fetch_all(pool).await?
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
