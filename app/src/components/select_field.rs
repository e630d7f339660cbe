//! A labelled select with its error message beside it.

use leptos::prelude::*;

/// A select named `form[<name>]` (or `<name>` when `bare`) over `(code, label)` options;
/// `value` is the chosen code.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] bare: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let invalid = error.is_some().then_some("true");
    let described = [
        error.as_ref().map(|_| error_id.clone()),
        hint.map(|_| hint_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let chosen = value.clone();
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=if bare { name.clone() } else { format!("form[{name}]") } aria-invalid=invalid aria-describedby=described>
                {placeholder.map(|p| view! { <option value="" selected=value.is_empty()>{p}</option> })}
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let selected = code == chosen;
                        view! { <option value=code selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}
