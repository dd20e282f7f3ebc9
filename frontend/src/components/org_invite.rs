//! Inviting staff: a lead creates a single-use link, sees it whole in a
//! read-only box, and copies it (the clipboard when the browser allows it,
//! else the text is selected for them to copy). Also the date wording the
//! join page shares.

use chrono::{DateTime, Utc};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::OrganisationId;
use shared::api::organisations::InviteCreated;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

/// "Tuesday 12 March 2025", in the reader's own time zone.
pub fn format_day(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "long"),
        ("day", "numeric"),
        ("month", "long"),
        ("year", "numeric"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_date_string("en-GB", &options).into()
}

/// The page's own origin and the path: the link as someone will paste it.
fn full_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// `navigator.clipboard.writeText`, through `Reflect` so it needs no extra
/// web-sys features; false when the browser has no clipboard API or refuses.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator: JsValue = window.navigator().into();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Some(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Some(promise) = write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return false;
    };
    JsFuture::from(promise).await.is_ok()
}

#[component]
pub fn OrgInvite(org_id: OrganisationId) -> impl IntoView {
    let session = use_session();
    let created = RwSignal::new(None::<InviteCreated>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let copy_status = RwSignal::new(None::<String>);
    let link_input = NodeRef::<Input>::new();

    let create = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        copy_status.set(None);
        spawn_local(async move {
            match api::create_invite(org_id).await {
                Ok(invite) => {
                    created.set(Some(invite));
                    // The new link is what they came for: land on it.
                    focus_later("invite-link");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        error.set(Some(format!(
                            "Could not create an invitation link. {}",
                            e.message
                        )));
                    }
                }
            }
            busy.set(false);
        });
    };

    let copy = move |_| {
        let Some(url) = created.with_untracked(|c| c.as_ref().map(|c| full_url(&c.path))) else {
            return;
        };
        copy_status.set(None);
        spawn_local(async move {
            if copy_to_clipboard(&url).await {
                copy_status.set(Some("Link copied.".to_owned()));
            } else {
                if let Some(input) = link_input.try_get_untracked().flatten() {
                    let _ = input.focus();
                    input.select();
                }
                copy_status.set(Some(
                    "This browser did not let the page copy. The link is selected: copy it with Ctrl+C (Cmd+C on a Mac), or press and hold on a phone."
                        .to_owned(),
                ));
            }
        });
    };

    view! {
        <div class="org-invite">
            <p>
                "Invite a colleague to join as staff. Each link works once, for one person; send it to them yourself, by email or message."
            </p>
            <button
                type="button"
                id="invite-create"
                class="button secondary"
                aria-busy=move || busy.get().then_some("true")
                on:click=create
            >
                {move || {
                    if created.with(Option::is_some) {
                        "Create another invitation link"
                    } else {
                        "Create invitation link"
                    }
                }}
            </button>
            <div id="invite-error" class="form-error" role="alert">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            {move || {
                created
                    .get()
                    .map(|invite| {
                        let url = full_url(&invite.path);
                        let expires = format_day(&invite.expires_at);
                        view! {
                            <div class="invite-result">
                                <div class="field">
                                    <label for="invite-link">"Invitation link"</label>
                                    <input
                                        id="invite-link"
                                        type="text"
                                        readonly
                                        spellcheck="false"
                                        aria-describedby="invite-link-hint"
                                        node_ref=link_input
                                        prop:value=url
                                        on:focus=move |_| {
                                            if let Some(input) = link_input.get_untracked() {
                                                input.select();
                                            }
                                        }
                                    />
                                    <p class="hint" id="invite-link-hint">
                                        "It works once and expires on "
                                        <span id="invite-expires">{expires}</span>
                                        "."
                                    </p>
                                </div>
                                <button
                                    type="button"
                                    id="invite-copy"
                                    class="button secondary small"
                                    on:click=copy
                                >
                                    "Copy link"
                                </button>
                            </div>
                        }
                    })
            }}
            <p id="invite-copy-status" class="form-status" role="status">
                {move || copy_status.get()}
            </p>
        </div>
    }
}
