//! Who is asking, decided once per request: the session's signed-in identity is checked against
//! the account as stored now (`app::service::sessions::check`), and the request carries the
//! result as its `Principal` for pages, server functions and routes to read
//! (`app::api::context::principal`). A session that has ended is deleted here, so its cookie
//! stops working at once. Anonymous requests without a session cookie cost no query.

use crate::http_error::{error_response, wants_html};
use crate::state::AppState;
use app::domain::Principal;
use app::error::AppError;
use app::service::sessions::{check, SessionIdentity, Verdict, SIGNED_IN};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

// The page where a person with a temporary password chooses their own, the one where a person
// sets up a second factor, and the pages a visitor who has not signed in may open.
use app::api::accounts::{LOGIN_PAGE, PASSWORD_PAGE};
use app::api::second_factor::{CODE_PAGE, SECOND_FACTOR_PAGE};

/// The pages of signing in: its two steps.
const SIGN_IN_PAGES: [&str; 2] = [LOGIN_PAGE, CODE_PAGE];

/// What a person with a temporary password may still reach: choosing a new one, signing out,
/// and what those pages need.
const WHILE_PASSWORD_MUST_CHANGE: [&str; 7] = [
    PASSWORD_PAGE,
    "/api/change_password",
    "/api/sign_out",
    "/api/take_flash",
    "/api/me",
    "/login",
    "/api/sign_in",
];

/// What a person whose role needs a second factor they have not set up may still reach: its
/// set-up, signing out, and what those pages need.
const WHILE_SECOND_FACTOR_MISSING: [&str; 9] = [
    SECOND_FACTOR_PAGE,
    "/api/second_factor_status",
    "/api/start_second_factor",
    "/api/confirm_second_factor",
    "/api/sign_out",
    "/api/take_flash",
    "/api/me",
    "/login",
    "/api/sign_in",
];

/// The caller of an axum route, as `attach` decided it.
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Caller(app::api::context::principal(&parts.extensions)))
    }
}

/// Attaches the request's `Principal`. Assets and the health check skip it.
pub async fn attach(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/health" {
        return next.run(req).await;
    }
    let principal = match principal_of(&state, &session).await {
        Ok(p) => p,
        Err(e) => return error_response(&e, wants_html(req.headers()), "/"),
    };
    match &principal {
        Principal::Person(p)
            if p.must_change_password
                && !WHILE_PASSWORD_MUST_CHANGE.contains(&path)
                && reaches_data(&req) =>
        {
            return choose_a_password_first(&req);
        }
        // A temporary password is replaced first (its page is not open to the second gate):
        // an admin's reset removes the factor, so a reset lead meets both.
        Principal::Person(p)
            if p.must_enrol_second_factor
                && !p.must_change_password
                && !WHILE_SECOND_FACTOR_MISSING.contains(&path)
                && reaches_data(&req) =>
        {
            return set_up_a_second_factor_first(&req);
        }
        Principal::AnonymousWeb if !SIGN_IN_PAGES.contains(&path) && is_page_visit(&req) => {
            return sign_in_first(&req);
        }
        _ => {}
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

async fn principal_of(state: &AppState, session: &Session) -> Result<Principal, AppError> {
    // Without a session cookie this reads nothing from the store.
    let identity = match session.get::<SessionIdentity>(SIGNED_IN).await {
        Ok(Some(identity)) => identity,
        Ok(None) => return Ok(Principal::AnonymousWeb),
        // Written by another version of Strata in a shape this one does not read: the session
        // has ended, not the server.
        Err(tower_sessions::session::Error::SerdeJson(e)) => {
            tracing::info!(error = %e, "session ended: unreadable identity");
            session.flush().await?;
            return Ok(Principal::AnonymousWeb);
        }
        Err(e) => return Err(e.into()),
    };
    let account = state.store.session_account(&identity.user).await?;
    let now = chrono::Utc::now().timestamp();
    match check(&identity, account, &state.session_rules, now) {
        Verdict::SignedIn { person, touch } => {
            if touch {
                // Saved with the response; it also slides the row's and the cookie's expiry.
                let seen = SessionIdentity {
                    last_seen: now,
                    ..identity
                };
                session.insert(SIGNED_IN, seen).await?;
            }
            Ok(Principal::Person(person))
        }
        Verdict::Ended(why) => {
            tracing::info!(user.id = %identity.user, why, "session ended");
            session.flush().await?;
            Ok(Principal::AnonymousWeb)
        }
    }
}

/// Anything but the static files the password page itself needs (`public/`; the bundle under
/// `/pkg/` skips this layer): pages, server functions and charts, whatever the client accepts.
fn reaches_data(req: &Request) -> bool {
    !STATIC_FILES.contains(&req.uri().path())
}

/// The files of `public/`.
const STATIC_FILES: [&str; 1] = ["/favicon.svg"];

/// A browser opening a page (not calling a server function or fetching a chart).
fn is_page_visit(req: &Request) -> bool {
    req.method() == Method::GET
        && wants_html(req.headers())
        && !req.uri().path().starts_with("/api/")
}

/// A visitor who has not signed in opens the sign-in page, which brings them back here. Every
/// use case refuses them anyway (`service::authorize`); this only saves a page of "sign in".
fn sign_in_first(req: &Request) -> Response {
    let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let to = format!(
        "{LOGIN_PAGE}?next={}",
        app::domain::text::percent_encode(here)
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// A page is sent to the password page; anything else is refused with the reason.
fn choose_a_password_first(req: &Request) -> Response {
    if req.method() == Method::GET && wants_html(req.headers()) {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, PASSWORD_PAGE)]).into_response();
    }
    let err = AppError::Conflict(
        "Choose a new password first: an administrator set a temporary one.".into(),
    );
    error_response(&err, wants_html(req.headers()), PASSWORD_PAGE)
}

/// A page is sent to the second factor's set-up; anything else is refused with the reason.
fn set_up_a_second_factor_first(req: &Request) -> Response {
    if req.method() == Method::GET && wants_html(req.headers()) {
        return (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, SECOND_FACTOR_PAGE)],
        )
            .into_response();
    }
    let err = AppError::Conflict(
        "Set up a second factor first: your organization requires one for your role.".into(),
    );
    error_response(&err, wants_html(req.headers()), SECOND_FACTOR_PAGE)
}
