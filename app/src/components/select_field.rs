//! A labelled select with its error message beside it.

use leptos::prelude::*;

/// A select named `form[<name>]` over `(code, label)` options; `value` is the chosen code.
#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let invalid = error.is_some().then_some("true");
    let described = error.as_ref().map(|_| error_id.clone());
    let chosen = value.clone();
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=format!("form[{name}]") aria-invalid=invalid aria-describedby=described>
                {placeholder.map(|p| view! { <option value="" selected=value.is_empty()>{p}</option> })}
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let selected = code == chosen;
                        view! { <option value=code selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// Options for a coded enum, from its `ALL`, `code()` and `label()`.
#[macro_export]
macro_rules! enum_options {
    ($ty:ty) => {
        <$ty>::ALL
            .iter()
            .map(|v| (v.code().to_string(), v.label().to_string()))
            .collect::<Vec<(String, String)>>()
    };
}
