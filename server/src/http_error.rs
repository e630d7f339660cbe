//! `AppError` as the answer of a plain axum route, with the status the variant has everywhere,
//! and the HTML page a browser without JavaScript gets when a form post fails.

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// An error answered by an axum route.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (status_of(&self.0), self.0.to_string()).into_response()
    }
}

/// Largest error body read back from a server function (its encoded `AppError`).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// True when the browser asked for HTML (a page, or a form posted without JavaScript).
pub fn wants_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// A form posted without JavaScript (the browser asks for HTML) whose server function failed
/// would otherwise end on the encoded error: it gets an HTML page with the error's status, its
/// message and a way back instead.
pub async fn html_for_failed_forms(req: Request, next: Next) -> Response {
    let wants_html = req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && wants_html(req.headers());
    let back = back_link(req.headers());
    let res = next.run(req).await;
    if !wants_html || res.status().as_u16() < 400 {
        return res;
    }
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    let message = serde_json::from_slice::<AppError>(&bytes)
        .map(|e| e.to_string())
        .unwrap_or_else(|_| {
            status
                .canonical_reason()
                .unwrap_or("The request failed")
                .to_string()
        });
    error_page(status, &message, &back)
}

/// The page to go back to: the Referer's path, or the home page.
pub fn back_link(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(same_site_path)
        .unwrap_or_else(|| "/".into())
}

/// The path of a Referer, so that "back" never leaves the site.
fn same_site_path(referer: &str) -> Option<String> {
    let rest = referer.split_once("://").map_or(referer, |(_, r)| r);
    let path = &rest[rest.find('/')?..];
    // `//host` and `/\host` lead off the site in browsers.
    let safe =
        !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control);
    safe.then(|| path.to_string())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `err` with its status: an HTML page for a browser that asked for HTML, else the encoded error
/// (what a server function's caller decodes).
pub fn error_response(err: &AppError, html: bool, back: &str) -> Response {
    let status = status_of(err);
    if html {
        return error_page(status, &err.to_string(), back);
    }
    let body = serde_json::to_string(err).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The HTML error page: `status`, its message and a way back.
pub fn error_page(status: StatusCode, message: &str, back: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Strata</title>\
         <link rel=\"stylesheet\" href=\"/pkg/strata.css\"></head><body><main>\
         <section class=\"notice notice-error\" role=\"alert\" data-testid=\"error-page\">\
         <h1>{title}</h1><p>{}</p><p><a href=\"{}\">Go back</a></p></section></main></body></html>",
        escape(message),
        escape(back)
    );
    // Its headers (no-store with the rest) come from `headers.rs`, as for every response.
    (status, Html(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_answers_a_route_with_its_status() {
        let all = [
            AppError::BadRequest("x".into()),
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound("x".into()),
            AppError::Validation(Default::default()),
            AppError::Conflict("x".into()),
            AppError::TooManyAttempts,
            AppError::Internal("r".into()),
            AppError::Unavailable,
        ];
        for e in all {
            let expected = e.status();
            assert_eq!(ApiError(e).into_response().status().as_u16(), expected);
        }
    }

    #[test]
    fn back_links_stay_on_the_site() {
        assert_eq!(
            same_site_path("http://127.0.0.1:3000/workloads/x").as_deref(),
            Some("/workloads/x")
        );
        assert_eq!(same_site_path("http://evil.example//other"), None);
        assert_eq!(same_site_path("http://127.0.0.1:3000/\\evil.example"), None);
        assert_eq!(same_site_path("garbage"), None);
    }
}
