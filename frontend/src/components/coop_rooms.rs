//! A co-op's rooms (members only), archived last; for coordinators the form
//! that opens a new one. Each room is a `CoopRoomItem`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{CoopRoom, CoopView, CreateCoopRoom};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_room_item::CoopRoomItem;
use crate::components::form_errors::focus_later;

/// Puts `room` in place of its old self (or adds it), archived rooms last.
pub fn upsert_room(rooms: &mut Vec<CoopRoom>, room: CoopRoom) {
    match rooms.iter_mut().find(|r| r.room_id == room.room_id) {
        Some(known) => *known = room,
        None => rooms.push(room),
    }
    // Stable: otherwise the order the server gave stays.
    rooms.sort_by_key(|r| r.archived);
}

#[component]
pub fn CoopRooms(coop: RwSignal<CoopView>) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let room_ids =
        Memo::new(move |_| coop.with(|c| c.rooms.iter().map(|r| r.room_id).collect::<Vec<_>>()));
    let coordinator = Memo::new(move |_| coop.with(|c| c.viewer.coordinator));
    let status = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let title_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            title_error.set(Some(
                "Give the room a title, such as “Joint bid” or “Referrals”.".to_owned(),
            ));
            focus_later("coop-room-new-title");
            return;
        }
        title_error.set(None);
        status.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = coops::create_coop_room(coop_id, &CreateCoopRoom { title: text }).await;
            let _ = busy.try_set(false);
            match result {
                Ok(room) => {
                    let said = format!("Opened the room “{}”.", room.title);
                    let _ = coop.try_update(|c| upsert_room(&mut c.rooms, room));
                    let _ = title.try_set(String::new());
                    let _ = status.try_set(Some(said));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = title_error.try_set(Some(e.message));
                        focus_later("coop-room-new-title");
                    }
                }
            }
        });
    };

    view! {
        <section id="coop-rooms" class="coop-section" aria-labelledby="coop-rooms-heading">
            <h2 id="coop-rooms-heading">"Rooms"</h2>
            <Show
                when=move || !room_ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty-note" id="coop-rooms-empty">
                            {move || {
                                if coordinator.get() {
                                    "No rooms yet. Open the first one below."
                                } else {
                                    "No rooms yet. A coordinator can open one."
                                }
                            }}
                        </p>
                    }
                }
            >
                <ul class="coop-rooms">
                    <For
                        each=move || room_ids.get()
                        key=|id| *id
                        children=move |room_id| {
                            view! {
                                <CoopRoomItem
                                    coop=coop
                                    room_id=room_id
                                    coordinator=coordinator
                                    status=status
                                />
                            }
                        }
                    />
                </ul>
            </Show>
            <p id="coop-rooms-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <Show when=move || coordinator.get()>
                <form id="coop-room-new" class="coop-form coop-inline-form" novalidate on:submit=on_submit>
                    <div class="field" class:has-error=move || title_error.with(Option::is_some)>
                        <label for="coop-room-new-title">"New room title"</label>
                        <input
                            id="coop-room-new-title"
                            name="title"
                            type="text"
                            autocomplete="off"
                            required
                            aria-invalid=move || title_error.with(Option::is_some).then_some("true")
                            aria-describedby=move || {
                                title_error.with(Option::is_some).then_some("coop-room-new-title-error")
                            }
                            prop:value=move || title.get()
                            on:input=move |ev| title.set(event_target_value(&ev))
                        />
                        <p class="field-error" id="coop-room-new-title-error" role="alert">
                            {move || title_error.get()}
                        </p>
                    </div>
                    <button
                        type="submit"
                        id="coop-room-new-submit"
                        class="button secondary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        "Open room"
                    </button>
                </form>
            </Show>
        </section>
    }
}
