//! One message in a room's history (with Edit and Delete on your own,
//! "Record…" on any in a co-op room, "More" with Report and Raise a
//! concern, its tombstone once deleted or hidden by a moderator, "Seen", a
//! highlight when it mentions you, and glossary terms explained in place),
//! and the not-yet-acked version of one of your own; plus the local-time
//! formatting they use.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::{MessageId, RoomId, Seq};
use wasm_bindgen::{JsCast, JsValue};

use crate::chat::{MessageOp, OpKind, PendingSend, use_chat};
use crate::components::content_menu::{ContentActions, ContentMenu, ContentRef, ReportPanel};
use crate::components::delete_confirm::DeleteConfirm;
use crate::components::form_errors::focus_later;
use crate::components::glossary_text::GlossaryText;
use crate::components::record_form::{RecordButton, RecordForm, RecordTarget, use_record_target};
use crate::ws::{ConnectionStatus, use_ws};
use shared::UserId;
use shared::mentions::mentioned;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "14:05" today, "3 Mar 14:05" this year, "3 Mar 2024 14:05" before; in the
/// reader's own time zone, which only the browser's `Date` knows.
pub fn format_time(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let now = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    let month = MONTHS
        .get(date.get_month() as usize)
        .copied()
        .unwrap_or_default();
    let same_year = date.get_full_year() == now.get_full_year();
    let same_day =
        same_year && date.get_month() == now.get_month() && date.get_date() == now.get_date();
    if same_day {
        time
    } else if same_year {
        format!("{} {month} {time}", date.get_date())
    } else {
        format!(
            "{} {month} {} {time}",
            date.get_date(),
            date.get_full_year()
        )
    }
}

/// One stored message, by seq: it re-reads the store, so an edit or a
/// delete from anywhere updates it in place (and keyboard focus survives).
/// Your own messages get Edit and Delete.
#[component]
pub fn MessageItem(
    room_id: RoomId,
    seq: Seq,
    /// The "New messages" line goes just above this message.
    #[prop(into)]
    divider: Signal<bool>,
    /// The other person has read this far: "Seen" goes under it.
    #[prop(into)]
    seen: Signal<bool>,
) -> impl IntoView {
    let chat = use_chat();
    let message = Memo::new(move |_| chat.message(room_id, seq));
    let Some(first) = message.get_untracked() else {
        return ().into_any();
    };
    let id = first.id;
    let mine = Some(first.author_id) == chat.me_untracked().map(|m| m.id);
    let when = format_time(&first.created_at);
    let iso = first.created_at.to_rfc3339();
    let deleted = Memo::new(move |_| message.with(|m| m.as_ref().is_some_and(|m| m.deleted)));
    // Hidden by a moderator: a tombstone of its own, for its author too.
    let hidden =
        Memo::new(move |_| message.with(|m| m.as_ref().is_some_and(|m| m.hidden && !m.deleted)));
    let gone = Memo::new(move |_| deleted.get() || hidden.get());
    let actions = ContentActions::new(
        ContentRef::Message { id, room_id },
        first.author_name.clone(),
        mine,
    );
    let edited = Memo::new(move |_| {
        message.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.edited_at.is_some() && !m.deleted)
        })
    });
    let body = move || message.with(|m| m.as_ref().map(|m| m.body.clone()).unwrap_or_default());
    // In a co-op room any message that is still there can become a decision or action.
    let record = use_record_target();
    let coop_id = Memo::new(move |_| record.and_then(|t| t.coop_id.get()));
    let recordable = Memo::new(move |_| coop_id.get().is_some() && !gone.get());
    let record_open =
        Memo::new(move |_| recordable.get() && record.is_some_and(|t| t.open.get() == Some(id)));
    // The server's rule (shared), over the same candidates it uses: the
    // room's members but the author. Nobody is notified of their own
    // mentions, so neither are they highlighted.
    let my_id = chat.my_id();
    let names = Memo::new(move |_| chat.member_names(room_id));
    let mentions_me = Memo::new(move |_| {
        let Some(me) = my_id.filter(|_| !mine) else {
            return false;
        };
        names.with(|names| {
            message.with(|m| {
                m.as_ref().is_some_and(|m| {
                    let candidates: Vec<(UserId, &str)> = names
                        .iter()
                        .filter(|(id, _)| *id != m.author_id)
                        .map(|(id, name)| (*id, name.as_str()))
                        .collect();
                    !m.deleted && !m.hidden && mentioned(&m.body, &candidates).contains(&me)
                })
            })
        })
    });

    // Deleting removes the buttons that had focus; keep the reader's place
    // on the message rather than dropping them at the top of the page.
    Effect::new(move |was: Option<bool>| {
        let now = gone.get();
        if was == Some(false) && now && focus_was_lost() {
            focus_later(format!("message-{id}"));
        }
        now
    });

    view! {
        {move || {
            divider
                .get()
                .then(|| {
                    view! {
                        <li class="unread-divider" id="unread-divider">
                            <span>"New messages"</span>
                        </li>
                    }
                })
        }}
        <li
            class="message"
            class:mine=mine
            class:deleted=move || gone.get()
            class:hidden-by-moderator=move || hidden.get()
            class:mentions-me=move || mentions_me.get()
            id=format!("message-{id}")
            data-seq=seq
            data-message-id=id
            tabindex="-1"
        >
            <p class="message-meta">
                <span class="message-author">{first.author_name}</span>
                " "
                <time class="message-time" datetime=iso>
                    {when}
                </time>
                {move || {
                    (edited.get() && !hidden.get())
                        .then(|| view! { " " <span class="message-edited">"(edited)"</span> })
                }}
                {move || {
                    mentions_me
                        .get()
                        .then(|| view! { " " <span class="mention-tag">"Mentions you"</span> })
                }}
                // "More": Report (not on one's own) and Raise a concern.
                {move || (!gone.get()).then(|| view! { " " <ContentMenu actions=actions /> })}
            </p>
            {move || {
                if deleted.get() {
                    view! { <p class="message-body message-deleted">"This message was deleted."</p> }
                        .into_any()
                } else if hidden.get() {
                    view! {
                        <p class="message-body message-deleted message-hidden">
                            "Hidden by a moderator."
                        </p>
                    }
                        .into_any()
                } else if mine {
                    view! {
                        <OwnMessageBody
                            message_id=id
                            body=Signal::derive(body)
                            record=record.filter(|_| recordable.get())
                        />
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="message-body">
                            <GlossaryText text=Signal::derive(body) id_prefix=format!("gl-m{id}") />
                        </p>
                        {record
                            .filter(|_| recordable.get())
                            .map(|target| {
                                view! {
                                    <div class="message-actions">
                                        <RecordButton target=target message_id=id />
                                    </div>
                                }
                            })}
                    }
                        .into_any()
                }
            }}
            {move || (!gone.get()).then(|| view! { <ReportPanel actions=actions /> })}
            {move || {
                let target = record?;
                let coop_id = coop_id.get()?;
                record_open
                    .get()
                    .then(|| {
                        view! {
                            <RecordForm
                                target=target
                                coop_id=coop_id
                                message_id=id
                                body=untrack(body)
                            />
                        }
                    })
            }}
            {move || {
                (mine && seen.get() && !gone.get())
                    .then(|| view! { <p class="read-receipt">"Seen"</p> })
            }}
        </li>
    }
    .into_any()
}

/// The body of one's own message with Edit and Delete (and "Record…" in a
/// co-op room), the inline edit form, and the delete confirmation.
#[component]
fn OwnMessageBody(
    message_id: MessageId,
    body: Signal<String>,
    /// Set in a co-op room: the message can become a decision or action.
    record: Option<RecordTarget>,
) -> impl IntoView {
    let chat = use_chat();
    let ws = use_ws();
    let id = message_id;
    let op = Memo::new(move |_| chat.op(id));
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    // Refusals found before sending (empty, too long, offline).
    let local_error = RwSignal::new(None::<String>);
    let edit_button = format!("edit-button-{id}");
    let delete_button = format!("delete-button-{id}");
    let textarea_id = format!("edit-{id}");
    let help_id = format!("edit-help-{id}");
    let error_id = format!("edit-error-{id}");
    let question_id = format!("delete-question-{id}");
    let cancel_delete_id = format!("delete-cancel-{id}");

    let waiting = move |kind: OpKind| {
        op.with(|o| {
            o.as_ref()
                .is_some_and(|o| o.kind == kind && o.error.is_none())
        })
    };
    let error_for = move |kind: OpKind| {
        local_error.get().or_else(|| {
            op.with(|o| {
                o.as_ref()
                    .filter(|o| o.kind == kind)
                    .and_then(|o| o.error.clone())
            })
        })
    };

    // The answer came: close the form and put focus somewhere that makes
    // sense, not on a button that has just disappeared.
    let after_edit = edit_button.clone();
    Effect::new(move |before: Option<Option<MessageOp>>| {
        let now = op.get();
        if let Some(Some(before)) = before
            && before.error.is_none()
            && now.is_none()
        {
            match before.kind {
                OpKind::Edit if editing.get_untracked() => {
                    editing.set(false);
                    focus_later(after_edit.clone());
                }
                // The tombstone replaces this component; `MessageItem` moves focus.
                OpKind::Edit | OpKind::Delete => {}
            }
        }
        now
    });

    let start_edit = {
        let textarea_id = textarea_id.clone();
        move |_| {
            draft.set(body.get_untracked());
            local_error.set(None);
            chat.end_op(id);
            confirming.set(false);
            editing.set(true);
            let textarea_id = textarea_id.clone();
            request_animation_frame(move || {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&textarea_id))
                    .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                {
                    let _ = el.focus();
                    // The caret at the end, where a correction usually goes.
                    let end = el.value().encode_utf16().count() as u32;
                    let _ = el.set_selection_range(end, end);
                }
            });
        }
    };
    let cancel_edit = {
        let edit_button = edit_button.clone();
        move || {
            editing.set(false);
            local_error.set(None);
            chat.end_op(id);
            focus_later(edit_button.clone());
        }
    };
    let save = {
        let cancel_edit = cancel_edit.clone();
        move || {
            if waiting(OpKind::Edit) {
                return;
            }
            let text = draft.get_untracked();
            if text.trim() == body.get_untracked().trim() {
                cancel_edit();
                return;
            }
            chat.end_op(id);
            local_error.set(ws.edit_message(id, &text).err());
        }
    };

    let start_delete = {
        let cancel_delete_id = cancel_delete_id.clone();
        move |_| {
            local_error.set(None);
            chat.end_op(id);
            confirming.set(true);
            // Cancel first: a second tap or Enter must not delete by accident.
            focus_later(cancel_delete_id.clone());
        }
    };
    let cancel_delete = {
        let delete_button = delete_button.clone();
        move || {
            confirming.set(false);
            local_error.set(None);
            chat.end_op(id);
            focus_later(delete_button.clone());
        }
    };
    let confirm_delete = move |()| {
        if waiting(OpKind::Delete) {
            return;
        }
        chat.end_op(id);
        local_error.set(ws.delete_message(id).err());
    };

    move || {
        if editing.get() {
            let save = save.clone();
            let save_on_enter = save.clone();
            let cancel = cancel_edit.clone();
            let cancel_on_escape = cancel_edit.clone();
            view! {
                <form
                    class="edit-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                >
                    <label for=textarea_id.clone()>"Edit message"</label>
                    <textarea
                        id=textarea_id.clone()
                        rows="3"
                        aria-describedby=format!("{help_id} {error_id}")
                        aria-invalid=move || error_for(OpKind::Edit).is_some().then_some("true")
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                ev.prevent_default();
                                save_on_enter();
                            } else if ev.key() == "Escape" {
                                ev.prevent_default();
                                cancel_on_escape();
                            }
                        }
                    ></textarea>
                    <p id=help_id.clone() class="hint">
                        "Enter saves, Escape cancels."
                    </p>
                    <div class="inline-actions">
                        <button
                            type="submit"
                            class="button primary small"
                            aria-busy=move || waiting(OpKind::Edit).then_some("true")
                        >
                            {move || if waiting(OpKind::Edit) { "Saving…" } else { "Save" }}
                        </button>
                        <button
                            type="button"
                            class="button secondary small"
                            on:click=move |_| cancel()
                        >
                            "Cancel"
                        </button>
                    </div>
                    <p id=error_id.clone() class="field-error" role="alert">
                        {move || error_for(OpKind::Edit)}
                    </p>
                </form>
            }
            .into_any()
        } else if confirming.get() {
            let cancel = cancel_delete.clone();
            view! {
                <p class="message-body">
                    <GlossaryText text=body id_prefix=format!("gl-m{id}") />
                </p>
                <DeleteConfirm
                    question_id=question_id.clone()
                    question="Delete this message? This cannot be undone."
                    cancel_id=cancel_delete_id.clone()
                    busy=Signal::derive(move || waiting(OpKind::Delete))
                    on_confirm=Callback::new(confirm_delete)
                    on_cancel=Callback::new(move |()| cancel())
                >
                    <p class="field-error" role="alert">
                        {move || error_for(OpKind::Delete)}
                    </p>
                </DeleteConfirm>
            }
            .into_any()
        } else {
            view! {
                <p class="message-body">
                    <GlossaryText text=body id_prefix=format!("gl-m{id}") />
                </p>
                <div class="message-actions">
                    <button
                        type="button"
                        id=edit_button.clone()
                        class="link-button"
                        on:click=start_edit.clone()
                    >
                        "Edit"
                        <span class="visually-hidden">" message"</span>
                    </button>
                    <button
                        type="button"
                        id=delete_button.clone()
                        class="link-button"
                        on:click=start_delete.clone()
                    >
                        "Delete"
                        <span class="visually-hidden">" message"</span>
                    </button>
                    {record.map(|target| view! { <RecordButton target=target message_id=id /> })}
                </div>
            }
            .into_any()
        }
    }
}

fn focus_was_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.as_ref(),
        (Some(_), None) => false,
    }
}

#[component]
pub fn PendingItem(pending: PendingSend, author: String) -> impl IntoView {
    let ws = use_ws();
    let state = move || {
        if ws.status() == ConnectionStatus::Connected {
            "Sending…"
        } else {
            "Waiting for the connection…"
        }
    };
    view! {
        <li class="message message-pending mine" data-client-msg-id=pending.client_msg_id>
            <p class="message-meta">
                <span class="message-author">{author}</span>
                " "
                <span class="message-time">{state}</span>
            </p>
            <p class="message-body">{pending.body}</p>
        </li>
    }
}
