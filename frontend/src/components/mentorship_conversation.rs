//! A mentorship's private conversation, embedded in the mentorship page.
//!
//! It is an ordinary room on the messaging engine, so this is the room view
//! without its page furniture: the same message list, typing line and
//! composer, fed by the same chat store and websocket, under an `h2` (the
//! page has its own `h1`) and in a box of bounded height so goals and notes
//! stay on the page. The full-screen room at `/rooms/{id}` is one link away.

use leptos::prelude::*;
use shared::{RoomId, Seq};

use crate::chat::use_chat;
use crate::components::composer::Composer;
use crate::components::message_list::MessageList;
use crate::components::offline_banner::OfflineBanner;
use crate::components::typing_indicator::TypingIndicator;
use crate::ws::use_ws;

#[component]
pub fn MentorshipConversation(room_id: RoomId) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();

    // As in the room view: where "New messages" goes is decided once, from
    // the read marker as it was on opening.
    let unread_after = RwSignal::new(None::<Seq>);
    let decided = StoredValue::new(false);
    let known = Memo::new(move |_| chat.room(room_id).is_some());
    Effect::new(move |_| {
        if !known.get() || decided.get_value() {
            return;
        }
        decided.set_value(true);
        if let Some(room) = untrack(|| chat.room(room_id))
            && room.unread_count > 0
        {
            unread_after.set(Some(room.last_read_seq));
        }
    });

    // Open in the store's sense: live messages here count as read while the
    // newest is on screen, exactly as in the rooms page.
    chat.set_active(Some(room_id));
    ws.load_room(room_id);
    ws.schedule_read();
    on_cleanup(move || {
        if chat.active_untracked() == Some(room_id) {
            chat.set_active(None);
        }
    });

    let stick_to_bottom = StoredValue::new(true);

    view! {
        <section class="programme-section mentorship-conversation" aria-labelledby="conversation-heading">
            <h2 id="conversation-heading">"Conversation"</h2>
            <p class="hint">
                "Only the mentor and the organisation’s staff are in this conversation. "
                <a href=format!("/rooms/{room_id}") id="open-room">
                    "Open it full screen"
                </a>
            </p>
            <div class="conversation-box">
                <OfflineBanner />
                <MessageList
                    room_id=room_id
                    stick_to_bottom=stick_to_bottom
                    unread_after=unread_after
                />
                <TypingIndicator room_id=room_id />
                <Composer
                    room_id=room_id
                    on_sent=move |()| {
                        stick_to_bottom.set_value(true);
                        unread_after.set(None);
                    }
                />
            </div>
        </section>
    }
}
