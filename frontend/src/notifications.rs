//! Client-side notification state: the newest notifications and the unread
//! count behind the header badge, and how each kind of thread news is named
//! and linked. No networking here: `ws/` loads the list after every `ready`
//! and feeds it the live events.

use leptos::prelude::*;
use shared::api::notifications::{ListNotificationsResponse, NotificationKind, NotificationView};

/// The server lists this many; keeping more here would show a list that
/// differs from a fresh load.
const KEPT: usize = 50;

#[derive(Clone, Debug, PartialEq)]
pub enum NotesLoad {
    Idle,
    Loading,
    Loaded,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Notifications {
    /// Newest first (highest id first).
    list: RwSignal<Vec<NotificationView>>,
    unread: RwSignal<i64>,
    load: RwSignal<NotesLoad>,
}

impl Notifications {
    pub fn provide() -> Self {
        let notes = Self {
            list: RwSignal::new(Vec::new()),
            unread: RwSignal::new(0),
            load: RwSignal::new(NotesLoad::Idle),
        };
        provide_context(notes);
        notes
    }

    /// Forget everything: the next person on this device must not see it.
    pub fn reset(&self) {
        self.list.set(Vec::new());
        self.unread.set(0);
        self.load.set(NotesLoad::Idle);
    }

    pub fn list(&self) -> Vec<NotificationView> {
        self.list.get()
    }

    pub fn unread_count(&self) -> i64 {
        self.unread.get().max(0)
    }

    pub fn load(&self) -> NotesLoad {
        self.load.get()
    }

    pub fn load_untracked(&self) -> NotesLoad {
        self.load.get_untracked()
    }

    pub fn set_load(&self, load: NotesLoad) {
        self.load.set(load);
    }

    /// Takes the server's list. A live notification may have overtaken the
    /// HTTP answer: anything newer than the answer's newest came after it
    /// was read, so it stays, and counts if unread.
    pub fn apply_list(&self, fresh: ListNotificationsResponse) {
        let newest_fresh = fresh.notifications.iter().map(|n| n.id).max().unwrap_or(0);
        let mut later_unread = 0;
        self.list.update(|list| {
            let later: Vec<NotificationView> =
                list.drain(..).filter(|n| n.id > newest_fresh).collect();
            later_unread = later.iter().filter(|n| !n.read).count() as i64;
            list.extend(later);
            list.extend(fresh.notifications);
            list.sort_by_key(|n| std::cmp::Reverse(n.id));
            list.truncate(KEPT);
        });
        self.unread.set(fresh.unread_count + later_unread);
        self.load.set(NotesLoad::Loaded);
    }

    /// A live notification. Returns true when it was news (not a repeat).
    pub fn apply_new(&self, note: NotificationView) -> bool {
        if self
            .list
            .with_untracked(|l| l.iter().any(|n| n.id == note.id))
        {
            return false;
        }
        let unread = !note.read;
        self.list.update(|list| {
            list.push(note);
            list.sort_by_key(|n| std::cmp::Reverse(n.id));
            list.truncate(KEPT);
        });
        if unread {
            self.unread.update(|n| *n += 1);
        }
        true
    }

    /// Everything up to `up_to_id` is read. `unread_count` is the server's
    /// word on what is left; without it (marked here, answer not yet back)
    /// count what this page knows of.
    pub fn apply_read(&self, up_to_id: i64, unread_count: Option<i64>) {
        let touches = self
            .list
            .with_untracked(|l| l.iter().any(|n| n.id <= up_to_id && !n.read));
        if touches {
            self.list.update(|list| {
                for n in list.iter_mut().filter(|n| n.id <= up_to_id) {
                    n.read = true;
                }
            });
        }
        let left = match unread_count {
            Some(n) => n,
            None => self
                .list
                .with_untracked(|l| l.iter().filter(|n| !n.read).count() as i64)
                .min(self.unread.get_untracked()),
        };
        self.unread.set(left.max(0));
    }
}

pub fn use_notifications() -> Notifications {
    expect_context::<Notifications>()
}

/// Thread news in a sentence; `None` for the other kinds, which say
/// themselves (a mention names its author; a programme step, a decision
/// and co-op news are their excerpt, one sentence).
pub fn notification_headline(note: &NotificationView) -> Option<&'static str> {
    match note.kind {
        NotificationKind::ThreadReply => Some("New reply in a thread you follow"),
        NotificationKind::NewThread => Some("New thread in a topic you follow"),
        NotificationKind::Mention
        | NotificationKind::Mentorship
        | NotificationKind::Nudge
        | NotificationKind::Decision
        | NotificationKind::Coop
        | NotificationKind::Concern
        | NotificationKind::Moderation => None,
    }
}

/// Where thread news leads: a reply opens at its post, a new thread at its top.
pub fn notification_thread_link(note: &NotificationView) -> Option<String> {
    let thread = note.thread_id?;
    Some(match (note.kind, note.post_id) {
        (NotificationKind::ThreadReply, Some(post)) => format!("/threads/{thread}#post-{post}"),
        _ => format!("/threads/{thread}"),
    })
}

/// Where safeguarding and moderation news leads: a concern to its page; a
/// moderator's step to the post or message it was about, when there is
/// one (`Some(None)`: no link, the sentence says it all). `None` for the
/// other kinds.
pub fn notification_trust_link(note: &NotificationView) -> Option<Option<String>> {
    match note.kind {
        NotificationKind::Concern => Some(note.concern_id.map(|id| format!("/concerns/{id}"))),
        NotificationKind::Moderation => Some(match (note.thread_id, note.post_id, note.room_id) {
            (Some(thread), Some(post), _) => Some(format!("/threads/{thread}#post-{post}")),
            (Some(thread), None, _) => Some(format!("/threads/{thread}")),
            (None, _, Some(room)) => Some(match note.message_id {
                Some(message) => format!("/rooms/{room}#message-{message}"),
                None => format!("/rooms/{room}"),
            }),
            _ => None,
        }),
        _ => None,
    }
}

/// What the polite live region says when a notification arrives.
pub fn announcement(note: &NotificationView) -> String {
    let actor = &note.actor.display_name;
    match (note.kind, notification_headline(note)) {
        (_, Some(headline)) => format!("{headline}, from {actor}"),
        (NotificationKind::Mention, None) => format!("{actor} mentioned you"),
        (_, None) => note.excerpt.clone(),
    }
}
