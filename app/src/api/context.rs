//! Server-side plumbing of server functions: `call` runs a use case for the request — the one
//! place where a server function gets its store and caller, and where an error gets its HTTP
//! status, so no server function has to remember either.

use crate::domain::Principal;
use crate::error::AppError;
use crate::ports::SharedStore;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::future::Future;

/// What a use case runs with: the store and who is asking.
pub struct Caller {
    pub store: SharedStore,
    pub principal: Principal,
}

/// Runs `use_case` for the current request and sets the response status of its error. Pages
/// call server functions during rendering, so this also sets the status of a page.
pub async fn call<T, F, Fut>(use_case: F) -> Result<T, AppError>
where
    F: FnOnce(Caller) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = match caller() {
        Ok(c) => use_case(c).await,
        Err(e) => Err(e),
    };
    with_status(result)
}

/// Sets the status of the error, if any, on the response.
fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        set_status(e.status());
    }
    result
}

fn caller() -> Result<Caller, AppError> {
    let store = use_context::<SharedStore>()
        .ok_or_else(|| AppError::Internal(crate::error::log_internal("no store in context")))?;
    let principal = use_context::<http::request::Parts>()
        .map(|p| principal(&p.extensions))
        .unwrap_or(Principal::AnonymousWeb);
    Ok(Caller { store, principal })
}

/// Who is asking, from the request: the one place that reads it, for server functions, pages
/// and the server's own routes. The server's session check (`server/src/identity.rs`) puts the
/// signed-in person there; a request it did not vouch for is anonymous.
pub fn principal(request: &http::Extensions) -> Principal {
    request
        .get::<Principal>()
        .cloned()
        .unwrap_or(Principal::AnonymousWeb)
}

/// The password hasher the server provides.
pub fn hasher() -> Result<crate::ports::SharedHasher, AppError> {
    use_context::<crate::ports::SharedHasher>()
        .ok_or_else(|| AppError::Internal(crate::error::log_internal("no hasher in context")))
}

/// The fingerprint of the key that signs audit checkpoints (the audit page shows it).
#[derive(Clone, Debug)]
pub struct SigningKeyFingerprint(pub String);

/// The heads the server's signed daily checkpoints vouch for (`serve` provides them, read
/// from the data folder when asked): the audit page's verification checks that the chain
/// still reaches each, so a chain recomputed or cut in the database alone is found there too.
#[derive(Clone)]
pub struct CheckpointAnchors(
    pub std::sync::Arc<dyn Fn() -> Vec<crate::domain::audit_chain::Anchor> + Send + Sync>,
);

/// The anchors of the server's checkpoints; none when it signs none (tests, tasks).
pub fn checkpoint_anchors() -> Vec<crate::domain::audit_chain::Anchor> {
    use_context::<CheckpointAnchors>().map_or_else(Vec::new, |a| (a.0)())
}

/// The session rules the server runs with.
pub fn session_rules() -> Result<crate::service::sessions::SessionRules, AppError> {
    use_context::<crate::service::sessions::SessionRules>().ok_or_else(|| {
        AppError::Internal(crate::error::log_internal("no session rules in context"))
    })
}

/// Sets the response status of the current request.
pub fn set_status(code: u16) {
    if let (Some(opts), Ok(code)) = (
        use_context::<ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        opts.set_status(code);
    }
}

/// The address of the client, as the server decided it (`client_address.rs`): what limits
/// per client count by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// The current request's client address; "unknown" when the server did not attach one.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// The request's session, for one-shot flashes.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| AppError::Internal(crate::error::log_internal(format!("no session: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::one_of_each;

    #[test]
    fn every_error_sets_its_status_on_the_response() {
        for err in one_of_each() {
            let owner = Owner::new();
            owner.set();
            let response = ResponseOptions::default();
            provide_context(response.clone());
            let expected = err.status();
            assert_eq!(
                with_status::<()>(Err(err)).map_err(|e| e.status()),
                Err(expected)
            );
            let set = response
                .0
                .read()
                .ok()
                .and_then(|p| p.status)
                .map(|s| s.as_u16());
            assert_eq!(set, Some(expected));
        }
    }

    #[test]
    fn success_leaves_the_status_alone() {
        let owner = Owner::new();
        owner.set();
        let response = ResponseOptions::default();
        provide_context(response.clone());
        assert_eq!(with_status(Ok(7)), Ok(7));
        assert!(response.0.read().ok().and_then(|p| p.status).is_none());
    }
}
