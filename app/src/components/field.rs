//! A labelled text input or text area with its error message beside it.

use leptos::prelude::*;

/// A text field named `form[<name>]` (or `<name>` when `bare`, for a server function whose
/// arguments are plain fields), showing `error` next to it when there is one. `input_type`
/// (default `text`) and `autocomplete` let password managers recognise sign-in fields.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    error: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] max: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] bare: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = [
        error.as_ref().map(|_| error_id.clone()),
        hint.as_ref().map(|_| hint_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some().then_some("true");
    let input_name = if bare {
        name.clone()
    } else {
        format!("form[{name}]")
    };
    let input_type = input_type.unwrap_or("text");
    let maxlength = max.map(|m| m.to_string());
    let control = if multiline {
        let value = textarea_text(value);
        view! {
            <textarea id=id.clone() name=input_name rows="3" maxlength=maxlength
                aria-invalid=invalid aria-describedby=described>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=input_type name=input_name value=value maxlength=maxlength
                required=required autocomplete=autocomplete aria-invalid=invalid
                aria-describedby=described/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id>{label}</label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// Text for inside a `<textarea>`. Leptos writes a textarea's children unescaped on the server
/// (it treats the element as raw text), so the server escapes them itself; the browser decodes
/// the entities back into exactly what was typed. In the browser a text node is made directly,
/// which needs no escaping.
fn textarea_text(value: String) -> String {
    if cfg!(feature = "ssr") {
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        value
    }
}
