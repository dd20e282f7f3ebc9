//! People: search by name and open a direct conversation with someone.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::UserId;
use shared::api::users::UserSummary;

use crate::api;
use crate::app::{set_page_title, use_session};

/// The server refuses shorter queries; they would match almost everyone.
const MIN_QUERY_CHARS: usize = 2;
/// Wait for a pause in typing rather than search on every key.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

#[derive(Clone, Debug, PartialEq)]
enum Search {
    Idle,
    Searching,
    Found {
        query: String,
        users: Vec<UserSummary>,
    },
    Failed(String),
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    set_page_title("People");
    let session = use_session();
    // Kept in a stored value so the handlers built per result stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(Search::Idle);
    let opening = RwSignal::new(None::<UserId>);
    let open_error = RwSignal::new(None::<String>);
    let pending_timer = StoredValue::new_local(None::<TimeoutHandle>);
    // Answers can come back out of order; only the newest search may show.
    let latest = StoredValue::new(0u64);

    on_cleanup(move || {
        if let Some(timer) = pending_timer.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    });

    let run_search = move || {
        if let Some(timer) = pending_timer.try_update_value(Option::take).flatten() {
            timer.clear();
        }
        // Runs from a timer, possibly after the page was left: then do nothing.
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
                Ok(found) => search.set(Search::Found {
                    query: q,
                    users: found.users,
                }),
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
        if let Some(timer) = pending_timer.try_update_value(Option::take).flatten() {
            timer.clear();
        }
        if let Ok(handle) = set_timeout_with_handle(run_search, SEARCH_DELAY) {
            pending_timer.set_value(Some(handle));
        }
    };

    let open_room = move |user_id: UserId| {
        if opening.get_untracked().is_some() {
            return;
        }
        opening.set(Some(user_id));
        open_error.set(None);
        spawn_local(async move {
            match api::open_direct_room(user_id).await {
                Ok(room) => {
                    let path = format!("/rooms/{}", room.id);
                    session.ws.add_room(room);
                    // Only if the person is still on this page to be taken anywhere.
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        open_error.set(Some(e.message));
                    }
                }
            }
            opening.set(None);
        });
    };

    let status_text = move || match search.get() {
        Search::Idle => format!("Type at least {MIN_QUERY_CHARS} letters of a name."),
        Search::Searching => "Searching…".to_owned(),
        Search::Found { query, users } => match users.len() {
            0 => format!("No one found for “{query}”."),
            1 => "1 person found.".to_owned(),
            n => format!("{n} people found."),
        },
        Search::Failed(message) => message,
    };

    let users = move || match search.get() {
        Search::Found { users, .. } => users,
        _ => Vec::new(),
    };

    view! {
        <main id="main" class="page">
            <h1>"People"</h1>
            <p>"Find someone by name to start a private conversation with them."</p>
            <form
                role="search"
                class="search-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run_search();
                }
            >
                <label for="people-search">"Search people by name"</label>
                <input
                    id="people-search"
                    name="q"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="people-status"
                    prop:value=move || query.get()
                    on:input=on_input
                />
            </form>
            <p id="people-status" class="muted" role="status">
                {status_text}
            </p>
            <div class="form-error" role="alert">
                {move || open_error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <ul id="people-results" class="people-list">
                <For
                    each=users
                    key=|u| u.id
                    children=move |user| {
                        let id = user.id;
                        let name = user.display_name.clone();
                        view! {
                            <li class="person">
                                <span class="person-name">{user.display_name}</span>
                                <button
                                    type="button"
                                    class="button secondary"
                                    aria-busy=move || (opening.get() == Some(id)).then_some("true")
                                    on:click=move |_| open_room(id)
                                >
                                    "Message"
                                    <span class="visually-hidden">" " {name}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </main>
    }
}
