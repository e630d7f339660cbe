//! The audit page's server functions: a page of events by filter, and verifying the chain in
//! the background with progress. The JSON Lines extract is an axum route of the server
//! (`/audit/export.jsonl`), which calls the same use case.

use crate::dto::{AuditPageView, VerifyJobView};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Path of the audit page.
pub const AUDIT_PAGE: &str = "/audit";

/// The audit page's filters as its form sends them (empty: no filter).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub team: String,
    /// A date, `YYYY-MM-DD`: events on or after it.
    #[serde(default)]
    pub from: String,
    /// A date: events on or before it.
    #[serde(default)]
    pub to: String,
    /// Events older than this sequence number (the next page).
    #[serde(default)]
    pub before: Option<i64>,
}

impl AuditQuery {
    /// The query string of this query for page `before` (the filters kept).
    pub fn href(&self, before: Option<i64>) -> String {
        let mut parts: Vec<String> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("entity", &self.entity),
            ("team", &self.team),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", crate::domain::text::percent_encode(v.trim())))
        .collect();
        if let Some(b) = before {
            parts.push(format!("before={b}"));
        }
        if parts.is_empty() {
            AUDIT_PAGE.to_string()
        } else {
            format!("{AUDIT_PAGE}?{}", parts.join("&"))
        }
    }
}

/// The filter of a query; a field that is not what it should be is named.
#[cfg(feature = "ssr")]
pub fn filter_of(q: &AuditQuery) -> Result<crate::ports::EventFilter, AppError> {
    use chrono::{NaiveDate, TimeZone, Utc};
    let text = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.chars().take(200).collect::<String>())
    };
    let day = |s: &str, name: &str, next: bool| -> Result<_, AppError> {
        let Some(s) = text(s) else { return Ok(None) };
        let date = NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
            AppError::BadRequest(format!("{name} must be a date like 2026-12-01, not “{s}”"))
        })?;
        let date = if next {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        Ok(Utc.from_local_datetime(&midnight).single())
    };
    let team = match text(&q.team) {
        Some(t) => Some(
            crate::domain::TeamId::parse(&t)
                .ok_or_else(|| AppError::BadRequest("team must be a team's id".into()))?,
        ),
        None => None,
    };
    Ok(crate::ports::EventFilter {
        actor: text(&q.actor),
        action: text(&q.action),
        entity: text(&q.entity),
        team,
        from: day(&q.from, "from", false)?,
        to: day(&q.to, "to", true)?,
    })
}

/// One page of the audit log, newest first.
#[server(endpoint = "list_audit_events", input = server_fn::codec::Json)]
pub async fn list_audit_events(query: AuditQuery) -> Result<AuditPageView, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        let filter = filter_of(&query)?;
        crate::service::audit::events_page(&*c.store, &c.principal, &filter, query.before).await
    })
    .await
}

/// Starts verifying the whole chain in the background, and opens the page that follows it. A
/// chain short enough to verify in a couple of seconds is done by the time the page opens.
#[server(endpoint = "verify_audit_chain")]
pub async fn verify_audit_chain() -> Result<(), AppError> {
    use crate::api::context::call;
    use crate::service::audit_jobs::{start_verification, verification};
    call(|c| async move {
        let anchors = crate::api::context::checkpoint_anchors();
        let id = start_verification(c.store.clone(), c.principal.clone(), anchors).await?;
        for _ in 0..40 {
            let job = verification(&*c.store, &c.principal, id).await?;
            if job.is_none_or(|j| j.done) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        leptos_axum::redirect(&format!("{AUDIT_PAGE}?job={id}"));
        Ok(())
    })
    .await
}

/// A verification the caller started: how far it got, and what it found.
#[server(endpoint = "audit_job", input = server_fn::codec::Json)]
pub async fn audit_job(id: i64) -> Result<Option<VerifyJobView>, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        crate::service::audit_jobs::verification(&*c.store, &c.principal, id).await
    })
    .await
}

/// The fingerprint of the key that signs checkpoints, when the server has one.
#[server(endpoint = "audit_signing_key", input = server_fn::codec::Json)]
pub async fn audit_signing_key() -> Result<Option<String>, AppError> {
    use crate::api::context::call;
    call(|c| async move {
        crate::service::authorize::require(
            &c.principal,
            crate::domain::policy::Action::ReadAuditChain,
        )?;
        Ok(use_context::<crate::api::context::SigningKeyFingerprint>().map(|f| f.0))
    })
    .await
}
