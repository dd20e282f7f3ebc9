//! One of a co-op's rooms: the link, its unread count (live when the chat
//! knows the room), "Archived"; for coordinators rename in place, archive
//! and restore.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::RoomId;
use shared::api::coops::{CoopView, UpdateCoopRoom};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_rooms::upsert_room;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopRoomItem(
    coop: RwSignal<CoopView>,
    room_id: RoomId,
    coordinator: Memo<bool>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let room =
        Memo::new(move |_| coop.with(|c| c.rooms.iter().find(|r| r.room_id == room_id).cloned()));
    let title = move || room.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    let archived = move || room.with(|r| r.as_ref().is_some_and(|r| r.archived));
    // The chat's count moves with live messages and reads; the co-op's is
    // from when the page loaded.
    let unread = move || {
        session
            .chat
            .room(room_id)
            .map(|r| r.unread_count.max(0))
            .unwrap_or_else(|| room.with(|r| r.as_ref().map_or(0, |r| r.unread_count)))
    };
    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let draft_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let input_id = format!("coop-room-title-{room_id}");
    let rename_id = format!("coop-room-rename-{room_id}");

    let save = move |change: UpdateCoopRoom, done: fn(&str) -> String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        draft_error.set(None);
        let renaming_now = change.title.is_some();
        spawn_local(async move {
            let result = coops::update_coop_room(coop_id, room_id, &change).await;
            let _ = busy.try_set(false);
            match result {
                Ok(updated) => {
                    let said = done(&updated.title);
                    let _ = coop.try_update(|c| upsert_room(&mut c.rooms, updated));
                    let _ = renaming.try_set(false);
                    let _ = status.try_set(Some(said));
                    if renaming_now {
                        focus_later(format!("coop-room-rename-{room_id}"));
                    }
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) if renaming_now => {
                    let _ = draft_error.try_set(Some(e.message));
                    focus_later(format!("coop-room-title-{room_id}"));
                }
                Err(e) => {
                    let _ =
                        error.try_set(Some(format!("Could not change the room. {}", e.message)));
                }
            }
        });
    };

    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() {
            draft_error.set(Some("The room needs a title.".to_owned()));
            focus_later(format!("coop-room-title-{room_id}"));
            return;
        }
        let change = UpdateCoopRoom {
            title: Some(text),
            archived: None,
        };
        save(change, |t| format!("Renamed the room to “{t}”."));
    };
    let toggle_archive = move |_| {
        let archive = !archived();
        let change = UpdateCoopRoom {
            title: None,
            archived: Some(archive),
        };
        if archive {
            save(change, |t| {
                format!("Archived “{t}”: its history stays, and it takes no new messages.")
            });
        } else {
            save(change, |t| format!("Restored “{t}”."));
        }
    };

    view! {
        <li class="coop-room" class:archived=archived data-room-id=room_id>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    view! {
                        <p class="coop-room-title-row">
                            <a class="coop-room-link" href=format!("/rooms/{room_id}")>
                                {title}
                            </a>
                            <Show when=move || { unread() > 0 }>
                                " "
                                <span class="unread-badge coop-room-unread">
                                    {unread}
                                    <span class="visually-hidden">" unread"</span>
                                </span>
                            </Show>
                            <Show when=archived>
                                " "
                                <span class="label-tag archived">"Archived"</span>
                            </Show>
                        </p>
                    }
                }
            >
                <form class="coop-inline-form coop-room-rename-form" novalidate on:submit=on_rename>
                    <div class="field" class:has-error=move || draft_error.with(Option::is_some)>
                        <label for=input_id.clone()>"Room title"</label>
                        <input
                            id=input_id.clone()
                            name="title"
                            type="text"
                            autocomplete="off"
                            required
                            aria-invalid=move || draft_error.with(Option::is_some).then_some("true")
                            aria-describedby=format!("coop-room-title-{room_id}-error")
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev| {
                                if ev.key() == "Escape" {
                                    renaming.set(false);
                                    focus_later(format!("coop-room-rename-{room_id}"));
                                }
                            }
                        />
                        <p
                            class="field-error"
                            id=format!("coop-room-title-{room_id}-error")
                            role="alert"
                        >
                            {move || draft_error.get()}
                        </p>
                    </div>
                    <div class="inline-actions">
                        <button
                            type="submit"
                            class="button primary small coop-room-rename-save"
                            aria-busy=move || busy.get().then_some("true")
                        >
                            "Save title"
                        </button>
                        <button
                            type="button"
                            class="button secondary small"
                            on:click=move |_| {
                                renaming.set(false);
                                draft_error.set(None);
                                focus_later(format!("coop-room-rename-{room_id}"));
                            }
                        >
                            "Cancel"
                        </button>
                    </div>
                </form>
            </Show>
            <Show when=move || coordinator.get() && !renaming.get()>
                <div class="inline-actions coop-room-actions">
                    <button
                        type="button"
                        id=rename_id.clone()
                        class="link-button coop-room-rename"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            draft.set(title());
                            draft_error.set(None);
                            renaming.set(true);
                            focus_later(format!("coop-room-title-{room_id}"));
                        }
                    >
                        "Rename"
                        <span class="visually-hidden">{move || format!(" {}", title())}</span>
                    </button>
                    <button
                        type="button"
                        class="link-button coop-room-archive"
                        aria-busy=move || busy.get().then_some("true")
                        on:click=toggle_archive
                    >
                        {move || if archived() { "Restore" } else { "Archive" }}
                        <span class="visually-hidden">{move || format!(" {}", title())}</span>
                    </button>
                </div>
            </Show>
            <p class="field-error" role="alert">
                {move || error.get()}
            </p>
        </li>
    }
}
