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

/// The page where a person with a temporary password chooses their own.
pub const PASSWORD_PAGE: &str = "/account/password";

/// What a person with a temporary password may still reach: choosing a new one, signing out,
/// and what those pages need.
const WHILE_PASSWORD_MUST_CHANGE: [&str; 6] = [
    PASSWORD_PAGE,
    "/api/change_password",
    "/api/sign_out",
    "/api/take_flash",
    "/api/me",
    "/login",
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
    if let Principal::Person(p) = &principal {
        if p.must_change_password && !WHILE_PASSWORD_MUST_CHANGE.contains(&path) {
            return choose_a_password_first(&req);
        }
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

async fn principal_of(state: &AppState, session: &Session) -> Result<Principal, AppError> {
    // Without a session cookie this reads nothing from the store.
    let Some(identity) = session.get::<SessionIdentity>(SIGNED_IN).await? else {
        return Ok(Principal::AnonymousWeb);
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
