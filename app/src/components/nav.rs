//! The site navigation, with who is signed in and the sign-out button.

use super::hydration_marker::HydrationMarker;
use crate::api::accounts::{current_person, SignOut, LOGIN_PAGE, PASSWORD_PAGE};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Top navigation bar: plain links (every page is rendered by the server).
#[component]
pub fn Nav() -> impl IntoView {
    let signed_in = Resource::new_blocking(|| (), |_| current_person());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <nav aria-label="Main">
                <a class="brand" href="/">"Strata"</a>
                <a href="/">"Overview"</a>
                <a href="/workloads">"Workloads"</a>
                <a href="/catalog">"Catalog"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match signed_in.await {
                        Ok(Some(me)) => view! {
                            {me.may_register.then(|| view! { <a href="/workloads/new">"Register a workload"</a> })}
                            {me.may_administer.then(|| view! { <a href="/admin/people">"People"</a> " " <a href="/admin/teams">"Teams"</a> })}
                            {me.may_review.then(|| view! { <a href="/review">"Review queue"</a> })}
                            {me.may_read_audit.then(|| view! { <a href="/audit">"Audit log"</a> })}
                            <div class="account" data-testid="account">
                                <a href=PASSWORD_PAGE title=me.email.clone() data-testid="signed-in-name">{me.name}</a>
                                <form method="post" action=SignOut::url()>
                                    <button type="submit" class="link-button" data-testid="sign-out">"Sign out"</button>
                                </form>
                            </div>
                        }.into_any(),
                        _ => view! {
                            <div class="account"><a href=LOGIN_PAGE data-testid="sign-in-link">"Sign in"</a></div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            </nav>
            <HydrationMarker/>
        </header>
    }
}
