//! What every endpoint needs before it does anything, as the authorization matrix checks it
//! (`server/tests/it/http_matrix.rs`): each page, server function and axum route is listed
//! here with the action of design §1's policy it asks for, and the test fails for a page or
//! server function the app serves, or a route of `router::ROUTES` or `router::FORM_ROUTES`,
//! that is missing here. The use cases enforce it (`service::authorize`);
//! this table says what they must answer.

use crate::domain::policy::Action;

/// What an endpoint asks of its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Anyone, signed in or not: signing in, its page, one-shot flashes, the health check.
    Public,
    /// Any signed-in person, for their own account.
    SignedIn,
    /// The action somewhere; what it shows or takes is scoped to where.
    Anywhere(Action),
    /// The action on the workload the request names: "not found" outside what the caller may
    /// read, 403 where they may read but not do this.
    OnWorkload(Action),
    /// A phase change: promoting asks `ChangeWorkloads`, demoting `Review`, on the workload.
    PhaseChange,
}

/// How an endpoint is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A page (GET, HTML), by its route path as Leptos lists it.
    Page,
    /// A server function (POST `/api/<name>`).
    ServerFunction,
    /// An axum route of the server's own (GET).
    Route,
    /// A form route of the server's own (POST, multipart).
    FormRoute,
}

/// One endpoint and its guard.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub kind: Kind,
    pub path: &'static str,
    pub guard: Guard,
}

const fn e(kind: Kind, path: &'static str, guard: Guard) -> Endpoint {
    Endpoint { kind, path, guard }
}

use Action::{Administer, ChangeWorkloads, ReadAuditChain, ReadCatalog, ReadWorkloads, Review};
use Guard::{Anywhere, OnWorkload, PhaseChange, Public, SignedIn};
use Kind::{FormRoute, Page, Route, ServerFunction};

/// Every endpoint. Pages use Leptos's path syntax (`:id`), routes axum's (`{id}`).
pub const ENDPOINTS: [Endpoint; 63] = [
    e(Page, "/", Anywhere(ReadWorkloads)),
    e(Page, "/catalog", Anywhere(ReadCatalog)),
    e(Page, "/login", Public),
    e(Page, "/account/password", SignedIn),
    e(Page, "/account/second-factor", SignedIn),
    e(Page, "/login/code", Public),
    e(Page, "/workloads", Anywhere(ReadWorkloads)),
    e(Page, "/workloads/new", Anywhere(ChangeWorkloads)),
    e(Page, "/workloads/:id", OnWorkload(ReadWorkloads)),
    e(Page, "/workloads/:id/edit", OnWorkload(ChangeWorkloads)),
    e(
        Page,
        "/workloads/:id/attest/:control",
        OnWorkload(ChangeWorkloads),
    ),
    e(Page, "/admin/people", Anywhere(Administer)),
    e(Page, "/admin/people/:id", Anywhere(Administer)),
    e(Page, "/admin/teams", Anywhere(Administer)),
    e(Page, "/audit", Anywhere(ReadAuditChain)),
    e(Page, "/review", Anywhere(Review)),
    e(ServerFunction, "/api/take_flash", Public),
    e(ServerFunction, "/api/sign_in", Public),
    e(ServerFunction, "/api/me", Public),
    e(ServerFunction, "/api/sign_out", Public),
    e(ServerFunction, "/api/change_password", SignedIn),
    e(ServerFunction, "/api/pending_sign_in", Public),
    e(ServerFunction, "/api/verify_second_factor", Public),
    e(ServerFunction, "/api/second_factor_status", SignedIn),
    e(ServerFunction, "/api/start_second_factor", SignedIn),
    e(ServerFunction, "/api/confirm_second_factor", SignedIn),
    e(ServerFunction, "/api/remove_second_factor", SignedIn),
    e(
        ServerFunction,
        "/api/security_settings",
        Anywhere(Administer),
    ),
    e(
        ServerFunction,
        "/api/set_second_factor_required",
        Anywhere(Administer),
    ),
    e(
        ServerFunction,
        "/api/list_workloads",
        Anywhere(ReadWorkloads),
    ),
    e(ServerFunction, "/api/phase_counts", Anywhere(ReadWorkloads)),
    e(
        ServerFunction,
        "/api/phase_team_chart",
        Anywhere(ReadWorkloads),
    ),
    e(ServerFunction, "/api/get_teams", Anywhere(ReadWorkloads)),
    e(ServerFunction, "/api/get_catalog", Anywhere(ReadCatalog)),
    e(
        ServerFunction,
        "/api/get_form_choices",
        Anywhere(ChangeWorkloads),
    ),
    e(
        ServerFunction,
        "/api/create_workload",
        Anywhere(ChangeWorkloads),
    ),
    e(
        ServerFunction,
        "/api/get_workload",
        OnWorkload(ReadWorkloads),
    ),
    e(
        ServerFunction,
        "/api/get_edit_form",
        OnWorkload(ChangeWorkloads),
    ),
    e(
        ServerFunction,
        "/api/update_workload",
        OnWorkload(ChangeWorkloads),
    ),
    e(ServerFunction, "/api/change_phase", PhaseChange),
    e(
        ServerFunction,
        "/api/get_attest_form",
        OnWorkload(ChangeWorkloads),
    ),
    e(ServerFunction, "/api/list_people", Anywhere(Administer)),
    e(ServerFunction, "/api/get_person", Anywhere(Administer)),
    e(ServerFunction, "/api/add_person", Anywhere(Administer)),
    e(ServerFunction, "/api/grant_role", Anywhere(Administer)),
    e(ServerFunction, "/api/revoke_role", Anywhere(Administer)),
    e(
        ServerFunction,
        "/api/set_person_disabled",
        Anywhere(Administer),
    ),
    e(
        ServerFunction,
        "/api/reset_person_password",
        Anywhere(Administer),
    ),
    e(ServerFunction, "/api/all_teams", Anywhere(Administer)),
    e(ServerFunction, "/api/add_team", Anywhere(Administer)),
    e(ServerFunction, "/api/rename_team", Anywhere(Administer)),
    e(
        ServerFunction,
        "/api/set_team_archived",
        Anywhere(Administer),
    ),
    e(
        ServerFunction,
        "/api/list_audit_events",
        Anywhere(ReadAuditChain),
    ),
    e(
        ServerFunction,
        "/api/verify_audit_chain",
        Anywhere(ReadAuditChain),
    ),
    e(ServerFunction, "/api/audit_job", Anywhere(ReadAuditChain)),
    e(
        ServerFunction,
        "/api/audit_signing_key",
        Anywhere(ReadAuditChain),
    ),
    e(ServerFunction, "/api/review_queue", Anywhere(Review)),
    e(ServerFunction, "/api/decide_attestation", Anywhere(Review)),
    e(Route, "/health", Public),
    e(Route, "/audit/export.jsonl", Anywhere(ReadAuditChain)),
    e(
        Route,
        "/charts/workloads-by-phase-and-team.svg",
        Anywhere(ReadWorkloads),
    ),
    e(
        Route,
        "/charts/workloads/{id}/required-by-layer.svg",
        OnWorkload(ReadWorkloads),
    ),
    e(
        FormRoute,
        "/workloads/{id}/attestations",
        OnWorkload(ChangeWorkloads),
    ),
];

/// The guard of the endpoint at `path`, if it is listed.
pub fn guard(kind: Kind, path: &str) -> Option<Guard> {
    ENDPOINTS
        .iter()
        .find(|e| e.kind == kind && e.path == path)
        .map(|e| e.guard)
}
