//! Setting up the second factor: a QR code and the same key as text for the authenticator
//! app, a code from the app to finish, then the recovery codes, shown once. Turning it off asks
//! for the password. Plain forms: they post to server functions with or without JavaScript.

use crate::api::flash::take_flash;
use crate::api::second_factor::{
    second_factor_status, ConfirmSecondFactor, RemoveSecondFactor, StartSecondFactor,
    SECOND_FACTOR_PAGE,
};
use crate::components::field::TextField;
use crate::components::notice::{DoneNotice, ErrorNotice, FormMessage};
use crate::domain::FieldErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let flash = Resource::new_blocking(|| (), |_| take_flash(SECOND_FACTOR_PAGE.into()));
    let status = Resource::new_blocking(|| (), |_| second_factor_status());
    view! {
        <Title text="Second factor"/>
        <h1>"Second factor"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (flash.await, status.await) {
                    (Ok(flash), Ok(status)) => {
                        let (errors, message, notice, codes) = match flash {
                            Some(f) => (f.errors, f.message, f.notice, f.shown_once),
                            None => (FieldErrors::default(), None, None, Vec::new()),
                        };
                        let error = |f: &str| errors.get(f).map(String::from);
                        let must = (status.required && !status.enrolled).then(|| view! {
                            <div class="notice" role="status" data-testid="must-enrol">
                                <p>"Your organization requires a second factor for your role. Set it up to go on."</p>
                            </div>
                        });
                        let codes = (!codes.is_empty()).then(|| view! {
                            <ol class="recovery-codes" data-testid="recovery-codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ol>
                        });
                        let body = if status.enrolled {
                            let off = (!status.required).then(|| view! {
                                <h2>"Turn it off"</h2>
                                <form method="post" action=RemoveSecondFactor::url() class="account-form" data-testid="remove-second-factor">
                                    <TextField name="password" label="Your password" value="" bare=true required=true
                                        input_type="password" autocomplete="current-password" error=error("password")/>
                                    <button type="submit" class="secondary">"Turn off the second factor"</button>
                                </form>
                            });
                            view! {
                                <p data-testid="second-factor-on">
                                    {format!(
                                        "On: signing in asks for a code from your authenticator app. \
                                         Recovery codes left: {}.",
                                        status.recovery_codes_left
                                    )}
                                </p>
                                {off}
                            }.into_any()
                        } else if let Some(enrolment) = status.pending {
                            view! {
                                <ol class="steps">
                                    <li>
                                        "Scan this code with an authenticator app (any app for time-based one-time codes):"
                                        <div class="qr-code" data-testid="qr-code" inner_html=enrolment.qr_svg></div>
                                        "or type this key into it: "
                                        <code class="secret" data-testid="totp-secret">{enrolment.secret}</code>
                                    </li>
                                    <li>"Type the six-digit code the app shows for Strata, and your password:"</li>
                                </ol>
                                <form method="post" action=ConfirmSecondFactor::url() class="account-form" data-testid="confirm-second-factor">
                                    <TextField name="password" label="Your password" value="" bare=true required=true
                                        input_type="password" autocomplete="current-password" error=error("password")/>
                                    <TextField name="code" label="Code from the app" value="" bare=true required=true
                                        autocomplete="one-time-code" error=error("code")/>
                                    <button type="submit">"Turn on the second factor"</button>
                                </form>
                                <form method="post" action=StartSecondFactor::url() class="inline-form">
                                    <button type="submit" class="secondary">"Start again with a new key"</button>
                                </form>
                            }.into_any()
                        } else {
                            view! {
                                <p data-testid="second-factor-off">
                                    "Off: signing in asks for your password only. With a second factor, it \
                                     also asks for a code from an app on your phone, so a stolen password \
                                     is not enough."
                                </p>
                                <form method="post" action=StartSecondFactor::url() class="inline-form">
                                    <button type="submit" data-testid="start-second-factor">"Set up a second factor"</button>
                                </form>
                            }.into_any()
                        };
                        view! {
                            {must}
                            <DoneNotice notice/>
                            {codes}
                            <FormMessage message/>
                            {body}
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
