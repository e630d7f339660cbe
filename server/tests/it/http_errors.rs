//! One status path: each error reaches a page render, a server function called by fetch, a
//! plain axum route and a form posted without JavaScript with its status, through the real
//! router. A store that fails on demand stands in for a database that refuses or breaks.

use crate::http::start_with_store;
use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::catalog::Catalog;
use app::domain::listing::WorkloadQuery;
use app::domain::policy::{Grant, Reach};
use app::domain::workload::{Workload, WorkloadDraft};
use app::domain::{CatalogVersionId, Phase, TeamId, UserId, WorkloadId};
use app::dto::{PhaseCount, Team, User, WorkloadPage};
use app::ports::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use strata_server::db::Db;

/// The real store, except that reading workloads fails with `error`.
struct Failing {
    db: Db,
    error: fn() -> StoreError,
}

#[async_trait]
impl TeamStore for Failing {
    async fn create_team(&self, n: &str, d: bool, a: Actor<'_>) -> StoreResult<Team> {
        self.db.create_team(n, d, a).await
    }
    async fn list_teams(&self) -> StoreResult<Vec<Team>> {
        self.db.list_teams().await
    }
    async fn teams_in(&self, reach: &Reach) -> StoreResult<Vec<Team>> {
        self.db.teams_in(reach).await
    }
    async fn rename_team(&self, id: &TeamId, name: &str, a: Actor<'_>) -> StoreResult<()> {
        self.db.rename_team(id, name, a).await
    }
    async fn set_team_archived(
        &self,
        id: &TeamId,
        archived: bool,
        a: Actor<'_>,
    ) -> StoreResult<()> {
        self.db.set_team_archived(id, archived, a).await
    }
    async fn get_team(&self, id: &TeamId) -> StoreResult<Option<Team>> {
        self.db.get_team(id).await
    }
}

#[async_trait]
impl UserStore for Failing {
    async fn create_user(&self, n: &str, e: &str, d: bool, a: Actor<'_>) -> StoreResult<User> {
        self.db.create_user(n, e, d, a).await
    }
    async fn list_users(&self) -> StoreResult<Vec<User>> {
        self.db.list_users().await
    }
    async fn users_in(&self, reach: &Reach) -> StoreResult<Vec<User>> {
        self.db.users_in(reach).await
    }
    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>> {
        self.db.users_by_ids(ids).await
    }
    async fn users_by_emails(&self, emails: &[String]) -> StoreResult<Vec<User>> {
        self.db.users_by_emails(emails).await
    }
}

#[async_trait]
impl WorkloadStore for Failing {
    async fn create_workload(
        &self,
        d: &WorkloadDraft,
        p: Phase,
        a: Actor<'_>,
        demo: bool,
    ) -> StoreResult<WorkloadId> {
        self.db.create_workload(d, p, a, demo).await
    }
    async fn update_workload(
        &self,
        id: &WorkloadId,
        rev: i64,
        d: &WorkloadDraft,
        a: Actor<'_>,
    ) -> StoreResult<Workload> {
        self.db.update_workload(id, rev, d, a).await
    }
    async fn change_phase(
        &self,
        id: &WorkloadId,
        rev: i64,
        to: Phase,
        note: Option<&str>,
        a: Actor<'_>,
    ) -> StoreResult<Workload> {
        self.db.change_phase(id, rev, to, note, a).await
    }
    async fn get_workload(&self, _: &WorkloadId) -> StoreResult<Option<Workload>> {
        Err((self.error)())
    }
    async fn workload_as_of(
        &self,
        id: &WorkloadId,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Workload>> {
        self.db.workload_as_of(id, at).await
    }
    async fn workload_history(&self, id: &WorkloadId) -> StoreResult<Vec<Workload>> {
        self.db.workload_history(id).await
    }
    async fn workload_revisions(
        &self,
        id: &WorkloadId,
        low: i64,
        high: i64,
    ) -> StoreResult<Vec<Workload>> {
        self.db.workload_revisions(id, low, high).await
    }
    async fn list_workloads(&self, _: &WorkloadQuery, _: &Reach) -> StoreResult<WorkloadPage> {
        Err((self.error)())
    }
    async fn count_by_phase(&self, reach: &Reach) -> StoreResult<Vec<PhaseCount>> {
        self.db.count_by_phase(reach).await
    }
    async fn workloads_owned_by(&self, user: &UserId) -> StoreResult<Vec<WorkloadId>> {
        self.db.workloads_owned_by(user).await
    }
    async fn count_by_team_and_phase(&self, _: &Reach) -> StoreResult<Vec<(String, Phase, u64)>> {
        Err((self.error)())
    }
}

#[async_trait]
impl CatalogStore for Failing {
    async fn load_catalog(
        &self,
        c: &Catalog,
        hash: &str,
        source: &str,
        a: Actor<'_>,
    ) -> StoreResult<CatalogLoad> {
        self.db.load_catalog(c, hash, source, a).await
    }
    async fn current_catalog(&self) -> StoreResult<Option<CatalogVersion>> {
        self.db.current_catalog().await
    }
    async fn catalog_versions(
        &self,
    ) -> StoreResult<Vec<(CatalogVersionId, chrono::DateTime<chrono::Utc>)>> {
        self.db.catalog_versions().await
    }
    async fn catalog_version(&self, id: &CatalogVersionId) -> StoreResult<Arc<Catalog>> {
        self.db.catalog_version(id).await
    }
    async fn requirements(&self, w: &WorkloadId) -> StoreResult<Vec<RequirementRecord>> {
        self.db.requirements(w).await
    }
    async fn rematerialize_all(&self, a: Actor<'_>) -> StoreResult<usize> {
        self.db.rematerialize_all(a).await
    }
}

#[async_trait]
impl AccountStore for Failing {
    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        self.db.credentials_by_email(email).await
    }
    async fn credentials(&self, user: &UserId) -> StoreResult<Option<Credentials>> {
        self.db.credentials(user).await
    }
    async fn set_password(
        &self,
        user: &UserId,
        hash: &str,
        kind: PasswordKind,
        a: Actor<'_>,
    ) -> StoreResult<i64> {
        self.db.set_password(user, hash, kind, a).await
    }
    async fn session_account(&self, user: &UserId) -> StoreResult<Option<SessionAccount>> {
        self.db.session_account(user).await
    }
    async fn all_accounts(&self) -> StoreResult<Vec<SessionAccount>> {
        self.db.all_accounts().await
    }
    async fn set_disabled(&self, user: &UserId, disabled: bool, a: Actor<'_>) -> StoreResult<()> {
        self.db.set_disabled(user, disabled, a).await
    }
    async fn grants(&self, user: &UserId) -> StoreResult<Vec<Grant>> {
        self.db.grants(user).await
    }
    async fn grant(&self, user: &UserId, g: &Grant, a: Actor<'_>) -> StoreResult<bool> {
        self.db.grant(user, g, a).await
    }
    async fn revoke(&self, user: &UserId, g: &Grant, a: Actor<'_>) -> StoreResult<bool> {
        self.db.revoke(user, g, a).await
    }
    async fn has_admin(&self) -> StoreResult<bool> {
        self.db.has_admin().await
    }
}

#[async_trait]
impl SecondFactorStore for Failing {
    async fn second_factor(&self, user: &UserId) -> StoreResult<Option<SecondFactor>> {
        self.db.second_factor(user).await
    }
    async fn start_second_factor(&self, u: &UserId, s: &str, a: Actor<'_>) -> StoreResult<bool> {
        self.db.start_second_factor(u, s, a).await
    }
    async fn confirm_second_factor(
        &self,
        u: &UserId,
        s: &str,
        step: i64,
        d: &[String],
        a: Actor<'_>,
    ) -> StoreResult<i64> {
        self.db.confirm_second_factor(u, s, step, d, a).await
    }
    async fn use_code_step(&self, u: &UserId, step: i64) -> StoreResult<bool> {
        self.db.use_code_step(u, step).await
    }
    async fn use_recovery_code(
        &self,
        u: &UserId,
        d: &str,
        a: Actor<'_>,
    ) -> StoreResult<Option<u32>> {
        self.db.use_recovery_code(u, d, a).await
    }
    async fn remove_second_factor(&self, u: &UserId, a: Actor<'_>) -> StoreResult<i64> {
        self.db.remove_second_factor(u, a).await
    }
}

#[async_trait]
impl SettingStore for Failing {
    async fn second_factor_required(&self) -> StoreResult<bool> {
        self.db.second_factor_required().await
    }
    async fn set_second_factor_required(&self, r: bool, a: Actor<'_>) -> StoreResult<()> {
        self.db.set_second_factor_required(r, a).await
    }
}

#[async_trait]
impl DemoStore for Failing {
    async fn is_empty(&self) -> StoreResult<bool> {
        self.db.is_empty().await
    }
    async fn remove_demo(&self, a: Actor<'_>) -> StoreResult<u64> {
        self.db.remove_demo(a).await
    }
    async fn backdate_versions(
        &self,
        id: &WorkloadId,
        starts: &[chrono::DateTime<chrono::Utc>],
        x: Actor<'_>,
    ) -> StoreResult<()> {
        self.db.backdate_versions(id, starts, x).await
    }
    async fn submit_attestation_at(
        &self,
        a: &NewAttestation,
        x: Actor<'_>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Submitted> {
        self.db.submit_attestation_at(a, x, at).await
    }
    async fn decide_attestation_at(
        &self,
        id: &str,
        approve: bool,
        comment: &str,
        x: Actor<'_>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Decided> {
        self.db
            .decide_attestation_at(id, approve, comment, x, at)
            .await
    }
}

#[async_trait]
impl AttemptStore for Failing {
    async fn count_attempt(&self, s: &str, c: &str, w: i64) -> StoreResult<u64> {
        self.db.count_attempt(s, c, w).await
    }
    async fn attempts(&self, s: &str, c: &str, w: i64) -> StoreResult<u64> {
        self.db.attempts(s, c, w).await
    }
}

#[async_trait]
impl AuditStore for Failing {
    async fn record_event(
        &self,
        actor_id: Option<&UserId>,
        actor: &str,
        action: &str,
        entity: &str,
        details: &app::domain::audit::Details,
    ) -> StoreResult<()> {
        self.db
            .record_event(actor_id, actor, action, entity, details)
            .await
    }
    async fn recent_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        self.db.recent_events(limit).await
    }
    async fn chain_page(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        self.db.chain_page(after, limit).await
    }
    async fn chain_head(&self) -> StoreResult<(i64, String)> {
        self.db.chain_head().await
    }
    async fn chain_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Option<(i64, i64)>> {
        self.db.chain_range(from, to).await
    }
    async fn event_hash(&self, seq: i64) -> StoreResult<Option<String>> {
        self.db.event_hash(seq).await
    }
    async fn list_events(
        &self,
        f: &EventFilter,
        r: Option<&Reach>,
        b: Option<i64>,
        l: u32,
    ) -> StoreResult<Vec<AuditEvent>> {
        self.db.list_events(f, r, b, l).await
    }
}

#[async_trait]
impl AttestationStore for Failing {
    async fn submit_attestation(&self, a: &NewAttestation, x: Actor<'_>) -> StoreResult<Submitted> {
        self.db.submit_attestation(a, x).await
    }

    async fn decide_attestation(
        &self,
        id: &str,
        ok: bool,
        c: &str,
        x: Actor<'_>,
    ) -> StoreResult<Decided> {
        self.db.decide_attestation(id, ok, c, x).await
    }

    async fn attestation(&self, id: &str) -> StoreResult<Option<AttestationRecord>> {
        self.db.attestation(id).await
    }

    async fn attestations_of(&self, w: &WorkloadId) -> StoreResult<Vec<AttestationRecord>> {
        self.db.attestations_of(w).await
    }

    async fn awaiting_review(
        &self,
        f: &QueueFilter,
        r: &Reach,
        l: u32,
    ) -> StoreResult<Vec<QueueItem>> {
        self.db.awaiting_review(f, r, l).await
    }

    async fn states_now(&self, w: &WorkloadId, n: DateTime<Utc>) -> StoreResult<Vec<StoredState>> {
        self.db.states_now(w, n).await
    }
}

#[async_trait]
impl VerificationStore for Failing {
    async fn start_verification(
        &self,
        o: &str,
        n: DateTime<Utc>,
        l: DateTime<Utc>,
        a: u32,
        f: DateTime<Utc>,
    ) -> StoreResult<VerificationStart> {
        self.db.start_verification(o, n, l, a, f).await
    }

    async fn verification_progress(&self, id: i64, c: u64, l: DateTime<Utc>) -> StoreResult<()> {
        self.db.verification_progress(id, c, l).await
    }

    async fn finish_verification(
        &self,
        id: i64,
        c: u64,
        i: bool,
        o: &str,
        n: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.db.finish_verification(id, c, i, o, n).await
    }

    async fn verification(&self, id: i64) -> StoreResult<Option<Verification>> {
        self.db.verification(id).await
    }
}

fn request_id(res: &reqwest::Response) -> String {
    res.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("every response has a request id")
        .to_string()
}

async fn store_errors_answer_with_their_status_on_every_path(t: &TestDb) {
    let cases: [(fn() -> StoreError, u16); 4] = [
        (
            || StoreError::Conflict {
                constraint: Constraint::Other,
            },
            409,
        ),
        (|| StoreError::StaleRevision { current: 9 }, 409),
        (|| StoreError::UnstorableText, 400),
        (|| StoreError::Other("the disk is on fire".into()), 500),
    ];
    for (error, status) in cases {
        let store: SharedStore = Arc::new(Failing {
            db: t.db.clone(),
            error,
        });
        let s = start_with_store(t, store).await;
        let c = lead(&s).await;
        let page = c
            .get(format!("{}/workloads", s.base))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page");
        assert_eq!(page.status().as_u16(), status, "page");
        let id = request_id(&page);
        let html = page.text().await.expect("body");
        assert!(
            !html.contains("disk is on fire"),
            "no internals in the page"
        );
        if status == 500 {
            assert!(
                html.contains(&format!("reference {id}")),
                "the request id is the reference"
            );
        }
        let fetch = c
            .post(format!("{}/api/list_workloads", s.base))
            .header("content-type", "application/json")
            .body(r#"{"query":{"search":"","team":null,"phase":null,"gap_layer":null,"sort":"Name","descending":false,"page":1,"per_page":10}}"#)
            .send()
            .await
            .expect("fetch");
        assert_eq!(fetch.status().as_u16(), status, "server function");
        let err: app::error::AppError = fetch.json().await.expect("the error as JSON");
        assert_eq!(err.status(), status);
        let route = c
            .get(format!("{}/charts/workloads-by-phase-and-team.svg", s.base))
            .send()
            .await
            .expect("svg");
        assert_eq!(route.status().as_u16(), status, "axum route");
        assert!(!route
            .text()
            .await
            .expect("body")
            .contains("disk is on fire"));
        let form = c
            .post(format!("{}/api/change_phase", s.base))
            .header("accept", "text/html")
            .header("referer", format!("{}/workloads/w", s.base))
            .form(&[("id", "w"), ("revision", "1"), ("direction", "promote")])
            .send()
            .await
            .expect("form");
        assert_eq!(form.status().as_u16(), status, "form without JavaScript");
        let html = form.text().await.expect("body");
        assert!(html.contains("data-testid=\"error-page\""), "{html}");
    }
}

async fn unreadable_requests_are_bad_requests_on_every_path(t: &TestDb) {
    let s = crate::http::start(t).await;
    let c = lead(&s).await;
    for body in [r#"{"id":7}"#, "{not json", r#"{"query":{"page":"x"}}"#] {
        let res = c
            .post(format!("{}/api/list_workloads", s.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("fetch");
        assert_eq!(res.status().as_u16(), 400, "{body}");
        let err: app::error::AppError = res.json().await.expect("the error as JSON");
        assert!(
            matches!(err, app::error::AppError::BadRequest(_)),
            "{err:?}"
        );
    }
    let form = c
        .post(format!("{}/api/change_phase", s.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/workloads/w", s.base))
        .form(&[
            ("id", "w"),
            ("revision", "not-a-number"),
            ("direction", "promote"),
        ])
        .send()
        .await
        .expect("form");
    assert_eq!(form.status().as_u16(), 400);
    let html = form.text().await.expect("body");
    assert!(html.contains("The request could not be read"), "{html}");
}

on_both_backends!(
    store_errors_answer_with_their_status_on_every_path,
    unreadable_requests_are_bad_requests_on_every_path,
);
