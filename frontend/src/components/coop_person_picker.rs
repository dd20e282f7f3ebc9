//! Choosing one person by name for a co-op (a coordinator): a search box,
//! the people found as buttons, and the choice shown with a way to change it.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::users::UserSummary;

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

/// The server refuses shorter queries; they would match almost everyone.
const MIN_QUERY_CHARS: usize = 2;
/// Wait for a pause in typing rather than search on every key.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

#[derive(Clone, Debug, PartialEq)]
enum Search {
    Idle,
    Searching,
    Found(Vec<UserSummary>),
    Failed(String),
}

#[component]
pub fn CoopPersonPicker(
    /// The search box's id; the status, hint and error ids derive from it.
    input_id: &'static str,
    label: &'static str,
    chosen: RwSignal<Option<UserSummary>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    /// People who may not be chosen (already coordinators).
    #[prop(optional, into)]
    exclude: Signal<Vec<i64>>,
) -> impl IntoView {
    let session = use_session();
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(Search::Idle);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    // Answers can come back out of order; only the newest search may show.
    let latest = StoredValue::new(0u64);
    let clear_timer = move || {
        if let Some(t) = timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    };
    on_cleanup(clear_timer);

    let run_search = move || {
        clear_timer();
        let (Some(q), Some(previous)) = (query.try_get_untracked(), latest.try_get_value()) else {
            return;
        };
        let q = q.trim().to_owned();
        if q.chars().count() < MIN_QUERY_CHARS {
            search.set(Search::Idle);
            return;
        }
        let ticket = previous + 1;
        latest.set_value(ticket);
        search.set(Search::Searching);
        spawn_local(async move {
            let result = api::list_users(&q).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(found) => search.set(Search::Found(found.users)),
                Err(e) => {
                    if !session.auth.check(&e) {
                        search.set(Search::Failed(e.message));
                    }
                }
            }
        });
    };

    let on_input = move |ev| {
        query.set(event_target_value(&ev));
        clear_timer();
        if let Ok(handle) = set_timeout_with_handle(run_search, SEARCH_DELAY) {
            timer.set_value(Some(handle));
        }
    };

    let status_id = format!("{input_id}-status");
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let results_id = format!("{input_id}-results");
    let change_id = format!("{input_id}-change");

    let status_text = move || match search.get() {
        Search::Idle => format!("Type at least {MIN_QUERY_CHARS} letters of a name."),
        Search::Searching => "Searching…".to_owned(),
        Search::Found(users) => match users.len() {
            0 => "No one found by that name.".to_owned(),
            1 => "1 person found: choose them below.".to_owned(),
            n => format!("{n} people found: choose one below."),
        },
        Search::Failed(message) => message,
    };
    let users = move || match search.get() {
        Search::Found(users) => {
            let exclude = exclude.get();
            users
                .into_iter()
                .filter(|u| !exclude.contains(&u.id))
                .collect()
        }
        _ => Vec::new(),
    };
    let described_by = {
        let ids = (status_id.clone(), hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut list = vec![ids.0.clone()];
            if has_hint {
                list.push(ids.1.clone());
            }
            if error.with(Option::is_some) {
                list.push(ids.2.clone());
            }
            list.join(" ")
        }
    };

    let choose = move |user: UserSummary| {
        chosen.set(Some(user));
        search.set(Search::Idle);
        query.set(String::new());
        focus_later(format!("{input_id}-change"));
    };
    let change = move |_| {
        chosen.set(None);
        focus_later(input_id);
    };

    view! {
        <div class="field coop-person-picker" class:has-error=move || error.with(Option::is_some)>
            <Show
                when=move || chosen.with(Option::is_some)
                fallback=move || {
                    let (status_id, results_id) = (status_id.clone(), results_id.clone());
                    view! {
                        <label for=input_id>{label}</label>
                        <input
                            id=input_id
                            name=input_id
                            type="search"
                            autocomplete="off"
                            spellcheck="false"
                            aria-invalid=move || error.with(Option::is_some).then_some("true")
                            aria-describedby=described_by.clone()
                            aria-controls=results_id.clone()
                            prop:value=move || query.get()
                            on:input=on_input
                            on:keydown=move |ev| {
                                // Enter searches now rather than submitting the form around it.
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    run_search();
                                }
                            }
                        />
                        <p id=status_id class="hint" role="status">
                            {status_text}
                        </p>
                        <ul id=results_id class="coop-person-results">
                            <For
                                each=users
                                key=|u| u.id
                                children=move |user| {
                                    let name = user.display_name.clone();
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="button secondary small coop-coordinator-option"
                                                data-user-id=user.id
                                                on:click=move |_| choose(user.clone())
                                            >
                                                <span class="visually-hidden">"Choose "</span>
                                                {name}
                                            </button>
                                        </li>
                                    }
                                }
                            />
                        </ul>
                    }
                }
            >
                <p class="coop-person-chosen">
                    <span class="coop-person-chosen-label">{label} ": "</span>
                    <strong>
                        {move || chosen.with(|c| c.as_ref().map(|u| u.display_name.clone()))}
                    </strong>
                    " "
                    <button type="button" id=change_id.clone() class="link-button" on:click=change>
                        "Choose someone else"
                    </button>
                </p>
            </Show>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
