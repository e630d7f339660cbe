//! The second step of signing in: a code of the person's authenticator app, or one of their
//! recovery codes. A plain form: it posts to `verify_second_factor` with or without JavaScript.

use crate::api::accounts::LOGIN_PAGE;
use crate::api::flash::take_flash;
use crate::api::second_factor::{pending_sign_in, VerifySecondFactor, CODE_PAGE};
use crate::components::field::TextField;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn CodePage() -> impl IntoView {
    let flash = Resource::new_blocking(|| (), |_| take_flash(CODE_PAGE.into()));
    let pending = Resource::new_blocking(|| (), |_| pending_sign_in());
    view! {
        <Title text="Sign in: code"/>
        <h1>"Sign in"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (flash.await, pending.await) {
                    (Ok(_), Ok(None)) => view! {
                        <p data-testid="no-pending-sign-in">
                            "No sign-in is waiting for a code here. " <a href=LOGIN_PAGE>"Sign in"</a>
                        </p>
                    }.into_any(),
                    (Ok(flash), Ok(Some(email))) => {
                        let (errors, message) = match flash {
                            Some(f) => (f.errors, f.message),
                            None => (FieldErrors::default(), None),
                        };
                        view! {
                            <p>{format!("Signing in as {email}.")}</p>
                            <FormMessage message/>
                            <form method="post" action=VerifySecondFactor::url() class="account-form" data-testid="code-form">
                                <TextField name="code" label="Code" value="" bare=true required=true
                                    autocomplete="one-time-code"
                                    hint="The six-digit code your authenticator app shows, or one of your recovery codes."
                                    error=errors.get("code").map(String::from)/>
                                <button type="submit">"Sign in"</button>
                            </form>
                            <p><a href=LOGIN_PAGE>"Start again"</a></p>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
