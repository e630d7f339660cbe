//! The audit chain's use cases: verifying it whole (page by page, so a long chain is never
//! held in memory), and writing an extract of a time range as JSON Lines that verifies on its
//! own. Events outside the reader's full-read scope are carried as `{seq, digest, hash}` only,
//! so the chain still links for them (design §1: "others as digests").

use super::authorize::require;
use crate::domain::audit_chain::{
    body, chained_details, time_text, unhex, Anchor, Break, ChainContent, StoredLink, Verified,
    Verifier, GENESIS,
};
use crate::domain::policy::{Action, Reach};
use crate::domain::Principal;
use crate::error::AppError;
use crate::ports::{AuditEvent, Store};
use chrono::{DateTime, Utc};

/// Events read per page.
pub const PAGE: u32 = 5_000;

/// The chain's content of a stored event.
pub fn content_of(e: &AuditEvent) -> ChainContent<'_> {
    ChainContent {
        seq: e.seq,
        at_micros: e.at.timestamp_micros(),
        actor: e
            .actor_id
            .as_ref()
            .map_or(e.actor.as_str(), |id| id.as_str()),
        action: &e.action,
        entity: &e.entity,
        team: e.team_id.as_ref().map(|t| t.as_str()),
        actor_name: e.actor_id.as_ref().map(|_| e.actor.as_str()),
        details: &e.details,
    }
}

/// Whether the reader sees `e` in full (else as its digest only).
fn in_full(reach: Option<&Reach>, e: &AuditEvent) -> bool {
    match (reach, &e.team_id) {
        (Some(Reach::Organization), _) => true,
        (Some(r), Some(team)) => r.includes(team),
        _ => false,
    }
}

/// Verifies the whole chain, checking it reaches every anchor with the recorded hash and ends
/// at the head the store records. `progress` hears how many events were checked after each
/// page. The outer error is a failure to read; the inner one is where the chain breaks.
pub async fn verify_chain(
    store: &dyn Store,
    caller: &Principal,
    anchors: &[Anchor],
    mut progress: impl FnMut(u64),
) -> Result<Result<Verified, Break>, AppError> {
    require(caller, Action::ReadAuditChain)?;
    let mut verifier = Verifier::new(1, GENESIS);
    for anchor in anchors {
        verifier = verifier.with_anchor(*anchor);
    }
    // The head first: events appended while the chain is read are not this check's, so a
    // busy server is not reported broken.
    let (head_seq, head_hash) = store.chain_head().await?;
    // From the lowest sequence there is: a row numbered below 1 is not part of any chain and
    // breaks it, rather than going unread.
    let (mut after, mut checked) = (i64::MIN, 0_u64);
    let mut beyond_head = None;
    'pages: loop {
        let page = store.chain_page(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            if e.seq > head_seq && e.seq > 0 {
                beyond_head = Some(e.seq);
                break 'pages;
            }
            let link = StoredLink {
                seq: e.seq,
                body: Some(body(&content_of(e))),
                digest: e.digest.clone(),
                hash: e.hash.clone(),
            };
            if let Err(b) = verifier.check(&link) {
                return Ok(Err(b));
            }
        }
        checked += page.len() as u64;
        progress(checked);
    }
    let verified = match verifier.finish() {
        Ok(v) => v,
        Err(b) => return Ok(Err(b)),
    };
    // The head the store records is a weak anchor of its own: a tail cut without updating it
    // shows here even when nobody recorded an anchor.
    // Rows past the head are fine only when an append moved the head meanwhile.
    if let Some(seq) = beyond_head {
        if store.chain_head().await?.0 < seq {
            return Ok(Err(Break {
                seq,
                reason: "it lies past the chain's recorded head (an event was added outside \
                         the chain)"
                    .into(),
            }));
        }
    }
    let ends_at = verified.head.map_or(0, |h| h.seq);
    if head_seq != ends_at || (head_seq > 0 && verified.head.map(|h| h.hash) != unhex(&head_hash)) {
        return Ok(Err(Break {
            seq: ends_at + 1,
            reason: format!(
                "the chain ends at sequence {ends_at}, but its recorded head is sequence \
                 {head_seq} (its tail was cut off or rewritten)"
            ),
        }));
    }
    Ok(Ok(verified))
}

/// The first line of an extract: where it starts in the chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExtractStart {
    /// The sequence number of its first event.
    pub first_seq: i64,
    /// The hash of the event before it (the genesis, 64 zeros, for the first event).
    pub previous_hash: String,
}

/// The chain's events of a time range as JSON Lines, read a page at a time so that an export
/// of any length is never held in memory: a first line `ExtractStart`, then one event per line
/// with its digest and hash, in full where the caller reads events in full, else
/// `{seq, digest, hash}`. Which sequence numbers a range spans is read over every event: the
/// extract carries the others' digests anyway (design §1), so their number is no secret.
pub struct ChainExtract {
    full: Option<Reach>,
    /// The first line, until it is read.
    start: Option<String>,
    /// The last sequence number written, and the last one to write.
    after: i64,
    high: i64,
}

impl ChainExtract {
    /// The extract of `from`..`to` (all events when both are `None`) for `caller`.
    pub async fn open(
        store: &dyn Store,
        caller: &Principal,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<ChainExtract, AppError> {
        require(caller, Action::ReadAuditChain)?;
        let full = require(caller, Action::ReadAuditEvents).ok();
        let from = from.unwrap_or(DateTime::<Utc>::MIN_UTC);
        let to = to.unwrap_or(DateTime::<Utc>::MAX_UTC);
        let Some((low, high)) = store.chain_range(from, to).await? else {
            return Ok(ChainExtract {
                full,
                start: Some(start_line(1, GENESIS_HEX.to_string())),
                after: 0,
                high: 0,
            });
        };
        let previous = if low <= 1 {
            GENESIS_HEX.to_string()
        } else {
            store.event_hash(low - 1).await?.unwrap_or_default()
        };
        Ok(ChainExtract {
            full,
            start: Some(start_line(low, previous)),
            after: low - 1,
            high,
        })
    }

    /// The next lines (each without its newline); `None` once everything was read.
    pub async fn next_lines(&mut self, store: &dyn Store) -> Result<Option<Vec<String>>, AppError> {
        if let Some(start) = self.start.take() {
            return Ok(Some(vec![start]));
        }
        if self.after >= self.high {
            return Ok(None);
        }
        let page = store.chain_page(self.after, PAGE).await?;
        let Some(last) = page.last() else {
            self.after = self.high;
            return Ok(None);
        };
        self.after = last.seq;
        let lines = page
            .iter()
            .filter(|e| e.seq <= self.high)
            .map(|e| event_line(e, in_full(self.full.as_ref(), e)))
            .collect();
        Ok(Some(lines))
    }
}

/// Writes the extract of `from`..`to` (see `ChainExtract`) through `line`; returns the number
/// of events written.
pub async fn export_chain(
    store: &dyn Store,
    caller: &Principal,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    mut line: impl FnMut(String) -> Result<(), AppError>,
) -> Result<u64, AppError> {
    let mut extract = ChainExtract::open(store, caller, from, to).await?;
    let mut lines_written = 0_u64;
    while let Some(lines) = extract.next_lines(store).await? {
        for l in lines {
            line(l)?;
            lines_written += 1;
        }
    }
    // The first line says where the extract starts; the others are events.
    Ok(lines_written.saturating_sub(1))
}

const GENESIS_HEX: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn start_line(first_seq: i64, previous_hash: String) -> String {
    let start = ExtractStart {
        first_seq,
        previous_hash,
    };
    serde_json::to_string(&start).unwrap_or_default()
}

/// One event of an extract: the six fields of its body as the chain covers them (the details
/// with the event's team and the acting person's name), its digest and hash.
fn event_line(e: &AuditEvent, full: bool) -> String {
    if !full {
        return serde_json::json!({ "seq": e.seq, "digest": e.digest, "hash": e.hash }).to_string();
    }
    let c = content_of(e);
    // Content that cannot be put in canonical form is broken already: the event goes out as
    // stored, so that whoever verifies the extract finds the break too.
    let details = chained_details(&c).unwrap_or_else(|_| {
        serde_json::from_str(&e.details).unwrap_or_else(|_| e.details.clone().into())
    });
    serde_json::json!({
        "seq": e.seq,
        "time": time_text(c.at_micros).unwrap_or_default(),
        "actor": c.actor,
        "action": e.action,
        "entity": e.entity,
        "details": details,
        "digest": e.digest,
        "hash": e.hash,
    })
    .to_string()
}

/// Events per page of the audit page.
pub const EVENTS_PER_PAGE: u32 = 50;

/// One page of the audit log for `caller`: newest first, before sequence `before`. Without a
/// filter every event is listed, those outside the caller's full-read scope as their
/// `{seq, digest, hash}` only; a filter lists only events the caller reads in full (a filter
/// on what they cannot read would tell what is there).
pub async fn events_page(
    store: &dyn Store,
    caller: &Principal,
    filter: &crate::ports::EventFilter,
    before: Option<i64>,
) -> Result<crate::dto::AuditPageView, AppError> {
    require(caller, Action::ReadAuditChain)?;
    let full = require(caller, Action::ReadAuditEvents).ok();
    let may_administer = require(caller, Action::Administer).is_ok();
    let scope = match (&full, filter.is_empty()) {
        // Everything is read in full: no condition.
        (Some(Reach::Organization), _) => None,
        (Some(r), false) => Some(r.clone()),
        // Nothing in full: a filter finds nothing.
        (None, false) => Some(Reach::Teams(Default::default())),
        (_, true) => None,
    };
    let events = store
        .list_events(filter, scope.as_ref(), before, EVENTS_PER_PAGE + 1)
        .await?;
    let more = events.len() > EVENTS_PER_PAGE as usize;
    let teams = store.list_teams().await?;
    let team_name = |id: &crate::domain::TeamId| {
        teams
            .iter()
            .find(|t| &t.id == id)
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    };
    let rows: Vec<crate::dto::AuditEventView> = events
        .iter()
        .take(EVENTS_PER_PAGE as usize)
        .map(|e| {
            let shown = in_full(full.as_ref(), e);
            crate::dto::AuditEventView {
                seq: e.seq,
                full: shown,
                time: shown.then(|| e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
                actor: shown.then(|| e.actor.clone()),
                action: shown.then(|| e.action.clone()),
                entity: shown.then(|| e.entity.clone()),
                entity_link: if shown {
                    entity_link(&e.action, &e.entity, may_administer)
                } else {
                    None
                },
                team: if shown {
                    e.team_id.as_ref().map(&team_name)
                } else {
                    None
                },
                details: if shown {
                    details_text(&e.details)
                } else {
                    String::new()
                },
                digest: e.digest.clone(),
                hash: e.hash.clone(),
            }
        })
        .collect();
    let next_before = if more {
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    let (head_seq, head_hash) = store.chain_head().await?;
    Ok(crate::dto::AuditPageView {
        events: rows,
        next_before,
        head: format!("{head_seq}:{head_hash}"),
        filtered: !filter.is_empty(),
    })
}

/// Where an event's entity is shown to the caller, if anywhere.
fn entity_link(action: &str, entity: &str, may_administer: bool) -> Option<String> {
    let kind = action.split('.').next().unwrap_or_default();
    match kind {
        "workload" => Some(format!("/workloads/{entity}")),
        "user" | "role" if may_administer => Some(format!("/admin/people/{entity}")),
        "session" if may_administer && crate::domain::UserId::parse(entity).is_some() => {
            Some(format!("/admin/people/{entity}"))
        }
        "team" if may_administer => Some("/admin/teams".to_string()),
        _ => None,
    }
}

/// Details as people read them: `key: value`, comma-separated.
fn details_text(details: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(details)
    else {
        return details.to_string();
    };
    map.iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
