//! Signing in. A plain form (no island): it posts to the `sign_in` server function with or
//! without JavaScript, and a refusal comes back here with the typed email.

use crate::api::accounts::{current_person, SignIn, LOGIN_PAGE};
use crate::api::flash::take_flash;
use crate::components::field::TextField;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form; `?next=/path` is where a successful sign-in goes.
#[component]
pub fn LoginPage() -> impl IntoView {
    // Read once, now: the page is rendered once per request, and the query's memo may be gone
    // by the time the suspended part below runs.
    let next_in_url = use_query_map()
        .get_untracked()
        .get("next")
        .unwrap_or_default();
    let flash = Resource::new_blocking(|| (), |_| take_flash(LOGIN_PAGE.into()));
    let signed_in = Resource::new_blocking(|| (), |_| current_person());
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let next_in_url = next_in_url.clone();
                Suspend::new(async move {
                match (flash.await, signed_in.await) {
                    (Ok(_), Ok(Some(me))) => view! {
                        <p data-testid="signed-in-as">
                            {format!("You are signed in as {} ({}).", me.name, me.email)}
                            " " <a href="/">"Go to the overview"</a>
                        </p>
                    }.into_any(),
                    (Ok(flash), Ok(None)) => {
                        let (email, next, errors, message) = match flash {
                            Some(f) => (f.values.field("email"), f.values.field("next"), f.errors, f.message),
                            None => (String::new(), next_in_url.clone(), FieldErrors::default(), None),
                        };
                        view! {
                            <FormMessage message/>
                            <form method="post" action=SignIn::url() class="account-form" data-testid="sign-in-form">
                                <input type="hidden" name="next" value=next/>
                                <TextField name="email" label="Email" value=email bare=true required=true
                                    input_type="email" autocomplete="username"
                                    error=errors.get("email").map(String::from)/>
                                <TextField name="password" label="Password" value="" bare=true required=true
                                    input_type="password" autocomplete="current-password"
                                    error=errors.get("password").map(String::from)/>
                                <button type="submit">"Sign in"</button>
                            </form>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
