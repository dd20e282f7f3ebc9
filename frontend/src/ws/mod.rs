//! The one live connection to `/api/ws`, shared by every page: it connects
//! after login, keeps itself alive, reconnects with capped exponential backoff
//! plus jitter, and resumes every known room so nothing is missed. It also owns
//! the HTTP catch-up that resuming depends on (room list, history pages, gaps),
//! and the small signals that ride on the socket: read markers, typing,
//! presence, edits and deletes; and it keeps the notification list current
//! (loaded after every `ready`, then live) and the open practice thread
//! watched; co-op pages hear what of their co-op changed, concern pages
//! which concern changed, and moderators how many reports are open.

mod catch_up;
mod events;
mod notes;
mod read;
mod send;
mod socket;
mod threads;
mod trust;

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use leptos::prelude::*;
use shared::api::threads::PostView;
use shared::ws::CoopPart;
use shared::{MentorshipId, RoomId, Seq, ThreadId};

use crate::auth::Auth;
use crate::chat::ChatState;
use crate::notifications::Notifications;

use socket::Socket;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// Nobody is signed in, so there is nothing to connect.
    Idle,
    Connecting,
    Connected,
    Reconnecting,
    Offline,
}

impl ConnectionStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Idle => "Not connected",
            Self::Connecting => "Connecting…",
            Self::Connected => "Connected",
            Self::Reconnecting => "Reconnecting…",
            Self::Offline => "Offline",
        }
    }
}

#[derive(Default)]
struct Inner {
    enabled: bool,
    /// Bumped for every socket; events carry the generation they were made for.
    generation: u64,
    socket: Option<Socket>,
    ready: bool,
    ever_ready: bool,
    attempt: u32,
    retry: Option<TimeoutHandle>,
    keepalive: Option<IntervalHandle>,
    opened_at: f64,
    last_heard: f64,
    /// Rooms whose replay is running: their messages are summed up once the
    /// replay ends, rather than announced one by one.
    resuming: HashSet<RoomId>,
    /// Per room: how many replayed messages were news, and the last author.
    replayed_news: HashMap<RoomId, (usize, String)>,
    gap_fetches: HashSet<RoomId>,
    refreshing_rooms: bool,
    refresh_again: bool,
    listeners_installed: bool,
    /// The highest read marker sent per room on this socket; markers only
    /// move forward, so nothing lower is sent again.
    read_sent: HashMap<RoomId, Seq>,
    read_timer: Option<TimeoutHandle>,
    /// Server time of this connection's `ready`.
    connected_at: Option<DateTime<Utc>>,
    /// The previous connection's: resumes ask for changes made since then.
    changes_since: Option<DateTime<Utc>>,
    /// Practice threads open on a page: watched again on every new socket.
    watched_threads: HashSet<ThreadId>,
}

#[derive(Clone, Copy)]
pub struct WsClient {
    auth: Auth,
    chat: ChatState,
    notes: Notifications,
    status: RwSignal<ConnectionStatus>,
    /// The latest `mentorship_changed` (its id, and a counter so a repeat
    /// still triggers); id 0 after a reconnect: anything may have changed.
    mentorship_changed: RwSignal<(MentorshipId, u64)>,
    /// The latest `thread_post` (and a counter, as above).
    thread_post: RwSignal<(Option<PostView>, u64)>,
    /// The latest `thread_changed`; id 0 after a reconnect.
    thread_changed: RwSignal<(ThreadId, u64)>,
    /// The latest `coop_changed` events, numbered (see `coop_changes`).
    coop_changed: RwSignal<CoopChanges>,
    /// The latest `concern_changed` (its id, and a counter so a repeat
    /// still triggers); id 0 after a reconnect.
    concern_changed: RwSignal<(i64, u64)>,
    /// Open reports in the moderation queue (moderators only), and a
    /// counter of `reports_changed` so the queue page reloads.
    open_reports: RwSignal<Option<i64>>,
    reports_changed: RwSignal<u64>,
    inner: StoredValue<Inner, LocalStorage>,
}

impl WsClient {
    pub fn provide(auth: Auth, chat: ChatState, notes: Notifications) -> Self {
        let client = Self {
            auth,
            chat,
            notes,
            status: RwSignal::new(ConnectionStatus::Idle),
            mentorship_changed: RwSignal::new((0, 0)),
            thread_post: RwSignal::new((None, 0)),
            thread_changed: RwSignal::new((0, 0)),
            coop_changed: RwSignal::new(CoopChanges::default()),
            concern_changed: RwSignal::new((0, 0)),
            open_reports: RwSignal::new(None),
            reports_changed: RwSignal::new(0),
            inner: StoredValue::new_local(Inner::default()),
        };
        provide_context(client);
        client
    }

    pub fn status(&self) -> ConnectionStatus {
        self.status.get()
    }

    /// Whether mentorship `id` changed since the last call of the effect
    /// that reads this (tracked): true on a change to it, or after a reconnect.
    pub fn mentorship_changed(&self, id: MentorshipId) -> bool {
        let (changed, count) = self.mentorship_changed.get();
        count > 0 && (changed == id || changed == 0)
    }

    pub(super) fn note_mentorship_changed(&self, id: MentorshipId) {
        self.mentorship_changed.update(|(last, count)| {
            *last = id;
            *count += 1;
        });
    }

    /// The parts of co-op `id` (of any co-op for 0) that changed after
    /// change number `seen` (tracked), and the newest number to pass next
    /// time. Nothing when `seen` is `None` (the page has just loaded); every
    /// part after a reconnect, or when more changed than is remembered.
    pub fn coop_changes(&self, id: i64, seen: Option<u64>) -> (u64, Vec<CoopPart>) {
        self.coop_changed.with(|c| {
            let Some(seen) = seen else {
                return (c.count, Vec::new());
            };
            let all = vec![CoopPart::Home, CoopPart::Records, CoopPart::Events];
            let missed = c.count.saturating_sub(seen);
            if missed > c.recent.len() as u64 {
                return (c.count, all);
            }
            let mut parts = Vec::new();
            for (n, coop, part) in &c.recent {
                if *n <= seen || (id != 0 && *coop != id && *coop != 0) {
                    continue;
                }
                match part {
                    None => return (c.count, all),
                    Some(p) if !parts.contains(p) => parts.push(*p),
                    Some(_) => {}
                }
            }
            (c.count, parts)
        })
    }

    /// `id` 0 and no part: anything of any co-op may have changed.
    pub(super) fn note_coop_changed(&self, id: i64, part: Option<CoopPart>) {
        self.coop_changed.update(|c| {
            c.count += 1;
            c.recent.push_back((c.count, id, part));
            while c.recent.len() > CoopChanges::REMEMBERED {
                c.recent.pop_front();
            }
        });
    }

    fn with_inner<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> Option<R> {
        self.inner.try_update_value(f)
    }

    /// Which signed-in person a request was made for; see `ChatState::epoch`.
    fn session(&self) -> u64 {
        self.chat.epoch()
    }

    fn is_current(&self, session: u64) -> bool {
        self.chat.epoch() == session
    }
}

/// Recent `coop_changed` events. Several can arrive before a page's effect
/// runs, so each is kept with its number rather than only the latest.
#[derive(Debug, Default)]
struct CoopChanges {
    /// How many were ever noted.
    count: u64,
    /// (number, co-op id or 0 for all, part or `None` for all), oldest first.
    recent: VecDeque<(u64, i64, Option<CoopPart>)>,
}

impl CoopChanges {
    const REMEMBERED: usize = 32;
}

pub fn use_ws() -> WsClient {
    expect_context::<WsClient>()
}
