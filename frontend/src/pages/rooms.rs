//! Rooms: the room list and the open room in one layout. Wide screens show
//! both side by side; narrow ones show the list at `/` and the room at
//! `/rooms/:id`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::RoomId;

use crate::app::set_page_title;
use crate::components::room_list::RoomList;
use crate::components::room_view::RoomView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Selection {
    None,
    Room(RoomId),
    /// `/rooms/abc`: not an id at all.
    Invalid,
}

#[component]
pub fn RoomsPage() -> impl IntoView {
    let params = use_params_map();
    let selection = Memo::new(move |_| match params.read().get("id") {
        None => Selection::None,
        Some(id) => id
            .parse::<RoomId>()
            .map(Selection::Room)
            .unwrap_or(Selection::Invalid),
    });
    let has_room = move || selection.get() != Selection::None;
    let selected = Signal::derive(move || match selection.get() {
        Selection::Room(id) => Some(id),
        _ => None,
    });

    Effect::new(move |_| match selection.get() {
        Selection::None => set_page_title("Rooms"),
        Selection::Invalid => set_page_title("Conversation not found"),
        // The room view names the page after the room.
        Selection::Room(_) => {}
    });

    view! {
        <main id="main" class="rooms-layout" class:has-room=has_room>
            <section class="room-list-pane" aria-labelledby="rooms-heading">
                // One h1 per page: the list is the page until a room is open.
                {move || {
                    if has_room() {
                        view! { <h2 id="rooms-heading">"Rooms"</h2> }.into_any()
                    } else {
                        view! { <h1 id="rooms-heading">"Rooms"</h1> }.into_any()
                    }
                }}
                <RoomList selected=selected />
            </section>
            {move || match selection.get() {
                Selection::Room(id) => view! { <RoomView room_id=id /> }.into_any(),
                Selection::Invalid => {
                    view! {
                        <section class="room-pane" aria-labelledby="room-title">
                            <div class="room-header">
                                <a href="/" class="back-link">"Back to rooms"</a>
                                <h1 id="room-title">"Conversation not found"</h1>
                            </div>
                            <p class="notice">"This address does not point to a conversation."</p>
                        </section>
                    }
                        .into_any()
                }
                Selection::None => {
                    view! {
                        <div class="room-pane room-placeholder">
                            <p>
                                "Choose a conversation to read and reply. To start a new one, find someone on the "
                                <a href="/people">"People"</a> " page."
                            </p>
                        </div>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
