//! One person: their roles (revoke, grant), their account (disable with a new owner of what
//! they own, enable, reset the password). Plain forms, with or without JavaScript; a temporary
//! password is shown here once.

use super::role_choices::{roles, teams, TEAM_HINT};
use crate::api::admin::{
    get_person, list_people, person_page, GrantRole, ResetPersonPassword, RevokeRole,
    SetPersonDisabled,
};
use crate::api::flash::take_flash;
use crate::api::workloads::get_teams;
use crate::components::notice::{DoneNotice, ErrorNotice, FormMessage};
use crate::components::select_field::SelectField;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let person = Resource::new_blocking(id, get_person);
    let people = Resource::new_blocking(|| (), |_| list_people());
    let all_teams = Resource::new_blocking(|| (), |_| get_teams());
    let flash = Resource::new_blocking(id, |id| take_flash(person_page(&id)));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (person.await, people.await, all_teams.await, flash.await) {
                    (Ok(p), Ok(people), Ok(all_teams), Ok(flash)) => {
                        let (values, errors, message, notice) = match flash {
                            Some(f) => (f.values, f.errors, f.message, f.notice),
                            None => (crate::dto::FormValues::Fields(Vec::new()), Default::default(), None, None),
                        };
                        let error = |f: &str| errors.get(f).map(String::from);
                        let id = p.id.0.clone();
                        let others: Vec<(String, String)> = people
                            .iter()
                            .filter(|o| o.id != p.id && !o.disabled)
                            .map(|o| (o.id.0.clone(), format!("{} <{}>", o.name, o.email)))
                            .collect();
                        let account = if p.disabled {
                            view! {
                                <form method="post" action=SetPersonDisabled::url() class="inline-form">
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <input type="hidden" name="disabled" value="false"/>
                                    <button type="submit" data-testid="enable">"Enable the account"</button>
                                </form>
                            }.into_any()
                        } else {
                            view! {
                                <form method="post" action=SetPersonDisabled::url() class="account-form">
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <input type="hidden" name="disabled" value="true"/>
                                    <SelectField name="new_owner" label="New owner of the workloads they own" bare=true
                                        value=values.field("new_owner") options=others placeholder="(they own none)"
                                        error=error("new_owner")/>
                                    <button type="submit" data-testid="disable">"Disable the account"</button>
                                </form>
                            }.into_any()
                        };
                        view! {
                            <Title text=p.name.clone()/>
                            <h1 data-testid="person-name">{p.name.clone()}</h1>
                            <p class="lead">{p.email.clone()} {p.disabled.then_some(" · disabled")}</p>
                            <DoneNotice notice/>
                            <FormMessage message/>
                            <h2>"Roles"</h2>
                            <ul class="grants" data-testid="grants">
                                {p.grants.iter().map(|g| view! {
                                    <li>
                                        {g.label.clone()} " "
                                        <form method="post" action=RevokeRole::url() class="inline-form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <input type="hidden" name="role" value=g.role.clone()/>
                                            <input type="hidden" name="team_id" value=g.team_id.clone()/>
                                            <button type="submit" class="secondary">"Revoke"</button>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <form method="post" action=GrantRole::url() class="account-form" data-testid="grant">
                                <input type="hidden" name="id" value=id.clone()/>
                                <SelectField name="role" label="Role" bare=true value=values.field("role")
                                    options=roles() placeholder="Choose a role" error=error("role")/>
                                <SelectField name="team_id" label="Team" bare=true value=values.field("team_id")
                                    options=teams(&all_teams) placeholder="Whole organization" hint=TEAM_HINT
                                    error=error("team_id")/>
                                <button type="submit">"Grant the role"</button>
                            </form>
                            <h2>"Account"</h2>
                            {account}
                            <p data-testid="second-factor">{if p.second_factor {
                                "Second factor: on. Resetting the password also removes it, for a person who lost their device."
                            } else {
                                "Second factor: off."
                            }}</p>
                            <form method="post" action=ResetPersonPassword::url() class="inline-form">
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" data-testid="reset-password">"Reset the password"</button>
                            </form>
                            <p><a href="/admin/people">"All people"</a></p>
                        }.into_any()
                    }
                    (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
                        view! { <ErrorNotice error=e/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
