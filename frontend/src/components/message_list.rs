//! A room's messages: history pages, live messages and pending sends in one
//! ordered list that follows new messages while the reader is at the bottom.

use leptos::html::Ol;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ErrorKind, RoomId};

use crate::chat::use_chat;
use crate::components::message_item::{MessageItem, PendingItem};
use crate::ws::use_ws;

/// Within this many pixels of the end counts as "reading the newest".
const NEAR_BOTTOM_PX: i32 = 80;

/// Scroll and focus work runs a frame later, when the room may already be
/// closed: then there is simply nothing to do.
fn live_list(list_ref: NodeRef<Ol>) -> Option<web_sys::HtmlOListElement> {
    list_ref.try_get_untracked().flatten()
}

fn is_near_bottom(el: &web_sys::Element) -> bool {
    el.scroll_height() - el.scroll_top() - el.client_height() < NEAR_BOTTOM_PX
}

#[component]
pub fn MessageList(
    room_id: RoomId,
    /// Set to true to jump to the newest message on the next change (after
    /// sending one, for example).
    stick_to_bottom: StoredValue<bool>,
) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    let messages = Memo::new(move |_| chat.messages(room_id));
    let pending = Memo::new(move |_| chat.pending_for(room_id));
    let status = Memo::new(move |_| chat.timeline_status(room_id));
    let me = Memo::new(move |_| chat.my_id());
    let list_ref = NodeRef::<Ol>::new();

    // Follow new messages only if the reader was already at the newest one;
    // someone reading back must not be yanked down.
    Effect::new(move |_| {
        messages.track();
        pending.track();
        if stick_to_bottom.get_value() {
            request_animation_frame(move || {
                if let Some(el) = live_list(list_ref) {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
    });

    let on_scroll = move |_| {
        if let Some(el) = live_list(list_ref) {
            stick_to_bottom.set_value(is_near_bottom(&el));
        }
    };

    let load_older = move |_| {
        let Some(el) = live_list(list_ref) else {
            return;
        };
        let height_before = el.scroll_height();
        let top_before = el.scroll_top();
        stick_to_bottom.set_value(false);
        spawn_local(async move {
            ws.load_older(room_id).await;
            request_animation_frame(move || {
                let Some(el) = live_list(list_ref) else {
                    return;
                };
                // Keep the message the reader was looking at where it was.
                el.set_scroll_top(el.scroll_height() - height_before + top_before);
                // The button is gone once the start is reached; put focus
                // somewhere sensible instead of dropping it on the page.
                if !chat.timeline_status_untracked(room_id).has_older {
                    let _ = el.focus();
                }
            });
        });
    };

    let retry = move |_| ws.load_room(room_id);

    let load_error = move || {
        status.with(|s| {
            s.error
                .as_ref()
                .filter(|e| e.kind != ErrorKind::NotFound)
                .map(|e| e.message.clone())
        })
    };

    view! {
        <div class="history-controls">
            <Show when=move || status.with(|s| s.has_older)>
                <button type="button" id="load-older" class="button secondary" on:click=load_older>
                    {move || {
                        if status.with(|s| s.loading_older) {
                            "Loading older messages…"
                        } else {
                            "Load older messages"
                        }
                    }}
                </button>
            </Show>
            <Show when=move || status.with(|s| s.loading) && messages.with(Vec::is_empty)>
                <p class="muted">"Loading messages…"</p>
            </Show>
            <div class="load-error" role="alert">
                {move || {
                    load_error()
                        .map(|m| {
                            view! {
                                <p>
                                    {m} " "
                                    <Show when=move || !status.with(|s| s.loaded)>
                                        <button type="button" class="button secondary" on:click=retry>
                                            "Try again"
                                        </button>
                                    </Show>
                                </p>
                            }
                        })
                }}
            </div>
        </div>
        <ol
            id="messages"
            class="messages"
            aria-label="Messages"
            tabindex="0"
            node_ref=list_ref
            on:scroll=on_scroll
        >
            <For
                each=move || messages.get()
                key=|m| m.seq
                children=move |m| {
                    let mine = Some(m.author_id) == me.get_untracked();
                    view! { <MessageItem message=m mine=mine /> }
                }
            />
            <For
                each=move || pending.get()
                key=|p| p.client_msg_id.clone()
                children=move |p| {
                    let author = chat
                        .me_untracked()
                        .map(|m| m.display_name)
                        .unwrap_or_default();
                    view! { <PendingItem pending=p author=author /> }
                }
            />
        </ol>
        <Show when=move || {
            status.with(|s| s.loaded) && messages.with(Vec::is_empty) && pending.with(Vec::is_empty)
        }>
            <p class="empty-note">"No messages yet. Say hello below."</p>
        </Show>
    }
}
