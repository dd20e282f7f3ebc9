//! A fieldset of checkboxes over one vocabulary of the taxonomy (e.g. every
//! activity type), holding the ticked ones in the vocabulary's own order.

use leptos::prelude::*;

use crate::components::taxonomy_select::{Vocabulary, described_by};

#[component]
pub fn TaxonomyCheckboxes<T: Vocabulary>(
    /// Each checkbox is `{id_prefix}-{slug}`; the error is `{id_prefix}-error`.
    id_prefix: &'static str,
    legend: &'static str,
    value: RwSignal<Vec<T>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let hint_id = format!("{id_prefix}-hint");
    let error_id = format!("{id_prefix}-error");
    let describe = described_by(
        hint.as_ref().map(|_| hint_id.clone()),
        error_id.clone(),
        error,
    );
    let boxes = T::all()
        .iter()
        .copied()
        .map(|v| {
            let id = format!("{id_prefix}-{}", v.slug());
            view! {
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=id_prefix
                        value=v.slug()
                        prop:checked=move || value.with(|all| all.contains(&v))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            value
                                .update(|all| {
                                    all.retain(|x| *x != v);
                                    if on {
                                        all.push(v);
                                        // Keep the vocabulary's order, whatever the clicking order.
                                        let order = |x: &T| T::all().iter().position(|y| y == x);
                                        all.sort_by_key(order);
                                    }
                                });
                        }
                    />
                    <label for=id>{v.label()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="checkbox-group"
            class:has-error=move || error.with(Option::is_some)
            aria-describedby=describe
        >
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <div class="checkbox-grid">{boxes}</div>
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </fieldset>
    }
}
