//! The create-an-account page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::auth::Register;
use shared::limits::{DISPLAY_NAME_MAX_CHARS, PASSWORD_MIN_CHARS};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::field::TextField;
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};

/// API field name and DOM id, in the order the fields appear.
const FIELDS: [(&str, &str); 3] = [
    ("email", "email"),
    ("display_name", "display-name"),
    ("password", "password"),
];

#[component]
pub fn RegisterPage() -> impl IntoView {
    set_page_title("Create an account");
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
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
        // Only the checks that need no server; it has the final word on the rest.
        let mut found = FormErrors::default();
        if email.with_untracked(|e| e.trim().is_empty()) {
            found.field("email", "Enter your email address.");
        }
        let name_len = display_name.with_untracked(|n| n.trim().chars().count());
        if name_len == 0 {
            found.field("display_name", "Enter the name other people will see.");
        } else if name_len > DISPLAY_NAME_MAX_CHARS {
            found.field(
                "display_name",
                format!("Use at most {DISPLAY_NAME_MAX_CHARS} characters."),
            );
        }
        if password.with_untracked(|p| p.chars().count()) < PASSWORD_MIN_CHARS {
            found.field(
                "password",
                format!("Use at least {PASSWORD_MIN_CHARS} characters."),
            );
        }
        if !found.is_empty() {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let body = Register {
            email: email.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&body).await {
                Ok(me) => {
                    session.begin(me);
                    navigate(&crate::app::return_path(), Default::default());
                }
                Err(e) => {
                    let found = FormErrors::from_api(e, &["email", "display_name", "password"]);
                    focus_later(found.focus_target(&FIELDS));
                    errors.set(found);
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <main id="main" class="page narrow">
            <h1>"Create an account"</h1>
            <form class="stack" novalidate on:submit=on_submit>
                <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
                <TextField
                    id="email"
                    label="Email"
                    input_type="email"
                    autocomplete="email"
                    value=email
                    error=field_error("email")
                />
                <TextField
                    id="display-name"
                    label="Display name"
                    input_type="text"
                    autocomplete="name"
                    value=display_name
                    error=field_error("display_name")
                    hint="The name other people see when you message them."
                />
                <TextField
                    id="password"
                    label="Password"
                    input_type=Signal::derive(move || {
                        if show_password.get() { "text" } else { "password" }
                    })
                    autocomplete="new-password"
                    value=password
                    error=field_error("password")
                    hint=format!(
                        "Use at least {PASSWORD_MIN_CHARS} characters. Three random words, like 'kettle orbit meadow', are strong and easy to remember.",
                    )
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
                <button type="submit" id="register-submit" class="button primary">
                    {move || if busy.get() { "Creating account…" } else { "Create account" }}
                </button>
            </form>
            <p class="switch-page">"Already have an account? " <a href=move || format!("/login{}", crate::app::next_query())>"Log in"</a></p>
        </main>
    }
}
