//! The people of the organization with their roles, and adding a person. Plain forms: they
//! post to server functions with or without JavaScript.

use super::role_choices::{roles, teams, TEAM_HINT};
use crate::api::admin::{
    list_people, security_settings, AddPerson, SetSecondFactorRequired, PEOPLE_PAGE,
};
use crate::api::flash::take_flash;
use crate::api::workloads::get_teams;
use crate::components::field::TextField;
use crate::components::notice::{DoneNotice, ErrorNotice, FormMessage};
use crate::components::select_field::SelectField;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let people = Resource::new_blocking(|| (), |_| list_people());
    let all_teams = Resource::new_blocking(|| (), |_| get_teams());
    let flash = Resource::new_blocking(|| (), |_| take_flash(PEOPLE_PAGE.into()));
    let settings = Resource::new_blocking(|| (), |_| security_settings());
    view! {
        <Title text="People"/>
        <h1>"People"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (people.await, all_teams.await, flash.await, settings.await) {
                    (Ok(people), Ok(all_teams), Ok(flash), Ok(settings)) => {
                        let (values, errors, message, notice) = match flash {
                            Some(f) => (f.values, f.errors, f.message, f.notice),
                            None => (crate::dto::FormValues::Fields(Vec::new()), Default::default(), None, None),
                        };
                        let required = settings.second_factor_required;
                        let (setting, toggle, value) = if required {
                            ("Administrators and security leads must use a second factor.", "Make it optional", "false")
                        } else {
                            ("A second factor is optional for everyone.", "Require it of administrators and security leads", "true")
                        };
                        let error = |f: &str| errors.get(f).map(String::from);
                        view! {
                            <DoneNotice notice/>
                            <table class="data-table" data-testid="people">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Email"</th>
                                    <th scope="col">"Roles"</th><th scope="col">"Account"</th>
                                    <th scope="col">"Second factor"</th>
                                </tr></thead>
                                <tbody>
                                    {people.into_iter().map(|p| {
                                        let status = if p.disabled { "Disabled" } else if !p.has_password { "No password yet" } else if p.must_change_password { "Temporary password" } else { "Active" };
                                        let roles = if p.grants.is_empty() { "—".to_string() } else { p.grants.iter().map(|g| g.label.clone()).collect::<Vec<_>>().join("; ") };
                                        view! {
                                            <tr>
                                                <td><a href=crate::api::admin::person_page(p.id.as_str())>{p.name}</a></td>
                                                <td>{p.email}</td><td>{roles}</td><td>{status}</td>
                                                <td>{if p.second_factor { "On" } else { "—" }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Add a person"</h2>
                            <FormMessage message/>
                            <form method="post" action=AddPerson::url() class="account-form" data-testid="add-person">
                                <TextField name="name" label="Name" value=values.field("name") required=true error=error("name")/>
                                <TextField name="email" label="Email" value=values.field("email") required=true
                                    input_type="email" error=error("email")/>
                                <SelectField name="role" label="Role" value=values.field("role") options=roles()
                                    placeholder="Choose a role" error=error("role")/>
                                <SelectField name="team_id" label="Team" value=values.field("team_id") options=teams(&all_teams)
                                    placeholder="Whole organization" hint=TEAM_HINT error=error("team_id")/>
                                <button type="submit">"Add person"</button>
                            </form>
                            <h2>"Second factor"</h2>
                            <p data-testid="second-factor-setting">{setting}</p>
                            <form method="post" action=SetSecondFactorRequired::url() class="inline-form">
                                <input type="hidden" name="required" value=value/>
                                <button type="submit" class="secondary" data-testid="toggle-second-factor">{toggle}</button>
                            </form>
                        }.into_any()
                    }
                    (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
