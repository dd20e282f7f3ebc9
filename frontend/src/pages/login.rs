//! The log-in page. An account with two-factor sign-in on gets a second
//! step: the password was right, now the code from the authenticator app
//! (or a recovery code), sent with the email and password again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::ErrorKind;
use shared::api::auth::Login;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::code_field::CodeField;
use crate::components::field::TextField;
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};

/// API field name and DOM id, in the order the fields appear.
const FIELDS: [(&str, &str); 3] = [
    ("email", "email"),
    ("password", "password"),
    ("code", "login-code"),
];

#[component]
pub fn LoginPage() -> impl IntoView {
    set_page_title("Log in");
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The password was right and the account asks for its code too.
    let code_step = RwSignal::new(false);
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
        let asking_code = code_step.get_untracked();
        let mut found = FormErrors::default();
        if email.with_untracked(|e| e.trim().is_empty()) {
            found.field("email", "Enter your email address.");
        }
        if password.with_untracked(String::is_empty) {
            found.field("password", "Enter your password.");
        }
        if asking_code && code.with_untracked(|c| c.trim().is_empty()) {
            found.field(
                "code",
                "Enter the code from your authenticator app, or a recovery code.",
            );
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
            code: asking_code.then(|| code.get_untracked().trim().to_owned()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&body).await {
                Ok(me) => {
                    session.begin(me);
                    navigate(&crate::app::return_path(), Default::default());
                }
                Err(e) if e.kind == ErrorKind::TwoFactorRequired => {
                    // Not a mistake: the next step. Its words are the field's hint.
                    code.set(String::new());
                    code_step.set(true);
                    busy.set(false);
                    focus_later("login-code");
                }
                Err(e) => {
                    let known: &[&str] = if asking_code {
                        &["email", "password", "code"]
                    } else {
                        &["email", "password"]
                    };
                    let found = FormErrors::from_api(e, known);
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
                <p id="login-code-step" class="login-code-step" role="status">
                    {move || {
                        code_step
                            .get()
                            .then_some(
                                "Your password is right. Your account also asks for a code from your authenticator app.",
                            )
                    }}
                </p>
                <Show when=move || code_step.get()>
                    <CodeField
                        id="login-code"
                        label="Code from your authenticator app (or a recovery code)"
                        value=code
                        error=field_error("code")
                        hint="Open the app and type the 6-digit code it shows now. Lost your phone? Type one of your recovery codes instead."
                    />
                </Show>
                <button type="submit" id="login-submit" class="button primary">
                    {move || if busy.get() { "Logging in…" } else { "Log in" }}
                </button>
            </form>
            <p class="switch-page">"New here? " <a href=move || format!("/register{}", crate::app::next_query())>"Create an account"</a></p>
        </main>
    }
}
