//! The list of the reader's rooms: each a link with title, the other
//! person's presence, last-message preview, how many messages are unread,
//! and whether the reader muted it.

use leptos::prelude::*;
use shared::RoomId;
use shared::api::rooms::RoomSummary;

use crate::chat::{RoomsLoad, use_chat};
use crate::components::presence::PresenceBadge;
use crate::components::retry_notice::RetryNotice;
use crate::ws::use_ws;

/// Long enough to recognise a message, short enough for one line on a phone.
const PREVIEW_CHARS: usize = 80;

fn preview(room: &RoomSummary, me: Option<shared::UserId>) -> String {
    let Some(m) = room.last_message.as_ref() else {
        return "No messages yet".to_owned();
    };
    let who = if Some(m.author_id) == me {
        "You"
    } else {
        m.author_name.as_str()
    };
    if m.deleted {
        return format!("{who}: message deleted");
    }
    if m.hidden {
        return format!("{who}: message hidden by a moderator");
    }
    let first_line = m.body.lines().next().unwrap_or_default();
    let mut text: String = first_line.chars().take(PREVIEW_CHARS).collect();
    if first_line.chars().count() > PREVIEW_CHARS || m.body.lines().nth(1).is_some() {
        text.push('…');
    }
    format!("{who}: {text}")
}

#[component]
pub fn RoomList(#[prop(into)] selected: Signal<Option<RoomId>>) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    let rooms = Memo::new(move |_| chat.rooms());
    let load = Memo::new(move |_| chat.rooms_load());

    view! {
        {move || match load.get() {
            RoomsLoad::Idle | RoomsLoad::Loading if rooms.with(Vec::is_empty) => {
                view! { <p class="muted">"Loading your conversations…"</p> }.into_any()
            }
            RoomsLoad::Failed(message) => {
                let retry = Callback::new(move |()| ws.refresh_rooms());
                view! { <RetryNotice message=message on_retry=retry /> }.into_any()
            }
            RoomsLoad::Loaded if rooms.with(Vec::is_empty) => {
                view! {
                    <p class="empty-note">
                        "No conversations yet. Find someone on the "
                        <a href="/people">"People"</a>
                        " page to start one."
                    </p>
                }
                    .into_any()
            }
            _ => ().into_any(),
        }}
        <ul id="room-list" class="room-list">
            // Keyed by id alone and reactive inside, so a new message updates
            // a row in place and keyboard focus on it survives.
            <For
                each=move || rooms.with(|rooms| rooms.iter().map(|r| r.id).collect::<Vec<_>>())
                key=|id| *id
                children=move |id| view! { <RoomListItem room_id=id selected=selected /> }
            />
        </ul>
    }
}

#[component]
fn RoomListItem(room_id: RoomId, selected: Signal<Option<RoomId>>) -> impl IntoView {
    let chat = use_chat();
    let id = room_id;
    let href = format!("/rooms/{id}");
    let room = Memo::new(move |_| chat.room(room_id));
    let text = move || {
        room.with(|r| {
            r.as_ref()
                .map(|r| preview(r, chat.my_id()))
                .unwrap_or_default()
        })
    };
    let title = move || room.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    let unread = Memo::new(move |_| chat.unread_count(room_id));
    let muted = Memo::new(move |_| room.with(|r| r.as_ref().is_some_and(|r| r.muted)));
    let other = Memo::new(move |_| chat.other_member(room_id).map(|u| u.id));
    view! {
        <li class="room-item" class:unread=move || { unread.get() > 0 }>
            <a
                href=href
                class="room-link"
                data-room-id=id
                aria-current=move || (selected.get() == Some(id)).then_some("page")
            >
                <span class="room-title-row">
                    <span class="room-name">
                        <span class="room-title">{title}</span>
                        {move || other.get().map(|id| view! { <PresenceBadge user_id=id /> })}
                        <Show when=move || muted.get()>
                            <span class="muted-label">
                                <span class="visually-hidden">", "</span>
                                "Muted"
                            </span>
                        </Show>
                    </span>
                    <Show when=move || { unread.get() > 0 }>
                        <span class="unread-badge" data-count=move || unread.get()>
                            {move || unread.get()}
                            <span class="visually-hidden">" unread"</span>
                        </span>
                    </Show>
                </span>
                <span class="room-preview">{text}</span>
            </a>
        </li>
    }
}
