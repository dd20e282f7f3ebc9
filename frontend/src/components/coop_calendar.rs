//! Taking a co-op's events elsewhere: a download of the calendar file, and a
//! private subscription address for calendar apps, shown whole in a
//! read-only box with what it means to share it.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::CoopId;

use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

/// The page's own origin and the path: the address as an app will need it.
fn full_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

#[component]
pub fn CoopCalendar(coop_id: CoopId) -> impl IntoView {
    let session = use_session();
    let feed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<Input>::new();

    let subscribe = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = coops::calendar_feed().await;
            let _ = busy.try_set(false);
            match result {
                Ok(created) => {
                    let _ = feed.try_set(Some(full_url(&created.path)));
                    focus_later("coop-feed-url");
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let _ = error.try_set(Some(format!(
                        "Could not make a subscription address. {}",
                        e.message
                    )));
                }
            }
        });
    };

    view! {
        <div class="coop-calendar">
            <h3 id="coop-calendar-heading">"In your calendar"</h3>
            <p>
                <a id="coop-ics-link" href=coops::calendar_path(coop_id) download="co-operative.ics">
                    "Download calendar (.ics)"
                </a>
                <span class="muted">" (this co-op's events as they are now)"</span>
            </p>
            <button
                type="button"
                id="coop-subscribe"
                class="button secondary"
                aria-busy=move || busy.get().then_some("true")
                on:click=subscribe
            >
                {move || {
                    if feed.with(Option::is_some) {
                        "Make a new subscription address"
                    } else {
                        "Subscribe in your calendar app"
                    }
                }}
            </button>
            <div id="coop-subscribe-error" class="form-error" role="alert">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <Show when=move || feed.with(Option::is_some)>
                <div class="field coop-feed">
                    <label for="coop-feed-url">"Your private calendar address"</label>
                    <input
                        id="coop-feed-url"
                        type="text"
                        readonly
                        spellcheck="false"
                        aria-describedby="coop-feed-url-hint"
                        node_ref=input
                        prop:value=move || feed.get().unwrap_or_default()
                        on:focus=move |_| {
                            if let Some(el) = input.get_untracked() {
                                el.select();
                            }
                        }
                    />
                    <p class="hint" id="coop-feed-url-hint">
                        "Paste it into your calendar app as a subscription (“From URL” or “Add by URL”). It shows the events of every co-operative you belong to, and keeps up with changes. It is private: anyone with it can see those events, so keep it to yourself. Making a new address stops this one working."
                    </p>
                </div>
            </Show>
        </div>
    }
}
