//! The notifications page: mentions of the reader, programme steps and news
//! of followed threads, newest first, each a link to what it is about.
//! Opening the page marks what it shows as read (as the mention lists of
//! Zulip and Element do); what was new keeps its "New" tag until the reader
//! leaves, so they can still tell which ones came in.

use std::collections::HashSet;

use leptos::prelude::*;
use shared::api::notifications::{NotificationKind, NotificationView};
use shared::api::rooms::RoomKind;

use crate::app::set_page_title;
use crate::chat::use_chat;
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;
use crate::notifications::{
    NotesLoad, notification_headline, notification_thread_link, notification_trust_link,
    use_notifications,
};
use crate::ws::use_ws;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    set_page_title("Notifications");
    let notes = use_notifications();
    let ws = use_ws();
    let list = Memo::new(move |_| notes.list());
    let load = Memo::new(move |_| notes.load());
    // Unread when this page showed them: tagged "New" for this visit.
    let fresh = RwSignal::new(HashSet::<i64>::new());

    // Only a page someone can see counts as read; a mention arriving in a
    // background tab waits for them to come back.
    let visible = RwSignal::new(page_visible());
    let listener = window_event_listener_untyped("visibilitychange", move |_| {
        visible.set(page_visible());
    });
    on_cleanup(move || listener.remove());

    Effect::new(move |_| {
        let unread: Vec<i64> = list.with(|l| l.iter().filter(|n| !n.read).map(|n| n.id).collect());
        let Some(newest) = unread.iter().copied().max() else {
            return;
        };
        if !visible.get() {
            return;
        }
        fresh.update(|f| f.extend(unread));
        ws.mark_notifications_read(newest);
    });

    view! {
        <main id="main" class="page narrow">
            <h1>"Notifications"</h1>
            <p class="muted">
                "When someone writes @ and your name in a conversation, it shows here, and so do new replies and threads you follow, and safeguarding concerns for you. Opening this page marks them as read."
            </p>
            {move || match load.get() {
                NotesLoad::Failed(message) if list.with(Vec::is_empty) => {
                    let retry = Callback::new(move |()| ws.refresh_notifications());
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                NotesLoad::Loaded if list.with(Vec::is_empty) => {
                    view! {
                        <p id="notifications-empty" class="empty-note">
                            "No notifications yet. Mentions of you and news of your organisations and mentorships will appear here."
                        </p>
                    }
                        .into_any()
                }
                _ if list.with(Vec::is_empty) => {
                    view! { <p class="muted">"Loading notifications…"</p> }.into_any()
                }
                _ => ().into_any(),
            }}
            <ol id="notification-list" class="notification-list">
                <For
                    each=move || list.get()
                    key=|n| n.id
                    children=move |n| {
                        let id = n.id;
                        view! {
                            <NotificationItem
                                note=n
                                is_new=Signal::derive(move || {
                                    fresh.with(|f| f.contains(&id))
                                        || list.with(|l| l.iter().any(|x| x.id == id && !x.read))
                                })
                            />
                        }
                    }
                />
            </ol>
        </main>
    }
}

#[component]
fn NotificationItem(note: NotificationView, #[prop(into)] is_new: Signal<bool>) -> impl IntoView {
    let chat = use_chat();
    let room_id = note.room_id;
    let actor = note.actor.display_name.clone();
    let trust_link = notification_trust_link(&note);
    let href = match (notification_thread_link(&note), note.kind, note.coop_id) {
        _ if trust_link.is_some() => trust_link.clone().flatten().unwrap_or_default(),
        (Some(link), ..) => link,
        // Co-op news (a request, an invitation, an admission, an action
        // given to the reader) is read on the co-op's page, whatever
        // organisation it also names.
        (None, NotificationKind::Coop, Some(coop)) => format!("/coops/{coop}"),
        (None, ..) => match (
            note.room_id,
            note.message_id,
            note.mentorship_id,
            note.organisation_id,
        ) {
            (Some(room), Some(message), _, _) => format!("/rooms/{room}#message-{message}"),
            (_, _, Some(mentorship), _) => format!("/mentorships/{mentorship}"),
            (_, _, _, Some(organisation)) => format!("/organisations/{organisation}"),
            // About a mentor application: the programme team decides them on
            // the admin page; the applicant reads the decision on their profile.
            _ if crate::auth::use_auth().user().is_some_and(|me| me.is_admin) => {
                "/admin".to_owned()
            }
            _ => "/mentor-profile".to_owned(),
        },
    };
    // A direct room is named after the other person, who is usually the one
    // who mentioned you: "Asha mentioned you in Asha" would read oddly.
    let place = move || match room_id.and_then(|id| chat.room(id)) {
        Some(room) if room.kind == RoomKind::Direct => "in your direct conversation".to_owned(),
        Some(room) => format!("in {}", room.title),
        None => "in a conversation".to_owned(),
    };
    // Mentions quote the message under the link, thread news who wrote
    // what; programme steps are one sentence, which is the link.
    let (headline, excerpt) = match note.kind {
        NotificationKind::Mention => (
            view! {
                <span class="notification-actor">{actor}</span>
                " mentioned you "
                {place}
            }
            .into_any(),
            Some(note.excerpt.into_any()),
        ),
        NotificationKind::ThreadReply | NotificationKind::NewThread => (
            notification_headline(&note).unwrap_or_default().into_any(),
            Some(
                view! {
                    <span class="notification-actor">{actor}</span>
                    ": "
                    {note.excerpt}
                }
                .into_any(),
            ),
        ),
        NotificationKind::Mentorship
        | NotificationKind::Nudge
        | NotificationKind::Decision
        | NotificationKind::Coop
        | NotificationKind::Concern
        | NotificationKind::Moderation => (note.excerpt.into_any(), None),
    };
    // A moderator's step about nothing that can be opened (a warning) is
    // a sentence, not a link.
    let linked = !matches!(trust_link, Some(None));
    let when = format_time(&note.created_at);
    let iso = note.created_at.to_rfc3339();
    view! {
        <li
            class="notification"
            class:unread=move || is_new.get()
            data-notification-id=note.id
            data-room-id=room_id
        >
            {if linked {
                view! {
                    <a href=href class="notification-link">
                        <NewTag is_new=is_new />
                        {headline}
                    </a>
                }
                    .into_any()
            } else {
                view! {
                    <p class="notification-text">
                        <NewTag is_new=is_new />
                        {headline}
                    </p>
                }
                    .into_any()
            }}
            {excerpt.map(|text| view! { <p class="notification-excerpt">{text}</p> })}
            <p class="notification-meta">
                <time datetime=iso>{when}</time>
            </p>
        </li>
    }
}

#[component]
fn NewTag(is_new: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || is_new.get()>
            <span class="notification-new">
                "New"
                <span class="visually-hidden">": "</span>
            </span>
            " "
        </Show>
    }
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}
