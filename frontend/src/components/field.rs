//! A labelled text input with an optional hint and its own error message.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The DOM id; the label, hint and error ids are derived from it.
    id: &'static str,
    label: &'static str,
    #[prop(into)] input_type: Signal<&'static str>,
    autocomplete: &'static str,
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
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=move || input_type.get()
                autocomplete=autocomplete
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

/// `aria-describedby` for a field: its hint (when it has one), then its
/// error while there is one; nothing when neither.
pub fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids: Vec<&str> = Vec::new();
        if let Some(h) = hint_id.as_deref() {
            ids.push(h);
        }
        if error.with(Option::is_some) {
            ids.push(&error_id);
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}
