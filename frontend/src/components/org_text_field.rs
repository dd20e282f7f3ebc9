//! A labelled text input or textarea, required or optional, with a hint and
//! its own error: the text fields of the programme's forms (organisation
//! profile, needs, mentor profile). `components/field.rs` is the sign-in
//! forms' field, always required.

use leptos::prelude::*;

use crate::components::taxonomy_select::described_by;

/// A labelled text input or textarea with a hint and its own error.
#[component]
pub fn InputField(
    #[prop(into)] id: String,
    label: &'static str,
    /// Words after the label for screen readers only ("on Safeguarding"),
    /// where many fields share one visible label.
    #[prop(optional, into)]
    hidden_label: Option<String>,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let describe = described_by(
        hint.as_ref().map(|_| hint_id.clone()),
        error_id.clone(),
        error,
    );
    let invalid = move || error.with(Option::is_some).then_some("true");
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows="4"
                required=required
                aria-invalid=invalid
                aria-describedby=describe
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=id.clone()
                type="text"
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid
                aria-describedby=describe
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>
                {label}
                {hidden_label.map(|h| view! { <span class="visually-hidden">{h}</span> })}
            </label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
