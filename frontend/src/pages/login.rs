//! The log-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::auth::Login;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::field::TextField;
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};

/// API field name and DOM id, in the order the fields appear.
const FIELDS: [(&str, &str); 2] = [("email", "email"), ("password", "password")];

#[component]
pub fn LoginPage() -> impl IntoView {
    set_page_title("Log in");
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    let field_error = move |name: &'static str| {
        Signal::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = FormErrors::default();
        if email.with_untracked(|e| e.trim().is_empty()) {
            found.field("email", "Enter your email address.");
        }
        if password.with_untracked(String::is_empty) {
            found.field("password", "Enter your password.");
        }
        if !found.is_empty() {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let body = Login {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            code: None,
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&body).await {
                Ok(me) => {
                    session.begin(me);
                    navigate(&crate::app::return_path(), Default::default());
                }
                Err(e) => {
                    let found = FormErrors::from_api(e, &["email", "password"]);
                    focus_later(found.focus_target(&FIELDS));
                    errors.set(found);
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <main id="main" class="page narrow">
            <h1>"Log in"</h1>
            // Why the last session ended, when it ended elsewhere.
            {move || {
                session
                    .auth
                    .notice()
                    .map(|n| view! { <p id="login-notice" class="notice" role="status">{n}</p> })
            }}
            <form class="stack" novalidate on:submit=on_submit>
                <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
                <TextField
                    id="email"
                    label="Email"
                    input_type="email"
                    autocomplete="username"
                    value=email
                    error=field_error("email")
                />
                <TextField
                    id="password"
                    label="Password"
                    input_type=Signal::derive(move || {
                        if show_password.get() { "text" } else { "password" }
                    })
                    autocomplete="current-password"
                    value=password
                    error=field_error("password")
                />
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="show-password"
                        prop:checked=move || show_password.get()
                        on:change=move |ev| show_password.set(event_target_checked(&ev))
                    />
                    <label for="show-password">"Show password"</label>
                </div>
                <button type="submit" id="login-submit" class="button primary">
                    {move || if busy.get() { "Logging in…" } else { "Log in" }}
                </button>
            </form>
            <p class="switch-page">"New here? " <a href=move || format!("/register{}", crate::app::next_query())>"Create an account"</a></p>
        </main>
    }
}
