//! One open room: its title, its messages and the composer.

use leptos::prelude::*;
use shared::{ErrorKind, RoomId};

use crate::app::set_page_title;
use crate::chat::use_chat;
use crate::components::composer::Composer;
use crate::components::message_list::MessageList;
use crate::ws::use_ws;

#[component]
pub fn RoomView(room_id: RoomId) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    chat.set_active(Some(room_id));
    ws.load_room(room_id);
    on_cleanup(move || {
        // The next room may already have claimed "active" before this cleanup runs.
        if chat.active_untracked() == Some(room_id) {
            chat.set_active(None);
        }
    });

    let title = Memo::new(move |_| chat.room_title(room_id));
    let not_found = Memo::new(move |_| {
        chat.timeline_status(room_id)
            .error
            .is_some_and(|e| e.kind == ErrorKind::NotFound)
    });
    let heading = move || {
        if not_found.get() {
            "Conversation not found".to_owned()
        } else {
            title.get().unwrap_or_else(|| "Conversation".to_owned())
        }
    };
    Effect::new(move |_| set_page_title(&heading()));

    let stick_to_bottom = StoredValue::new(true);

    view! {
        <section class="room-pane room-view" aria-labelledby="room-title">
            <div class="room-header">
                <a href="/" class="back-link">
                    "Back to rooms"
                </a>
                <h1 id="room-title">{heading}</h1>
            </div>
            <Show
                when=move || !not_found.get()
                fallback=|| {
                    view! {
                        <p class="notice">
                            "This conversation does not exist, or you are not a member of it. "
                            <a href="/">"Go to your rooms"</a>
                        </p>
                    }
                }
            >
                <MessageList room_id=room_id stick_to_bottom=stick_to_bottom />
                <Composer
                    room_id=room_id
                    on_sent=move |()| stick_to_bottom.set_value(true)
                />
            </Show>
        </section>
    }
}
