//! Teams: add, rename, archive and restore. An archived team's workloads stay readable and
//! cannot change. Plain forms, with or without JavaScript.

use crate::api::admin::{all_teams, AddTeam, RenameTeam, SetTeamArchived, TEAMS_PAGE};
use crate::api::flash::take_flash;
use crate::components::field::TextField;
use crate::components::notice::{ErrorNotice, FormMessage};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let teams = Resource::new_blocking(|| (), |_| all_teams());
    let flash = Resource::new_blocking(|| (), |_| take_flash(TEAMS_PAGE.into()));
    view! {
        <Title text="Teams"/>
        <h1>"Teams"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (teams.await, flash.await) {
                    (Ok(teams), Ok(flash)) => {
                        let (values, errors, message) = match flash {
                            Some(f) => (f.values, f.errors, f.message),
                            None => (crate::dto::FormValues::Fields(Vec::new()), Default::default(), None),
                        };
                        view! {
                            <FormMessage message/>
                            <table class="data-table" data-testid="teams">
                                <thead><tr><th scope="col">"Team"</th><th scope="col">"Rename"</th><th scope="col">"State"</th></tr></thead>
                                <tbody>
                                    {teams.into_iter().map(|t| {
                                        let id = t.id.0.clone();
                                        let (state, verb, label) = if t.archived {
                                            ("Archived", "false", "Restore")
                                        } else {
                                            ("In use", "true", "Archive")
                                        };
                                        view! {
                                            <tr data-team=t.name.clone()>
                                                <td>{t.name.clone()}</td>
                                                <td>
                                                    <form method="post" action=RenameTeam::url() class="inline-form">
                                                        <input type="hidden" name="id" value=id.clone()/>
                                                        <label class="visually-hidden" for=format!("rename-{id}")>{format!("New name for {}", t.name)}</label>
                                                        <input id=format!("rename-{id}") type="text" name="name" value=t.name.clone() required=true maxlength="100"/>
                                                        <button type="submit" class="secondary">"Rename"</button>
                                                    </form>
                                                </td>
                                                <td>
                                                    {state} " "
                                                    <form method="post" action=SetTeamArchived::url() class="inline-form">
                                                        <input type="hidden" name="id" value=id/>
                                                        <input type="hidden" name="archived" value=verb/>
                                                        <button type="submit" class="secondary">{label}</button>
                                                    </form>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Add a team"</h2>
                            <form method="post" action=AddTeam::url() class="account-form" data-testid="add-team">
                                <TextField name="name" label="Team name" value=values.field("name") bare=true required=true
                                    max=100 error=errors.get("name").map(String::from)/>
                                <button type="submit">"Add team"</button>
                            </form>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
