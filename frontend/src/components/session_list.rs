//! "Where you're signed in": one's sessions (browser or device, last
//! active, "This device" for the one in use), signing out one of the
//! others, or all of them at once with how many ended said out loud.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::auth::SessionView;

use crate::api::trust;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum SessionsLoad {
    Loading,
    Ready(Vec<SessionView>),
    Failed(String),
}

/// "Chrome on Linux" is what a person recognises; the server keeps the
/// browser's own words, shortened, which is the best there is.
fn device_label(s: &SessionView) -> String {
    match s.user_agent.as_deref().map(str::trim) {
        Some(ua) if !ua.is_empty() => ua.to_owned(),
        _ => "An unknown browser or app".to_owned(),
    }
}

#[component]
pub fn SessionList() -> impl IntoView {
    let session = use_session();
    let load = RwSignal::new(SessionsLoad::Loading);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<i64>);

    let fetch = move || {
        spawn_local(async move {
            match trust::my_sessions().await {
                Ok(list) => {
                    let _ = load.try_set(SessionsLoad::Ready(list.sessions));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = load.try_set(SessionsLoad::Failed(e.message));
                    }
                }
            }
        });
    };
    fetch();

    let others = Memo::new(move |_| match load.get() {
        SessionsLoad::Ready(list) => list.iter().filter(|s| !s.current).count(),
        _ => 0,
    });

    let end_one = move |id: i64| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(id));
        status.set(None);
        error.set(None);
        spawn_local(async move {
            let result = trust::end_session(id).await;
            let _ = busy.try_set(None);
            match result {
                Ok(()) => {
                    let _ = load.try_update(|l| {
                        if let SessionsLoad::Ready(list) = l {
                            list.retain(|s| s.id != id);
                        }
                    });
                    let _ = status.try_set(Some("Signed out of that session.".to_owned()));
                    focus_later("sessions-heading");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ =
                            error.try_set(Some(format!("Could not sign it out. {}", e.message)));
                    }
                }
            }
        });
    };

    let end_others = move |_| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(0));
        status.set(None);
        error.set(None);
        spawn_local(async move {
            let result = trust::sign_out_others().await;
            let _ = busy.try_set(None);
            match result {
                Ok(done) => {
                    let _ = load.try_update(|l| {
                        if let SessionsLoad::Ready(list) = l {
                            list.retain(|s| s.current);
                        }
                    });
                    let sentence = match done.ended {
                        0 => "There were no other sessions to sign out.".to_owned(),
                        1 => "Signed out of 1 other session.".to_owned(),
                        n => format!("Signed out of {n} other sessions."),
                    };
                    let _ = status.try_set(Some(sentence));
                    focus_later("sessions-heading");
                    // Anything that started meanwhile shows up too.
                    fetch();
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ =
                            error.try_set(Some(format!("Could not sign them out. {}", e.message)));
                    }
                }
            }
        });
    };

    view! {
        <section class="settings-section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading" tabindex="-1">
                "Where you’re signed in"
            </h2>
            <p class="hint">
                "Each browser or app you have logged in with. Sign out any you do not recognise or no longer use, such as a shared computer."
            </p>
            {move || match load.get() {
                SessionsLoad::Loading => {
                    view! { <p class="muted" role="status">"Loading your sessions…"</p> }.into_any()
                }
                SessionsLoad::Failed(m) => {
                    view! { <RetryNotice message=m on_retry=Callback::new(move |()| fetch()) /> }
                        .into_any()
                }
                SessionsLoad::Ready(_) => ().into_any(),
            }}
            <ul id="session-list" class="session-list">
                <For
                    each=move || match load.get() {
                        SessionsLoad::Ready(list) => list,
                        _ => Vec::new(),
                    }
                    key=|s| (s.id, s.last_seen_at)
                    children=move |s| {
                        let id = s.id;
                        let device = device_label(&s);
                        let seen = format_time(&s.last_seen_at);
                        let seen_iso = s.last_seen_at.to_rfc3339();
                        let started = format_time(&s.created_at);
                        let current = s.current;
                        view! {
                            <li class="session-item" class:current=current data-session-id=id>
                                <p class="session-device">
                                    {device}
                                    {current
                                        .then(|| {
                                            view! {
                                                " "
                                                <span class="label-tag session-this-device">"This device"</span>
                                            }
                                        })}
                                </p>
                                <p class="session-meta muted">
                                    "Last active " <time datetime=seen_iso>{seen}</time>
                                    {format!(" · signed in {started}")}
                                </p>
                                {(!current)
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="button secondary small session-sign-out"
                                                id=format!("session-{id}-sign-out")
                                                aria-busy=move || (busy.get() == Some(id)).then_some("true")
                                                on:click=move |_| end_one(id)
                                            >
                                                "Sign out"
                                                <span class="visually-hidden">{format!(" of the session last active {}", format_time(&s.last_seen_at))}</span>
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || { others.get() > 0 }>
                <button
                    type="button"
                    id="sign-out-others"
                    class="button secondary"
                    aria-busy=move || (busy.get() == Some(0)).then_some("true")
                    on:click=end_others
                >
                    "Sign out of all other sessions"
                </button>
            </Show>
            <p id="sessions-status" class="settings-status" role="status">
                {move || status.get()}
            </p>
            <div id="sessions-error" class="form-error" role="alert">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
        </section>
    }
}
