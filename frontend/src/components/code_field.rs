//! A labelled field for a code from an authenticator app, or a recovery
//! code: plain text (recovery codes have letters, so no numeric keypad),
//! offered by the browser as a one-time code, never corrected or
//! capitalised, with an optional hint and its own error message.

use leptos::prelude::*;

use super::field::described_by;

/// Long enough for a recovery code typed with spaces (`abcd-efgh-2345`).
const MAX_CHARS: &str = "32";

#[component]
pub fn CodeField(
    /// The DOM id; the hint and error ids are derived from it.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Shown under the input and read out with it.
    #[prop(optional, into)]
    hint: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(
        hint.as_ref().map(|_| hint_id.clone()),
        error_id.clone(),
        error,
    );
    view! {
        <div class="field code-field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="text"
                class="code-input"
                autocomplete="one-time-code"
                autocapitalize="none"
                spellcheck="false"
                maxlength=MAX_CHARS
                required
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
