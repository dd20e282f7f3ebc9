//! "Your data" on the settings page: download everything the platform
//! holds about you (one JSON file, a plain same-origin download), and
//! delete your account, after the policy in plain words and the password
//! again. A deleted account lands on the log-in page, told so.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::ErrorKind;

use crate::api::account;
use crate::app::use_session;
use crate::components::field::TextField;
use crate::components::form_errors::{FormErrors, focus_later};

/// What the log-in page says after the account is gone.
pub const DELETED_NOTICE: &str = "Your account was deleted.";

#[component]
pub fn YourData() -> impl IntoView {
    let session = use_session();
    let auth = session.auth;
    let navigate = StoredValue::new_local(use_navigate());
    let asking = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    let field_error = Signal::derive(move || errors.with(|e| e.fields.get("password").cloned()));

    let open = move |_| {
        asking.set(true);
        focus_later("delete-password");
    };
    let close = move |_| {
        asking.set(false);
        password.set(String::new());
        errors.set(FormErrors::default());
        focus_later("delete-account-start");
    };

    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = password.get_untracked();
        if typed.is_empty() {
            let mut found = FormErrors::default();
            found.field("password", "Enter your password to delete your account.");
            errors.set(found);
            focus_later("delete-password");
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        // The server ends this session and closes its socket: when that
        // news comes first, it is not "you were signed out elsewhere".
        auth.set_leaving(true);
        spawn_local(async move {
            match account::erase_account(&typed).await {
                Ok(()) => {
                    auth.account_deleted(DELETED_NOTICE);
                    let options = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    // Gone already when the closed socket signed us out first.
                    let _ = navigate.try_with_value(|navigate| navigate("/login", options));
                }
                Err(e) => {
                    auth.set_leaving(false);
                    let _ = busy.try_set(false);
                    if auth.check(&e) {
                        return;
                    }
                    let mut found = FormErrors::default();
                    let target = if e.kind == ErrorKind::InvalidCredentials {
                        found.field("password", "That password is not right.");
                        "delete-password"
                    } else {
                        found.top = Some(e.message);
                        "delete-account-error"
                    };
                    let _ = errors.try_set(found);
                    focus_later(target);
                }
            }
        });
    };

    view! {
        <section class="settings-section your-data" id="your-data" aria-labelledby="your-data-heading">
            <h2 id="your-data-heading">"Your data"</h2>
            <h3 id="export-heading">"Download a copy"</h3>
            <p id="export-help">
                "One file with everything this platform holds about you: your account, the messages and posts you wrote, your mentoring records, and the sign-ins and other security events on your account. It is a JSON file, which other services and spreadsheet tools can read."
            </p>
            <p>
                <a
                    id="export-download"
                    class="button secondary"
                    href=account::EXPORT_PATH
                    download=""
                    aria-describedby="export-help"
                >
                    "Download my data"
                </a>
            </p>
            <h3 id="delete-account-heading">"Delete your account"</h3>
            <p id="delete-account-policy">
                "Deleting your account removes your name and email address, and empties every message and post you wrote. Safeguarding concerns you raised are kept, because the law requires us to keep them. This cannot be undone."
            </p>
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            id="delete-account-start"
                            class="button secondary"
                            on:click=open
                        >
                            "Delete my account…"
                        </button>
                    }
                }
            >
                <form id="delete-account-form" class="stack delete-account-form" novalidate on:submit=confirm>
                    <TextField
                        id="delete-password"
                        label="Your password"
                        input_type="password"
                        autocomplete="current-password"
                        value=password
                        error=field_error
                        hint="We ask again so nobody else can do this on a device you left signed in."
                    />
                    <div class="inline-actions">
                        <button
                            type="submit"
                            id="delete-account-confirm"
                            class="button danger"
                            aria-busy=move || busy.get().then_some("true")
                        >
                            "Delete my account for good"
                        </button>
                        <button
                            type="button"
                            id="delete-account-cancel"
                            class="button secondary"
                            on:click=close
                        >
                            "Keep my account"
                        </button>
                    </div>
                </form>
            </Show>
            <div id="delete-account-error" class="form-error" role="alert" tabindex="-1">
                {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
            </div>
        </section>
    }
}
