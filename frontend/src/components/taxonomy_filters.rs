//! The filters of the two directories (organisations and mentors): a topic,
//! an activity type and a locality. The selects apply at once; the locality
//! applies after a pause in typing, or at once on Enter.

use std::time::Duration;

use leptos::prelude::*;
use shared::taxonomy::{ActivityType, Topic};

use crate::components::taxonomy_select::TaxonomySelect;

/// Wait for a pause in typing rather than ask the server on every key.
const LOCALITY_DELAY: Duration = Duration::from_millis(350);

#[component]
pub fn DirectoryFilters(
    /// Names the search landmark, e.g. "Filter organisations".
    name: &'static str,
    topic_label: &'static str,
    activity_label: &'static str,
    locality_label: &'static str,
    topic: RwSignal<Option<Topic>>,
    activity_type: RwSignal<Option<ActivityType>>,
    /// The applied locality; the text box follows it, not the other way round.
    locality: RwSignal<String>,
) -> impl IntoView {
    let draft = RwSignal::new(locality.get_untracked());
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let clear_timer = move || {
        if let Some(t) = timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    };
    on_cleanup(clear_timer);

    let apply = move || {
        clear_timer();
        if let (Some(text), Some(applied)) =
            (draft.try_get_untracked(), locality.try_get_untracked())
        {
            let text = text.trim().to_owned();
            if applied != text {
                locality.set(text);
            }
        }
    };

    let on_input = move |ev| {
        draft.set(event_target_value(&ev));
        clear_timer();
        if let Ok(handle) = set_timeout_with_handle(apply, LOCALITY_DELAY) {
            timer.set_value(Some(handle));
        }
    };

    let clear = move |_| {
        clear_timer();
        topic.set(None);
        activity_type.set(None);
        draft.set(String::new());
        locality.set(String::new());
    };

    view! {
        <form
            class="directory-filters"
            role="search"
            aria-label=name
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                apply();
            }
        >
            <TaxonomySelect id="filter-topic" value=topic empty_label="Any topic">
                {topic_label}
            </TaxonomySelect>
            <TaxonomySelect id="filter-activity-type" value=activity_type empty_label="Any activity">
                {activity_label}
            </TaxonomySelect>
            <div class="field">
                <label for="filter-locality">{locality_label}</label>
                <input
                    id="filter-locality"
                    name="locality"
                    type="search"
                    autocomplete="address-level2"
                    spellcheck="false"
                    prop:value=move || draft.get()
                    on:input=on_input
                />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button secondary" id="filter-apply">
                    "Filter"
                </button>
                <button type="button" class="link-button" id="filter-clear" on:click=clear>
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}
