//! Choosing a new password: the current one, the new one twice. A person whose password an
//! administrator set comes here first and can go nowhere else until they have chosen one.

use crate::api::accounts::{current_person, ChangePassword, LOGIN_PAGE, PASSWORD_PAGE};
use crate::api::flash::take_flash;
use crate::api::second_factor::SECOND_FACTOR_PAGE;
use crate::components::field::TextField;
use crate::components::notice::{ErrorNotice, FormMessage};
use crate::domain::password::MIN_CHARS;
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PasswordPage() -> impl IntoView {
    // Read once, now (see the sign-in page).
    let changed = use_query_map().get_untracked().get("changed").is_some();
    let flash = Resource::new_blocking(|| (), |_| take_flash(PASSWORD_PAGE.into()));
    let signed_in = Resource::new_blocking(|| (), |_| current_person());
    view! {
        <Title text="Change your password"/>
        <h1>"Change your password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (flash.await, signed_in.await) {
                    (Ok(_), Ok(None)) => view! {
                        <p>"Sign in to change your password. "
                            <a href=format!("{LOGIN_PAGE}?next={PASSWORD_PAGE}")>"Sign in"</a></p>
                    }.into_any(),
                    (Ok(flash), Ok(Some(me))) => {
                        let (errors, message) = match flash {
                            Some(f) => (f.errors, f.message),
                            None => (FieldErrors::default(), None),
                        };
                        let done = (changed && message.is_none()).then(|| view! {
                            <div class="notice notice-ok" role="status" data-testid="password-changed">
                                <p>"Your password was changed. Your other sessions have ended."</p>
                            </div>
                        });
                        let must = me.must_change_password.then(|| view! {
                            <div class="notice" role="status" data-testid="must-change">
                                <p>"An administrator set your password. Choose your own to go on."</p>
                            </div>
                        });
                        let hint = format!(
                            "At least {MIN_CHARS} characters; a few unrelated words work well. \
                             Common passwords are refused."
                        );
                        view! {
                            {done}
                            {must}
                            <FormMessage message/>
                            <form method="post" action=ChangePassword::url() class="account-form" data-testid="password-form">
                                <TextField name="current" label="Current password" value="" bare=true required=true
                                    input_type="password" autocomplete="current-password"
                                    error=errors.get("current").map(String::from)/>
                                <TextField name="new" label="New password" value="" bare=true required=true
                                    input_type="password" autocomplete="new-password" hint
                                    error=errors.get("new").map(String::from)/>
                                <TextField name="confirm" label="New password again" value="" bare=true required=true
                                    input_type="password" autocomplete="new-password"
                                    error=errors.get("confirm").map(String::from)/>
                                <button type="submit">"Change password"</button>
                            </form>
                            {(!me.must_change_password).then(|| view! {
                                <p><a href=SECOND_FACTOR_PAGE data-testid="second-factor-link">"Second factor (codes from an app at sign-in)"</a></p>
                            })}
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
