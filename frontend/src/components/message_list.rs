//! A room's messages: history pages, live messages and pending sends in one
//! ordered list that follows new messages while the reader is at the bottom,
//! with a "New messages" line above the first unread one and "Seen" under
//! the newest message the other person has read. A link to
//! `/rooms/{id}#message-{id}` (from a notification) opens at that message.

use leptos::html::Ol;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::{ErrorKind, RoomId, Seq};
use wasm_bindgen::JsCast;

use crate::chat::use_chat;
use crate::components::message_item::{MessageItem, PendingItem};
use crate::ws::use_ws;

/// Within this many pixels of the end counts as "at the newest" for
/// following new messages.
const NEAR_BOTTOM_PX: i32 = 80;
/// How much of the newest message must be in view for it to count as read.
const SHOWN_PX: f64 = 16.0;

/// Scroll and focus work runs a frame later, when the room may already be
/// closed: then there is simply nothing to do.
fn live_list(list_ref: NodeRef<Ol>) -> Option<web_sys::HtmlOListElement> {
    list_ref.try_get_untracked().flatten()
}

fn is_near_bottom(el: &web_sys::Element) -> bool {
    el.scroll_height() - el.scroll_top() - el.client_height() < NEAR_BOTTOM_PX
}

/// The newest stored message is (at least partly) on screen. Pending sends
/// come after it and do not count: they are one's own.
fn newest_in_view(list: &web_sys::Element) -> bool {
    let mut item = list.last_element_child();
    while let Some(el) = item {
        if el.has_attribute("data-seq") {
            let (rect, view) = (
                el.get_bounding_client_rect(),
                list.get_bounding_client_rect(),
            );
            return rect.top() < view.bottom() - SHOWN_PX && rect.bottom() > view.top();
        }
        item = el.previous_element_sibling();
    }
    true
}

/// Opens a room at its "New messages" line: the end of the list if all the
/// new messages fit, else the line near the top (the list is its offset
/// parent), so the first unread message is the first thing read.
fn scroll_to_divider(list: &web_sys::HtmlOListElement) {
    let divider = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("unread-divider"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match divider {
        Some(divider) if list.scroll_height() - divider.offset_top() > list.client_height() => {
            list.set_scroll_top((divider.offset_top() - 8).max(0));
        }
        _ => list.set_scroll_top(list.scroll_height()),
    }
}

/// The message named by the address's `#message-{id}`, if it is loaded:
/// brought into view, marked and focused, so a screen reader starts there.
fn show_linked(hash: &str) -> bool {
    let Some(id) = hash.strip_prefix("#message-").filter(|id| !id.is_empty()) else {
        return false;
    };
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("message-{id}")))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let _ = el.set_attribute("data-linked", "true");
    let _ = el.focus();
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    true
}

#[component]
pub fn MessageList(
    room_id: RoomId,
    /// Set to true to jump to the newest message on the next change (after
    /// sending one, for example).
    stick_to_bottom: StoredValue<bool>,
    /// The read marker when the room was opened: the "New messages" line goes
    /// above the first message from someone else after it.
    #[prop(into)]
    unread_after: Signal<Option<Seq>>,
) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    let seqs = Memo::new(move |_| chat.seqs(room_id));
    let pending = Memo::new(move |_| chat.pending_for(room_id));
    let status = Memo::new(move |_| chat.timeline_status(room_id));
    let first_unread = Memo::new(move |_| {
        unread_after
            .get()
            .and_then(|after| chat.first_from_others_after(room_id, after))
    });
    let seen_seq = Memo::new(move |_| {
        chat.their_read_seq(room_id)
            .and_then(|read| chat.newest_mine_up_to(room_id, read))
    });
    let list_ref = NodeRef::<Ol>::new();
    let placed = StoredValue::new(false);
    let hash = use_location().hash;

    // Whether to follow new messages, and whether the newest one is on
    // screen (then the socket may send the read marker).
    let viewing = move |el: &web_sys::HtmlOListElement| {
        stick_to_bottom.set_value(is_near_bottom(el));
        let shown = newest_in_view(el);
        chat.set_viewing_newest(shown);
        if shown {
            ws.schedule_read();
        }
    };

    // Follow new messages only if the reader was already at the newest one;
    // someone reading back must not be yanked down. The first time, start at
    // the "New messages" line if there is one.
    Effect::new(move |_| {
        seqs.track();
        pending.track();
        let loaded = status.with(|s| s.loaded);
        if loaded && !placed.get_value() {
            placed.set_value(true);
            let linked = hash.get_untracked();
            if linked.starts_with("#message-") {
                request_animation_frame(move || {
                    let Some(el) = live_list(list_ref) else {
                        return;
                    };
                    if show_linked(&linked) {
                        stick_to_bottom.set_value(false);
                    } else if first_unread.get_untracked().is_some() {
                        scroll_to_divider(&el);
                    } else {
                        el.set_scroll_top(el.scroll_height());
                    }
                    viewing(&el);
                });
                return;
            }
            if first_unread.get_untracked().is_some() {
                request_animation_frame(move || {
                    if let Some(el) = live_list(list_ref) {
                        scroll_to_divider(&el);
                        viewing(&el);
                    }
                });
                return;
            }
        }
        let follow = stick_to_bottom.get_value();
        // Even when not following, a new message changes what "the newest
        // is on screen" means.
        request_animation_frame(move || {
            if let Some(el) = live_list(list_ref) {
                if follow {
                    el.set_scroll_top(el.scroll_height());
                }
                viewing(&el);
            }
        });
    });

    // The list's size settles after the first frames (the header hides on
    // phones, fonts load, the keyboard opens): look again whenever it
    // changes, or the newest message may be on screen without counting as read.
    Effect::new(move |_| {
        let Some(el) = list_ref.get() else {
            return;
        };
        let on_resize = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(el) = live_list(list_ref) {
                viewing(&el);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            let kept = send_wrapper::SendWrapper::new((observer, on_resize));
            on_cleanup(move || {
                let (observer, _closure) = kept.take();
                observer.disconnect();
            });
        }
    });

    let on_scroll = move |_| {
        if let Some(el) = live_list(list_ref) {
            viewing(&el);
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
            <Show when=move || status.with(|s| s.loading) && seqs.with(Vec::is_empty)>
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
                each=move || seqs.get()
                key=|seq| *seq
                children=move |seq| {
                    view! {
                        <MessageItem
                            room_id=room_id
                            seq=seq
                            divider=Signal::derive(move || first_unread.get() == Some(seq))
                            seen=Signal::derive(move || seen_seq.get() == Some(seq))
                        />
                    }
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
            status.with(|s| s.loaded) && seqs.with(Vec::is_empty) && pending.with(Vec::is_empty)
        }>
            <p class="empty-note">"No messages yet. Say hello below."</p>
        </Show>
    }
}
