//! The settings page: one's own preferences (read receipts), two-factor
//! sign-in, where one is signed in, and one's own data (download it, or
//! delete the account).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::api::auth::UpdateSettings;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::focus_later;
use crate::components::session_list::SessionList;
use crate::components::two_factor_settings::TwoFactorSettings;
use crate::components::your_data::YourData;

#[component]
pub fn SettingsPage() -> impl IntoView {
    set_page_title("Settings");
    let session = use_session();
    let auth = session.auth;
    let receipts = Memo::new(move |_| auth.user().is_none_or(|me| me.read_receipts));
    // What the checkbox shows while a change is on its way.
    let wanted = RwSignal::new(None::<bool>);
    let saved = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);

    // `/settings#two-factor` (the banner for the programme team, the admin
    // pages' pointer) lands on that section, keyboard focus included.
    let location = use_location();
    Effect::new(move |_| {
        if location.hash.get().trim_start_matches('#') == "two-factor" {
            focus_later("two-factor-heading");
        }
    });

    let on_change = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        wanted.set(Some(on));
        saved.set(None);
        error.set(None);
        spawn_local(async move {
            let result = api::update_settings(&UpdateSettings {
                read_receipts: Some(on),
            })
            .await;
            // A later click has already sent its own change: its answer speaks.
            if wanted.try_get_untracked().flatten() != Some(on) {
                return;
            }
            match result {
                Ok(me) => {
                    let sentence = if me.read_receipts {
                        "Saved. Others can see when you have read their messages."
                    } else {
                        "Saved. Others will not see when you have read their messages."
                    };
                    session.chat.sign_in(me.clone());
                    auth.signed_in(me);
                    saved.set(Some(sentence.to_owned()));
                }
                Err(e) => {
                    if !auth.check(&e) {
                        error.set(Some(format!("Could not save that. {}", e.message)));
                    }
                }
            }
            wanted.set(None);
        });
    };

    view! {
        <main id="main" class="page narrow">
            <h1>"Settings"</h1>
            <section class="settings-section" aria-labelledby="privacy-heading">
                <h2 id="privacy-heading">"Privacy"</h2>
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="read-receipts"
                        aria-describedby="read-receipts-help"
                        prop:checked=move || wanted.get().unwrap_or_else(|| receipts.get())
                        on:change=on_change
                    />
                    <label for="read-receipts">"Let others see when I have read their messages"</label>
                </div>
                <p id="read-receipts-help" class="hint">
                    "When this is on, the person you are talking to one-to-one sees “Seen” under their message once you have read it. Turn it off to read without letting them know; you still see your own unread counts."
                </p>
                <p id="settings-status" class="settings-status" role="status">
                    {move || saved.get()}
                </p>
                <div id="settings-error" class="form-error" role="alert">
                    {move || error.get().map(|m| view! { <p>{m}</p> })}
                </div>
            </section>
            <TwoFactorSettings />
            <SessionList />
            <YourData />
        </main>
    }
}
