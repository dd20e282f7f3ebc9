//! "Asha Patel is typing…" under a room's messages. A plain line, not a live
//! region: announcing every start and stop would drown out the messages.

use leptos::prelude::*;
use shared::RoomId;

use crate::chat::use_chat;

fn sentence(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("{one} is typing…")),
        [one, two] => Some(format!("{one} and {two} are typing…")),
        _ => Some("Several people are typing…".to_owned()),
    }
}

#[component]
pub fn TypingIndicator(room_id: RoomId) -> impl IntoView {
    let chat = use_chat();
    let text = Memo::new(move |_| sentence(&chat.typing_names(room_id)));
    // The line keeps its height when empty, so the list does not jump.
    view! {
        <div class="typing-line">
            {move || {
                text.get()
                    .map(|t| view! { <p id="typing-indicator" class="typing-indicator">{t}</p> })
            }}
        </div>
    }
}
