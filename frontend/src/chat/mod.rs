//! Client-side chat state: the room list (with the server's unread counts
//! and read markers), each room's messages (ordered and de-duplicated by
//! seq), sends and edits still waiting for the server, drafts, who is typing,
//! who is online, and screen-reader announcements. No networking here:
//! `ws` feeds it.

mod live;
mod ops;
mod pending;
mod read;
mod rooms;
mod timeline;

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use shared::api::auth::MeResponse;
use shared::api::rooms::RoomSummary;
use shared::ws::PresenceStatus;
use shared::{MessageId, RoomId, UserId};

pub use live::Typist;
pub use ops::{MessageOp, OpKind};
pub use pending::PendingSend;
pub use rooms::RoomsLoad;
pub use timeline::Timeline;

#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    pub id: u64,
    pub text: String,
}

/// How many announcements stay in the live region; older ones are dropped so
/// the region never grows, and each new one is a fresh node screen readers read.
const ANNOUNCEMENTS_KEPT: usize = 3;

#[derive(Clone, Copy)]
pub struct ChatState {
    me: RwSignal<Option<MeResponse>>,
    rooms: RwSignal<Vec<RoomSummary>>,
    rooms_load: RwSignal<RoomsLoad>,
    timelines: RwSignal<HashMap<RoomId, Timeline>>,
    pending: RwSignal<Vec<PendingSend>>,
    active_room: RwSignal<Option<RoomId>>,
    typing: RwSignal<HashMap<RoomId, Vec<Typist>>>,
    next_typing_token: StoredValue<u64>,
    presence: RwSignal<HashMap<UserId, PresenceStatus>>,
    /// People who became contacts after this connection's presence snapshot:
    /// not having heard about them does not mean they are offline.
    presence_unknown: RwSignal<HashSet<UserId>>,
    ops: RwSignal<HashMap<MessageId, MessageOp>>,
    next_op: StoredValue<u64>,
    /// The tab is visible and the window has not lost focus.
    page_visible: StoredValue<bool>,
    window_focused: StoredValue<bool>,
    /// The open room's list is scrolled to its newest message.
    viewing_newest: StoredValue<bool>,
    drafts: RwSignal<HashMap<RoomId, String>>,
    send_errors: RwSignal<HashMap<RoomId, String>>,
    announcements: RwSignal<Vec<Announcement>>,
    next_announcement: StoredValue<u64>,
    /// Bumped by every reset, so answers to requests made for a previous
    /// person are dropped instead of leaking into the next one's screen.
    epoch: StoredValue<u64>,
}

impl ChatState {
    pub fn provide() -> Self {
        let chat = Self {
            me: RwSignal::new(None),
            rooms: RwSignal::new(Vec::new()),
            rooms_load: RwSignal::new(RoomsLoad::Idle),
            timelines: RwSignal::new(HashMap::new()),
            pending: RwSignal::new(Vec::new()),
            active_room: RwSignal::new(None),
            typing: RwSignal::new(HashMap::new()),
            next_typing_token: StoredValue::new(0),
            presence: RwSignal::new(HashMap::new()),
            presence_unknown: RwSignal::new(HashSet::new()),
            ops: RwSignal::new(HashMap::new()),
            next_op: StoredValue::new(0),
            page_visible: StoredValue::new(document_visible()),
            window_focused: StoredValue::new(true),
            viewing_newest: StoredValue::new(true),
            drafts: RwSignal::new(HashMap::new()),
            send_errors: RwSignal::new(HashMap::new()),
            announcements: RwSignal::new(Vec::new()),
            next_announcement: StoredValue::new(0),
            epoch: StoredValue::new(0),
        };
        provide_context(chat);
        chat
    }

    // ----- who is reading -------------------------------------------------

    pub fn sign_in(&self, me: MeResponse) {
        let same = self
            .me
            .with_untracked(|m| m.as_ref().map(|m| m.id) == Some(me.id));
        if !same {
            self.reset();
        }
        self.me.set(Some(me));
    }

    /// Forget everything: the next person on this device must not see it.
    pub fn reset(&self) {
        self.epoch.update_value(|e| *e += 1);
        self.me.set(None);
        self.rooms.set(Vec::new());
        self.rooms_load.set(RoomsLoad::Idle);
        self.timelines.set(HashMap::new());
        self.pending.set(Vec::new());
        self.active_room.set(None);
        self.typing.set(HashMap::new());
        self.clear_presence();
        self.ops.set(HashMap::new());
        self.drafts.set(HashMap::new());
        self.send_errors.set(HashMap::new());
        self.announcements.set(Vec::new());
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.get_value()
    }

    pub fn me_untracked(&self) -> Option<MeResponse> {
        self.me.get_untracked()
    }

    pub fn my_id(&self) -> Option<UserId> {
        self.me.with(|m| m.as_ref().map(|m| m.id))
    }

    pub fn my_id_untracked(&self) -> Option<UserId> {
        self.me.with_untracked(|m| m.as_ref().map(|m| m.id))
    }

    // ----- announcements --------------------------------------------------

    pub fn announcements(&self) -> Vec<Announcement> {
        self.announcements.get()
    }

    pub fn announce(&self, text: String) {
        let id = self.next_announcement.get_value();
        self.next_announcement.set_value(id + 1);
        self.announcements.update(|a| {
            a.push(Announcement { id, text });
            let excess = a.len().saturating_sub(ANNOUNCEMENTS_KEPT);
            a.drain(..excess);
        });
    }
}

fn document_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

pub fn use_chat() -> ChatState {
    expect_context::<ChatState>()
}
