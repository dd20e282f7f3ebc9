//! "Two-factor sign-in" on the settings page (`/settings#two-factor`):
//! setting it up (the key to type into an authenticator app, grouped in
//! fours, or a link that opens the app, then a first code), the recovery
//! codes shown once (with a download, and "I have saved these codes"
//! before closing them), new recovery codes for a current code, and
//! turning it off with the password and a code. The programme team cannot
//! turn it off, so they are not offered to.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ApiError;
use shared::api::two_factor::TotpSetup;

use crate::api::{self, account};
use crate::app::{APP_NAME, Session, use_session};
use crate::components::code_field::CodeField;
use crate::components::field::TextField;
use crate::components::form_errors::{FormErrors, focus_later};
use crate::components::org_invite::copy_to_clipboard;

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    /// Whether it is on, and the actions from there.
    Idle,
    /// A new key, waiting for a first code from it.
    SettingUp(TotpSetup),
    /// Recovery codes, shown this once.
    Codes(Vec<String>),
    /// A current code, for new recovery codes.
    NewCodes,
    /// The password and a code, to turn it off.
    TurningOff,
}

/// Where this section's errors that belong to no field are shown.
const ALERT_ID: &str = "two-factor-error";

/// "ABCD EFGH IJKL …": a long key is easier to copy by eye in fours.
pub fn group_key(secret: &str) -> String {
    secret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The recovery codes as a small text file, for the download link.
fn codes_file(codes: &[String], email: &str) -> String {
    let mut text = format!(
        "{APP_NAME}: recovery codes for {email}\r\n\r\n\
         Each code lets you log in once without your authenticator app.\r\n\
         Keep them somewhere safe. New codes replace all of these.\r\n\r\n"
    );
    for code in codes {
        text.push_str(code);
        text.push_str("\r\n");
    }
    format!(
        "data:text/plain;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&text))
    )
}

/// Two-factor changes what `/api/me` says (on, and for the programme team
/// whether their pages wait for it): read it again.
async fn refresh_me(session: Session) {
    if let Ok(me) = api::me().await {
        session.chat.sign_in(me.clone());
        session.auth.signed_in(me);
    }
}

#[component]
pub fn TwoFactorSettings() -> impl IntoView {
    let session = use_session();
    let auth = session.auth;
    let on = Memo::new(move |_| auth.user().is_some_and(|me| me.two_factor));
    let team = Memo::new(move |_| auth.user().is_some_and(|me| me.is_admin));
    let required = Memo::new(move |_| auth.user().is_some_and(|me| me.two_factor_required));
    let email = Memo::new(move |_| auth.user().map(|me| me.email).unwrap_or_default());

    let stage = RwSignal::new(Stage::Idle);
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FormErrors::default());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let saved_error = RwSignal::new(None::<String>);

    let field_error = move |name: &'static str| {
        Signal::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };

    // Every step starts with empty fields and no old errors.
    let go = move |next: Stage| {
        let _ = code.try_set(String::new());
        let _ = password.try_set(String::new());
        let _ = errors.try_set(FormErrors::default());
        let _ = saved.try_set(false);
        let _ = saved_error.try_set(None);
        let _ = stage.try_set(next);
    };

    // A refusal goes next to its field (API name → DOM id), else above,
    // and focus follows it.
    let refused = move |e: ApiError, fields: &'static [(&'static str, &'static str)]| {
        if session.auth.check(&e) {
            return;
        }
        let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        let found = FormErrors::from_api(e, &names);
        let target = if found.fields.is_empty() {
            ALERT_ID
        } else {
            found.focus_target(fields)
        };
        focus_later(target);
        let _ = errors.try_set(found);
    };

    // One check before sending: the fields must not be empty.
    let missing = move |checks: &[(&'static str, &'static str, bool, &'static str)]| -> bool {
        let mut found = FormErrors::default();
        let mut first = None;
        for (name, id, empty, message) in checks {
            if *empty {
                found.field(name, *message);
                first.get_or_insert(*id);
            }
        }
        match first {
            Some(id) => {
                focus_later(id);
                errors.set(found);
                true
            }
            None => {
                errors.set(FormErrors::default());
                false
            }
        }
    };

    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        status.set(None);
        errors.set(FormErrors::default());
        spawn_local(async move {
            let result = account::two_factor_setup().await;
            let _ = busy.try_set(false);
            match result {
                Ok(setup) => {
                    go(Stage::SettingUp(setup));
                    focus_later("two-factor-setup-heading");
                }
                Err(e) => refused(e, &[]),
            }
        });
    };

    let cancel = move |focus: &'static str| {
        go(Stage::Idle);
        focus_later(focus);
    };

    let copy_key = move |secret: String| {
        status.set(None);
        spawn_local(async move {
            let sentence = if copy_to_clipboard(&secret).await {
                "Key copied. Paste it into your authenticator app."
            } else {
                "This browser did not let the page copy. Type the key into your authenticator app instead."
            };
            let _ = status.try_set(Some(sentence.to_owned()));
        });
    };

    let enable = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = code.get_untracked().trim().to_owned();
        if missing(&[(
            "code",
            "two-factor-code",
            typed.is_empty(),
            "Enter the 6-digit code your authenticator app shows now.",
        )]) {
            return;
        }
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = account::two_factor_enable(&typed).await;
            let _ = busy.try_set(false);
            match result {
                Ok(codes) => {
                    go(Stage::Codes(codes.codes));
                    let _ = status.try_set(Some(
                        "Two-factor sign-in is on. Save your recovery codes now.".to_owned(),
                    ));
                    focus_later("recovery-codes-heading");
                    refresh_me(session).await;
                }
                Err(e) => refused(e, &[("code", "two-factor-code")]),
            }
        });
    };

    let renew = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = code.get_untracked().trim().to_owned();
        if missing(&[(
            "code",
            "recovery-new-code",
            typed.is_empty(),
            "Enter the 6-digit code your authenticator app shows now.",
        )]) {
            return;
        }
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = account::new_recovery_codes(&typed).await;
            let _ = busy.try_set(false);
            match result {
                Ok(codes) => {
                    go(Stage::Codes(codes.codes));
                    let _ = status.try_set(Some(
                        "New recovery codes made. The old ones no longer work.".to_owned(),
                    ));
                    focus_later("recovery-codes-heading");
                }
                Err(e) => refused(e, &[("code", "recovery-new-code")]),
            }
        });
    };

    let turn_off = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed_password = password.get_untracked();
        let typed_code = code.get_untracked().trim().to_owned();
        if missing(&[
            (
                "password",
                "two-factor-off-password",
                typed_password.is_empty(),
                "Enter your password.",
            ),
            (
                "code",
                "two-factor-off-code",
                typed_code.is_empty(),
                "Enter the code your authenticator app shows now, or a recovery code.",
            ),
        ]) {
            return;
        }
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = account::two_factor_disable(&typed_password, &typed_code).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    refresh_me(session).await;
                    go(Stage::Idle);
                    let _ = status.try_set(Some(
                        "Two-factor sign-in is off. Logging in takes only your password now."
                            .to_owned(),
                    ));
                    focus_later("two-factor-heading");
                }
                Err(e) => refused(
                    e,
                    &[
                        ("password", "two-factor-off-password"),
                        ("code", "two-factor-off-code"),
                    ],
                ),
            }
        });
    };

    let done = move |_| {
        if !saved.get_untracked() {
            saved_error.set(Some(
                "Tick “I have saved these codes” once they are somewhere safe.".to_owned(),
            ));
            focus_later("recovery-codes-saved");
            return;
        }
        go(Stage::Idle);
        status.set(None);
        focus_later("two-factor-heading");
    };

    let busy_attr = move || busy.get().then_some("true");

    // Only `stage` is read here: a step's form must not be rebuilt (and
    // lose focus) when something else changes.
    let step = move || {
        match stage.get() {
        Stage::Idle => view! {
            <Show
                when=move || on.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            id="two-factor-setup"
                            class="button primary"
                            aria-busy=busy_attr
                            on:click=start
                        >
                            "Set up two-factor sign-in"
                        </button>
                    }
                }
            >
                <div class="inline-actions">
                    <button
                        type="button"
                        id="recovery-new"
                        class="button secondary"
                        on:click=move |_| {
                            status.set(None);
                            go(Stage::NewCodes);
                            focus_later("recovery-new-code");
                        }
                    >
                        "New recovery codes"
                    </button>
                    <Show when=move || !team.get()>
                        <button
                            type="button"
                            id="two-factor-off"
                            class="button secondary"
                            on:click=move |_| {
                                status.set(None);
                                go(Stage::TurningOff);
                                focus_later("two-factor-off-password");
                            }
                        >
                            "Turn off"
                        </button>
                    </Show>
                </div>
                <Show when=move || team.get()>
                    <p class="hint" id="two-factor-team-note">
                        "The programme team must keep two-factor sign-in on, so it cannot be turned off here."
                    </p>
                </Show>
            </Show>
        }
        .into_any(),
        Stage::SettingUp(setup) => {
            let grouped = group_key(&setup.secret);
            let secret = setup.secret.clone();
            view! {
                <div class="two-factor-setup">
                    <h3 id="two-factor-setup-heading" tabindex="-1">
                        "Set up your authenticator app"
                    </h3>
                    <ol class="setup-steps">
                        <li>
                            "Install an authenticator app on your phone if you do not have one yet, for example Google Authenticator, Microsoft Authenticator or Aegis."
                        </li>
                        <li>
                            <p>"In the app, add an account and type in this key:"</p>
                            <p class="secret-key">
                                <code id="two-factor-key">{grouped}</code>
                            </p>
                            <div class="inline-actions">
                                <button
                                    type="button"
                                    id="two-factor-copy-key"
                                    class="button secondary small"
                                    on:click=move |_| copy_key(secret.clone())
                                >
                                    "Copy key"
                                </button>
                            </div>
                            <p class="hint">
                                "Reading this on the phone with the app? "
                                <a id="two-factor-link" href=setup.otpauth_uri>
                                    "Open in your authenticator app"
                                </a>
                            </p>
                        </li>
                        <li>
                            <form class="stack two-factor-form" novalidate on:submit=enable>
                                <CodeField
                                    id="two-factor-code"
                                    label="Code from the app"
                                    value=code
                                    error=field_error("code")
                                    hint="The 6 digits the app shows for Community Mentoring now."
                                />
                                <div class="inline-actions">
                                    <button
                                        type="submit"
                                        id="two-factor-enable"
                                        class="button primary"
                                        aria-busy=busy_attr
                                    >
                                        "Turn on two-factor sign-in"
                                    </button>
                                    <button
                                        type="button"
                                        id="two-factor-cancel"
                                        class="button secondary"
                                        on:click=move |_| cancel("two-factor-setup")
                                    >
                                        "Cancel"
                                    </button>
                                </div>
                            </form>
                        </li>
                    </ol>
                </div>
            }
            .into_any()
        }
        Stage::Codes(codes) => {
            let href = codes_file(&codes, &email.get_untracked());
            view! {
                <div class="recovery-codes-panel" id="recovery-codes-panel">
                    <h3 id="recovery-codes-heading" tabindex="-1">
                        "Your recovery codes"
                    </h3>
                    <p>
                        "If you lose your phone, each of these codes lets you log in once instead of a code from the app. Keep them somewhere safe, such as a password manager or on paper at home. This is the only time they are shown."
                    </p>
                    <ol id="recovery-codes" class="recovery-codes">
                        {codes
                            .into_iter()
                            .map(|c| view! { <li><code>{c}</code></li> })
                            .collect_view()}
                    </ol>
                    <p>
                        <a
                            id="recovery-codes-download"
                            class="button secondary"
                            href=href
                            download="recovery-codes.txt"
                        >
                            "Download codes"
                        </a>
                    </p>
                    <div class="checkbox">
                        <input
                            type="checkbox"
                            id="recovery-codes-saved"
                            aria-describedby="recovery-codes-saved-error"
                            prop:checked=move || saved.get()
                            on:change=move |ev| {
                                saved.set(event_target_checked(&ev));
                                saved_error.set(None);
                            }
                        />
                        <label for="recovery-codes-saved">"I have saved these codes"</label>
                    </div>
                    <p class="field-error" id="recovery-codes-saved-error" role="alert">
                        {move || saved_error.get()}
                    </p>
                    <button
                        type="button"
                        id="recovery-codes-done"
                        class="button primary"
                        on:click=done
                    >
                        "Done"
                    </button>
                </div>
            }
            .into_any()
        }
        Stage::NewCodes => view! {
            <form class="stack two-factor-form" novalidate on:submit=renew>
                <h3 id="recovery-new-heading">"New recovery codes"</h3>
                <p>"You get 10 new codes, and the ones you have now stop working."</p>
                <CodeField
                    id="recovery-new-code"
                    label="Code from your authenticator app"
                    value=code
                    error=field_error("code")
                    hint="The 6 digits the app shows now."
                />
                <div class="inline-actions">
                    <button
                        type="submit"
                        id="recovery-new-submit"
                        class="button primary"
                        aria-busy=busy_attr
                    >
                        "Make new codes"
                    </button>
                    <button
                        type="button"
                        id="recovery-new-cancel"
                        class="button secondary"
                        on:click=move |_| cancel("recovery-new")
                    >
                        "Cancel"
                    </button>
                </div>
            </form>
        }
        .into_any(),
        Stage::TurningOff => view! {
            <form class="stack two-factor-form" novalidate on:submit=turn_off>
                <h3 id="two-factor-off-heading">"Turn off two-factor sign-in"</h3>
                <p>"Logging in will take only your password again."</p>
                <TextField
                    id="two-factor-off-password"
                    label="Your password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                    error=field_error("password")
                />
                <CodeField
                    id="two-factor-off-code"
                    label="Code from your authenticator app, or a recovery code"
                    value=code
                    error=field_error("code")
                />
                <div class="inline-actions">
                    <button
                        type="submit"
                        id="two-factor-off-submit"
                        class="button danger"
                        aria-busy=busy_attr
                    >
                        "Turn off two-factor sign-in"
                    </button>
                    <button
                        type="button"
                        id="two-factor-off-cancel"
                        class="button secondary"
                        on:click=move |_| cancel("two-factor-off")
                    >
                        "Cancel"
                    </button>
                </div>
            </form>
        }
        .into_any(),
    }
    };

    view! {
        <section class="settings-section two-factor" id="two-factor" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading" tabindex="-1">
                "Two-factor sign-in"
            </h2>
            <p class="hint">
                "With it on, logging in takes your password and a 6-digit code from an authenticator app on your phone, so your password alone is not enough to get into your account."
            </p>
            <p id="two-factor-state" class="two-factor-state">
                {move || {
                    if on.get() {
                        "Two-factor sign-in is on."
                    } else {
                        "Two-factor sign-in is off."
                    }
                }}
            </p>
            <Show when=move || required.get()>
                <p class="notice" id="two-factor-required-note">
                    "The programme team must use two-factor sign-in. Set it up to use the team's pages."
                </p>
            </Show>
            {step}
            <p id="two-factor-status" class="settings-status" role="status">
                {move || status.get()}
            </p>
            <div id=ALERT_ID class="form-error" role="alert" tabindex="-1">
                {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
            </div>
        </section>
    }
}
