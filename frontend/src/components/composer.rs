//! The message box of a room: Enter sends, Shift+Enter starts a new line
//! (on touch-only devices Enter starts a new line and the Send button
//! sends), a counter near the length limit, and the reason a send failed.
//! It also tells the others when this person is typing.

use leptos::prelude::*;
use shared::RoomId;
use shared::limits::MESSAGE_MAX_CHARS;

use crate::chat::use_chat;
use crate::ws::{WsClient, use_ws};

/// The counter stays out of the way until the limit is worth knowing about.
const COUNTER_FROM: usize = MESSAGE_MAX_CHARS * 8 / 10;
/// "Still typing" is repeated at most this often; the others' indicator
/// expires by itself if the repeats stop.
const TYPING_REPEAT_MS: f64 = 3_000.0;

/// A phone or tablet with no mouse or trackpad: its on-screen keyboard has
/// no Shift+Enter, so Enter must be able to start a new line. A device that
/// also has a fine pointer (a laptop with a touch screen) most likely has a
/// real keyboard too.
fn touch_only() -> bool {
    let matches = |query: &str| {
        web_sys::window()
            .and_then(|w| w.match_media(query).ok().flatten())
            .is_some_and(|m| m.matches())
    };
    matches("(pointer: coarse)") && !matches("(any-pointer: fine)")
}

#[component]
pub fn Composer(room_id: RoomId, #[prop(into)] on_sent: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    let draft = Memo::new(move |_| chat.draft(room_id));
    let length = Memo::new(move |_| draft.with(|d| d.trim().chars().count()));
    let over = move || length.get() > MESSAGE_MAX_CHARS;

    // When `active: true` was last sent; None once `active: false` went out.
    let typing_since = StoredValue::new(None::<f64>);
    let typing = move |text: &str| {
        if text.trim().is_empty() {
            stop_typing(ws, typing_since, room_id);
            return;
        }
        let now = js_sys::Date::now();
        let due = typing_since
            .get_value()
            .is_none_or(|at| now - at >= TYPING_REPEAT_MS);
        if due && ws.send_typing(room_id, true) {
            typing_since.set_value(Some(now));
        }
    };
    on_cleanup(move || stop_typing(ws, typing_since, room_id));
    let enter_sends = !touch_only();

    let send = move || {
        let body = draft.get_untracked();
        // An empty Enter is almost always a slip; saying so would be noise.
        if body.trim().is_empty() {
            return;
        }
        match ws.send_message(room_id, &body) {
            Ok(()) => {
                chat.set_draft(room_id, String::new());
                stop_typing(ws, typing_since, room_id);
                on_sent.run(());
            }
            Err(reason) => chat.set_send_error(room_id, Some(reason)),
        }
    };

    let counter = move || {
        let n = length.get();
        if n > MESSAGE_MAX_CHARS {
            Some(format!(
                "{} characters over the limit of {}",
                n - MESSAGE_MAX_CHARS,
                MESSAGE_MAX_CHARS
            ))
        } else if n >= COUNTER_FROM {
            Some(format!("{} characters left", MESSAGE_MAX_CHARS - n))
        } else {
            None
        }
    };

    view! {
        <form
            class="composer"
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
        >
            <label for="composer">"Message"</label>
            <textarea
                id="composer"
                name="message"
                rows="3"
                aria-describedby="composer-help composer-count composer-error"
                aria-invalid=move || (over() || chat.send_error(room_id).is_some()).then_some("true")
                prop:value=move || draft.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    typing(&text);
                    chat.set_draft(room_id, text);
                }
                on:blur=move |_| stop_typing(ws, typing_since, room_id)
                on:keydown=move |ev| {
                    // `is_composing`: Enter that confirms an IME candidate is not a send.
                    if enter_sends && ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing()
                    {
                        ev.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <div class="composer-row">
                <p id="composer-help" class="hint">
                    {if enter_sends {
                        "Enter sends. Shift+Enter adds a new line."
                    } else {
                        "Enter adds a new line. Use the Send button to send."
                    }}
                </p>
                <p id="composer-count" class="count" class:over=over>
                    {counter}
                </p>
                <button type="submit" id="send" class="button primary">
                    "Send"
                </button>
            </div>
            <p id="composer-error" class="field-error" role="alert">
                {move || chat.send_error(room_id)}
            </p>
        </form>
    }
}

/// Tells the others this person stopped typing, if they were told it started.
fn stop_typing(ws: WsClient, typing_since: StoredValue<Option<f64>>, room_id: RoomId) {
    if typing_since
        .try_update_value(Option::take)
        .flatten()
        .is_some()
    {
        ws.send_typing(room_id, false);
    }
}
