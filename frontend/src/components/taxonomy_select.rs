//! A labelled `<select>` over one vocabulary of the taxonomy (topics,
//! activity types, priorities, depths, sizes), and the `Vocabulary` trait
//! that lets one component serve them all.

use leptos::prelude::*;
use shared::taxonomy::{ActivityType, Depth, OrganisationSize, Priority, Topic};

/// What the taxonomy's enums have in common (`shared::taxonomy` gives each
/// the same inherent methods; the trait names them once for generic code).
pub trait Vocabulary: Copy + Eq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn slug(self) -> &'static str;
    fn label(self) -> &'static str;

    fn parse(slug: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.slug() == slug)
    }
}

macro_rules! vocabulary {
    ($($t:ident),+) => {$(
        impl Vocabulary for $t {
            fn all() -> &'static [Self] {
                $t::ALL
            }
            fn slug(self) -> &'static str {
                $t::slug(self)
            }
            fn label(self) -> &'static str {
                $t::label(self)
            }
        }
    )+};
}

vocabulary!(Topic, ActivityType, Priority, Depth, OrganisationSize);

/// The ids an input's `aria-describedby` lists: its hint, and its error while there is one.
pub fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: MaybeProp<String>,
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

/// A select whose label is its children (so a label can carry visually
/// hidden words, e.g. "Priority<hidden> for Safeguarding</hidden>").
/// With `empty_label` the first option means "none" and maps to `None`;
/// without it, `value` should start as `Some`.
#[component]
pub fn TaxonomySelect<T: Vocabulary>(
    #[prop(into)] id: String,
    value: RwSignal<Option<T>>,
    #[prop(optional)] empty_label: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let describe = described_by(
        hint.as_ref().map(|_| hint_id.clone()),
        error_id.clone(),
        error,
    );
    let options = T::all()
        .iter()
        .copied()
        .map(|v| {
            view! {
                <option value=v.slug() prop:selected=move || value.get() == Some(v)>
                    {v.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id.clone()>{children()}</label>
            <select
                id=id.clone()
                name=id
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=describe
                on:change=move |ev| value.set(T::parse(&event_target_value(&ev)))
            >
                {empty_label
                    .map(|l| {
                        view! {
                            <option value="" prop:selected=move || value.with(Option::is_none)>
                                {l}
                            </option>
                        }
                    })}
                {options}
            </select>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
