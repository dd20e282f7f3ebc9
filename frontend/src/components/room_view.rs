//! One open room: its title (with the other person's presence), the mute
//! toggle, the connection banner, its messages, who is typing, and the
//! composer (or, in an archived co-op room, a notice in its place). A co-op
//! room lets its messages become decisions and actions (`record_form`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::rooms::UpdateRoomSettings;
use shared::{ErrorKind, RoomId, Seq};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::chat::use_chat;
use crate::components::composer::Composer;
use crate::components::message_list::MessageList;
use crate::components::offline_banner::OfflineBanner;
use crate::components::presence::PresenceBadge;
use crate::components::record_form::RecordTarget;
use crate::components::typing_indicator::TypingIndicator;
use crate::ws::use_ws;

#[component]
pub fn RoomView(room_id: RoomId) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();

    // Where "New messages" goes is decided once, from the read marker as it
    // was on opening (the marker moves as soon as the room is read). The room
    // list may not have arrived yet on a fresh load: then decide when it does,
    // which is still before a marker can be sent (that needs the list too).
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
    if let Some(room) = untrack(|| chat.room(room_id)) {
        decided.set_value(true);
        if room.unread_count > 0 {
            unread_after.set(Some(room.last_read_seq));
        }
    }

    chat.set_active(Some(room_id));
    ws.load_room(room_id);
    ws.schedule_read();
    on_cleanup(move || {
        // The next room may already have claimed "active" before this cleanup runs.
        if chat.active_untracked() == Some(room_id) {
            chat.set_active(None);
        }
    });

    let coop_id = Memo::new(move |_| chat.room(room_id).and_then(|r| r.coop_id));
    RecordTarget::provide(coop_id);
    // The server refuses new messages in an archived room; say so up front.
    let archived = Memo::new(move |_| chat.room(room_id).is_some_and(|r| r.archived));

    let title = Memo::new(move |_| chat.room_title(room_id));
    let other = Memo::new(move |_| chat.other_member(room_id).map(|u| u.id));
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
                <div class="room-heading">
                    <h1 id="room-title">{heading}</h1>
                    {move || {
                        other
                            .get()
                            .filter(|_| !not_found.get())
                            .map(|id| view! { <PresenceBadge user_id=id show_label=true /> })
                    }}
                </div>
                <Show when=move || known.get() && !not_found.get()>
                    // Folded away, so on a phone the messages keep the room.
                    <details class="room-options">
                        <summary>"Room options"</summary>
                        <MuteToggle room_id=room_id />
                        <LeaveRoom room_id=room_id />
                    </details>
                </Show>
            </div>
            <OfflineBanner />
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
                <MessageList
                    room_id=room_id
                    stick_to_bottom=stick_to_bottom
                    unread_after=unread_after
                />
                <TypingIndicator room_id=room_id />
                <Show
                    when=move || !archived.get()
                    fallback=|| {
                        view! {
                            <p id="room-archived" class="notice room-archived">
                                "This room is archived: you can read its history but not post."
                            </p>
                        }
                    }
                >
                    <Composer
                        room_id=room_id
                        on_sent=move |()| {
                            stick_to_bottom.set_value(true);
                            // Replying means the new messages have been read.
                            unread_after.set(None);
                        }
                    />
                </Show>
            </Show>
        </section>
    }
}

/// "Mute" / "Unmute" for the reader's own notifications from this room. The
/// word on the button says what it will do, so it carries no `aria-pressed`
/// (a toggle whose name changes with its state reads as a contradiction:
/// "Unmute, pressed"); the sentence beside it says what is in force.
#[component]
fn MuteToggle(room_id: RoomId) -> impl IntoView {
    let session = use_session();
    let chat = session.chat;
    let muted = Memo::new(move |_| chat.room(room_id).is_some_and(|r| r.muted));
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let toggle = move |_| {
        if saving.get_untracked() {
            return;
        }
        let want = !muted.get_untracked();
        saving.set(true);
        error.set(None);
        spawn_local(async move {
            let result =
                api::update_room_settings(room_id, &UpdateRoomSettings { muted: Some(want) }).await;
            match result {
                Ok(room) => {
                    session.ws.add_room(room);
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ =
                            error.try_set(Some(format!("Could not change that. {}", e.message)));
                    }
                }
            }
            let _ = saving.try_set(false);
        });
    };

    view! {
        <div class="room-mute">
            <button
                type="button"
                id="mute-toggle"
                class="button secondary small"
                aria-describedby="mute-help"
                aria-busy=move || saving.get().then_some("true")
                on:click=toggle
            >
                {move || if muted.get() { "Unmute" } else { "Mute" }}
            </button>
            <p id="mute-help" class="mute-help">
                {move || {
                    if muted.get() {
                        "Muted: you won't be notified of mentions here."
                    } else {
                        "Mute if you don't want to be notified of mentions here."
                    }
                }}
            </p>
            <p class="field-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// "Leave conversation", asked twice: leaving stops the room's messages
/// reaching you and closes its history until it is opened again.
#[component]
fn LeaveRoom(room_id: RoomId) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let leave = move |_| {
        let navigate = navigate.clone();
        error.set(None);
        spawn_local(async move {
            match api::leave_room(room_id).await {
                Ok(()) => {
                    session.chat.remove_room(room_id);
                    navigate("/", Default::default());
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = error.try_set(Some(format!("Could not leave. {}", e.message)));
                    }
                }
            }
        });
    };

    view! {
        <div class="room-leave">
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            id="leave-room"
                            class="button secondary small"
                            on:click=move |_| confirming.set(true)
                        >
                            "Leave conversation"
                        </button>
                    }
                }
            >
                <p id="leave-help">
                    "Leave this conversation? Its messages stop reaching you until it is opened again."
                </p>
                <button
                    type="button"
                    id="leave-confirm"
                    class="button danger small"
                    aria-describedby="leave-help"
                    on:click=leave.clone()
                >
                    "Yes, leave"
                </button>
                <button
                    type="button"
                    id="leave-cancel"
                    class="button secondary small"
                    on:click=move |_| confirming.set(false)
                >
                    "Cancel"
                </button>
            </Show>
            <p class="field-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
