//! The HTML shell and the router: every page route renders in order so that its content is in
//! the first response and works without JavaScript (toolchain §14).

use crate::components::{nav::Nav, notice::NotFound};
use crate::pages::account::{CodePage, LoginPage, PasswordPage, SecondFactorPage};
use crate::pages::admin::{PeoplePage, PersonPage, TeamsPage};
use crate::pages::catalog::CatalogPage;
use crate::pages::home::HomePage;
use crate::pages::workloads::{EditWorkloadPage, NewWorkloadPage, WorkloadListPage, WorkloadPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    // The versioned folder the server names the bundle by (server/src/assets.rs).
    let stylesheet = format!("/{}/strata.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="strata" href=stylesheet/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sends a Content-Security-Policy with this response's nonce: only our own scripts (the
/// hydration loader carries the nonce; what it loads is trusted through 'strict-dynamic'),
/// wasm, our stylesheet, no plugins, no framing, forms only to ourselves.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(opts), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        opts.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: navigation and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|t: String| if t.is_empty() { "Strata".to_string() } else { format!("{t} · Strata") }/>
        <Router>
            <Nav/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound what="This page"/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::InOrder/>
                    <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/account/second-factor") view=SecondFactorPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/login/code") view=CodePage ssr=SsrMode::InOrder/>
                    <Route path=path!("/admin/people") view=PeoplePage ssr=SsrMode::InOrder/>
                    <Route path=path!("/admin/people/:id") view=PersonPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/admin/teams") view=TeamsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/audit") view=crate::pages::audit::AuditPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/review") view=crate::pages::review::ReviewPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/workloads") view=WorkloadListPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/workloads/new") view=NewWorkloadPage ssr=SsrMode::InOrder/>
                    <Route path=path!("/workloads/:id") view=WorkloadPage ssr=SsrMode::InOrder/>
                    <Route
                        path=path!("/workloads/:id/attest/:control")
                        view=crate::pages::workloads::AttestPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/workloads/:id/edit")
                        view=EditWorkloadPage
                        ssr=SsrMode::InOrder
                    />
                </Routes>
            </main>
        </Router>
    }
}
