//! Client-side chat state: the room list (with the server's unread counts
//! and read markers), each room's messages (ordered and de-duplicated by
//! seq), sends and edits still waiting for the server, drafts, who is typing,
//! who is online, and screen-reader announcements. No networking here:
//! `ws.rs` feeds it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::auth::MeResponse;
use shared::api::rooms::{ListMessagesResponse, MessageView, ReadMarker, RoomKind, RoomSummary};
use shared::api::users::UserSummary;
use shared::ws::PresenceStatus;
use shared::{ApiError, MessageId, RoomId, Seq, UserId};

/// One room's history as far as this page has it.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// Keyed by seq, so replays (ack, message, resume, HTTP pages) can overlap freely.
    pub messages: BTreeMap<Seq, MessageView>,
    /// The newest page has arrived over HTTP; from then on live messages keep it complete.
    pub loaded: bool,
    pub loading: bool,
    pub loading_older: bool,
    pub has_older: bool,
    pub error: Option<ApiError>,
}

impl Timeline {
    fn max_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    fn min_seq(&self) -> Option<Seq> {
        self.messages.keys().next().copied()
    }
}

/// What a room view needs to draw everything but the messages themselves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineStatus {
    pub loaded: bool,
    pub loading: bool,
    pub loading_older: bool,
    pub has_older: bool,
    pub error: Option<ApiError>,
}

/// A message sent over the socket whose ack has not come back yet.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingSend {
    pub client_msg_id: String,
    pub room_id: RoomId,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RoomsLoad {
    Idle,
    Loading,
    Loaded,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    pub id: u64,
    pub text: String,
}

/// What the socket layer needs to know after a message was applied.
pub struct MessageOutcome {
    /// False when the room is not in the list yet: the list must be re-fetched.
    pub room_known: bool,
    /// Set when the message skipped seqs after a complete timeline: fetch after this seq.
    pub gap_after: Option<Seq>,
    /// The author, when this is news from someone else (announced already if live).
    pub news_from: Option<String>,
}

/// Someone else typing in a room, until `token` is replaced or expires.
#[derive(Clone, Debug, PartialEq)]
pub struct Typist {
    pub user_id: UserId,
    pub display_name: String,
    token: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Edit,
    Delete,
}

/// An edit or delete of one's own message, sent and not yet answered.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageOp {
    pub kind: OpKind,
    /// Set when the server refused, or never answered.
    pub error: Option<String>,
    /// Orders ops, so an error without a message id goes to the newest one.
    started: u64,
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

    // ----- the room list --------------------------------------------------

    pub fn rooms(&self) -> Vec<RoomSummary> {
        self.rooms.get()
    }

    pub fn rooms_load(&self) -> RoomsLoad {
        self.rooms_load.get()
    }

    pub fn rooms_load_untracked(&self) -> RoomsLoad {
        self.rooms_load.get_untracked()
    }

    pub fn set_rooms_load(&self, load: RoomsLoad) {
        self.rooms_load.set(load);
    }

    pub fn has_room_untracked(&self, room_id: RoomId) -> bool {
        self.rooms
            .with_untracked(|rooms| rooms.iter().any(|r| r.id == room_id))
    }

    pub fn room(&self, room_id: RoomId) -> Option<RoomSummary> {
        self.rooms
            .with(|rooms| rooms.iter().find(|r| r.id == room_id).cloned())
    }

    pub fn room_title_untracked(&self, room_id: RoomId) -> Option<String> {
        untrack(|| self.room_title(room_id))
    }

    pub fn room_title(&self, room_id: RoomId) -> Option<String> {
        self.rooms.with(|rooms| {
            rooms
                .iter()
                .find(|r| r.id == room_id)
                .map(|r| r.title.clone())
        })
    }

    /// Takes a fresh list from the server. A live message or read marker may
    /// have overtaken the HTTP answer, so per room the newer state wins.
    /// Returns the rooms that were not known before.
    pub fn merge_rooms(&self, fresh: Vec<RoomSummary>) -> Vec<RoomSummary> {
        let mut added = Vec::new();
        self.rooms.update(|rooms| {
            let old: HashMap<RoomId, RoomSummary> = rooms.drain(..).map(|r| (r.id, r)).collect();
            for mut room in fresh {
                match old.get(&room.id) {
                    Some(known) => keep_newer(&mut room, known),
                    None => added.push(room.clone()),
                }
                rooms.push(room);
            }
            sort_rooms(rooms);
        });
        self.rooms_load.set(RoomsLoad::Loaded);
        added
    }

    /// Adds or refreshes one room (opened from the people page, or `room_added`).
    /// Returns true when the room is new to the list.
    /// Forget a room this person is no longer in (they left it, perhaps in
    /// another tab): its list entry, its messages and anything pending.
    pub fn remove_room(&self, room_id: RoomId) {
        self.rooms.update(|rooms| rooms.retain(|r| r.id != room_id));
        self.timelines.update(|t| {
            t.remove(&room_id);
        });
        self.pending
            .update(|p| p.retain(|pending| pending.room_id != room_id));
        self.typing.update(|t| {
            t.remove(&room_id);
        });
        if self.active_room.get_untracked() == Some(room_id) {
            self.active_room.set(None);
        }
    }

    pub fn upsert_room(&self, mut room: RoomSummary) -> bool {
        let mut added = false;
        let known = self.has_room_untracked(room.id);
        if !known {
            self.note_new_contacts(&room);
        }
        self.rooms.update(|rooms| {
            if let Some(known) = rooms.iter_mut().find(|r| r.id == room.id) {
                keep_newer(&mut room, known);
                *known = room;
            } else {
                rooms.push(room);
                added = true;
            }
            sort_rooms(rooms);
        });
        added
    }

    /// The seq each known room is caught up to, for `resume` after a reconnect.
    pub fn known_seqs_untracked(&self) -> Vec<(RoomId, Seq)> {
        let rooms: Vec<(RoomId, Seq)> = self
            .rooms
            .with_untracked(|rooms| rooms.iter().map(|r| (r.id, r.last_seq)).collect());
        self.timelines.with_untracked(|timelines| {
            rooms
                .into_iter()
                .map(|(id, seq)| {
                    let have = timelines.get(&id).map(Timeline::max_seq).unwrap_or(0);
                    (id, seq.max(have))
                })
                .collect()
        })
    }

    // ----- unread and read markers ---------------------------------------

    /// The server's count of messages from others not yet read, kept current
    /// by `read` events and by counting live messages.
    pub fn unread_count(&self, room_id: RoomId) -> i64 {
        self.rooms.with(|rooms| {
            rooms
                .iter()
                .find(|r| r.id == room_id)
                .map_or(0, |r| r.unread_count.max(0))
        })
    }

    pub fn set_active(&self, room_id: Option<RoomId>) {
        self.active_room.set(room_id);
        self.viewing_newest.set_value(true);
    }

    pub fn active_untracked(&self) -> Option<RoomId> {
        self.active_room.get_untracked()
    }

    pub fn set_page_visible(&self, visible: bool) {
        self.page_visible.set_value(visible);
    }

    pub fn set_window_focused(&self, focused: bool) {
        self.window_focused.set_value(focused);
    }

    pub fn set_viewing_newest(&self, at_newest: bool) {
        self.viewing_newest.set_value(at_newest);
    }

    /// The person can see the newest message of this room right now: it is
    /// open, scrolled to the end, and the page is in front of them.
    pub fn is_being_read(&self, room_id: RoomId) -> bool {
        self.active_room.get_untracked() == Some(room_id)
            && self.page_visible.get_value()
            && self.window_focused.get_value()
            && self.viewing_newest.get_value()
    }

    /// For the open room being read: the newest seq on screen, if it is past
    /// the read marker. None while the room or its messages are not loaded.
    pub fn unread_seq_on_screen(&self) -> Option<(RoomId, Seq)> {
        let room_id = self.active_room.get_untracked()?;
        if !self.is_being_read(room_id) {
            return None;
        }
        let last_read = self.rooms.with_untracked(|rooms| {
            rooms
                .iter()
                .find(|r| r.id == room_id)
                .map(|r| r.last_read_seq)
        })?;
        let newest = self
            .timelines
            .with_untracked(|t| t.get(&room_id).filter(|t| t.loaded).map(Timeline::max_seq))?;
        (newest > last_read).then_some((room_id, newest))
    }

    /// A read marker of one's own moved (here, or in another tab or device).
    /// `unread_count` comes with the server's answer; a marker that moves
    /// only locally leaves nothing unread up to it.
    pub fn apply_my_read(&self, room_id: RoomId, seq: Seq, unread_count: Option<i64>) {
        self.rooms.update(|rooms| {
            if let Some(room) = rooms.iter_mut().find(|r| r.id == room_id)
                && seq >= room.last_read_seq
            {
                room.last_read_seq = seq;
                room.unread_count = match unread_count {
                    Some(n) => n.max(0),
                    None if seq >= room.last_seq => 0,
                    None => room.unread_count,
                };
            }
        });
    }

    /// Someone else's read marker moved: a read receipt.
    pub fn apply_their_read(&self, room_id: RoomId, user_id: UserId, seq: Seq) {
        self.rooms.update(|rooms| {
            if let Some(room) = rooms.iter_mut().find(|r| r.id == room_id) {
                match room.read_by.iter_mut().find(|m| m.user_id == user_id) {
                    Some(marker) => marker.seq = marker.seq.max(seq),
                    None => room.read_by.push(ReadMarker { user_id, seq }),
                }
            }
        });
    }

    /// The display names of a room's members, for finding mentions.
    /// The room's members, as (id, display name) for mention matching.
    pub fn member_names(&self, room_id: RoomId) -> Vec<(UserId, String)> {
        self.rooms.with(|rooms| {
            rooms
                .iter()
                .find(|r| r.id == room_id)
                .map(|r| {
                    r.members
                        .iter()
                        .map(|m| (m.id, m.display_name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// In a two-person room, the other person.
    pub fn other_member(&self, room_id: RoomId) -> Option<UserSummary> {
        let me = self.my_id();
        self.rooms.with(|rooms| {
            let room = rooms.iter().find(|r| r.id == room_id)?;
            if room.kind == RoomKind::Coop {
                return None;
            }
            let mut others = room.members.iter().filter(|m| Some(m.id) != me);
            match (others.next(), others.next()) {
                (Some(one), None) => Some(one.clone()),
                _ => None,
            }
        })
    }

    /// How far the other person of a direct room has read, when they share it.
    pub fn their_read_seq(&self, room_id: RoomId) -> Option<Seq> {
        let other = self.other_member(room_id)?;
        self.rooms.with(|rooms| {
            let room = rooms
                .iter()
                .find(|r| r.id == room_id && r.kind == RoomKind::Direct)?;
            room.read_by
                .iter()
                .find(|m| m.user_id == other.id)
                .map(|m| m.seq)
        })
    }

    // ----- typing ---------------------------------------------------------

    pub fn set_typing(
        &self,
        room_id: RoomId,
        user_id: UserId,
        display_name: String,
        active: bool,
        expires_in_ms: u64,
    ) {
        if !active {
            self.clear_typing(room_id, user_id);
            return;
        }
        let token = self.next_typing_token.get_value();
        self.next_typing_token.set_value(token + 1);
        self.typing.update(|typing| {
            let list = typing.entry(room_id).or_default();
            let typist = Typist {
                user_id,
                display_name,
                token,
            };
            match list.iter_mut().find(|t| t.user_id == user_id) {
                Some(known) => *known = typist,
                None => list.push(typist),
            }
        });
        // Forget it unless a repeat (a new token) arrives first: a closed tab
        // or a lost connection never sends `active: false`.
        let this = *self;
        set_timeout(
            move || {
                let _ = this.typing.try_update(|typing| {
                    if let Some(list) = typing.get_mut(&room_id) {
                        list.retain(|t| !(t.user_id == user_id && t.token == token));
                    }
                });
            },
            Duration::from_millis(expires_in_ms.min(60_000)),
        );
    }

    pub fn clear_typing(&self, room_id: RoomId, user_id: UserId) {
        let known = self.typing.with_untracked(|typing| {
            typing
                .get(&room_id)
                .is_some_and(|list| list.iter().any(|t| t.user_id == user_id))
        });
        if known {
            self.typing.update(|typing| {
                if let Some(list) = typing.get_mut(&room_id) {
                    list.retain(|t| t.user_id != user_id);
                }
            });
        }
    }

    pub fn typing_names(&self, room_id: RoomId) -> Vec<String> {
        self.typing.with(|typing| {
            typing
                .get(&room_id)
                .map(|list| list.iter().map(|t| t.display_name.clone()).collect())
                .unwrap_or_default()
        })
    }

    // ----- presence -------------------------------------------------------

    pub fn set_presence(&self, user_id: UserId, status: PresenceStatus) {
        self.presence.update(|p| {
            p.insert(user_id, status);
        });
        if self
            .presence_unknown
            .with_untracked(|u| u.contains(&user_id))
        {
            self.presence_unknown.update(|u| {
                u.remove(&user_id);
            });
        }
    }

    /// A new connection hears afresh who is online; anyone it does not hear
    /// about is offline.
    pub fn clear_presence(&self) {
        self.presence.set(HashMap::new());
        self.presence_unknown.set(HashSet::new());
    }

    /// None when there is nothing to go on (see `presence_unknown`).
    pub fn presence(&self, user_id: UserId) -> Option<PresenceStatus> {
        if let Some(status) = self.presence.with(|p| p.get(&user_id).copied()) {
            return Some(status);
        }
        let unknown = self.presence_unknown.with(|u| u.contains(&user_id));
        (!unknown).then_some(PresenceStatus::Offline)
    }

    /// The server tells a connection who is around when it opens, and about
    /// changes after; a room added since brings people it said nothing about.
    fn note_new_contacts(&self, room: &RoomSummary) {
        let me = self.my_id_untracked();
        let new: Vec<UserId> = self.rooms.with_untracked(|rooms| {
            room.members
                .iter()
                .map(|m| m.id)
                .filter(|id| Some(*id) != me)
                .filter(|id| {
                    !rooms
                        .iter()
                        .any(|r| r.id != room.id && r.members.iter().any(|m| m.id == *id))
                })
                .collect()
        });
        let heard = self.presence.with_untracked(|p| {
            new.iter()
                .filter(|id| !p.contains_key(id))
                .copied()
                .collect::<Vec<_>>()
        });
        if !heard.is_empty() {
            self.presence_unknown.update(|u| u.extend(heard));
        }
    }

    // ----- messages -------------------------------------------------------

    /// The seqs of a room's messages, oldest first.
    pub fn seqs(&self, room_id: RoomId) -> Vec<Seq> {
        self.timelines.with(|t| {
            t.get(&room_id)
                .map(|t| t.messages.keys().copied().collect())
                .unwrap_or_default()
        })
    }

    pub fn message(&self, room_id: RoomId, seq: Seq) -> Option<MessageView> {
        self.timelines
            .with(|t| t.get(&room_id).and_then(|t| t.messages.get(&seq).cloned()))
    }

    /// The first message from someone else after `after`: where the "New
    /// messages" line goes.
    pub fn first_from_others_after(&self, room_id: RoomId, after: Seq) -> Option<Seq> {
        let me = self.my_id();
        self.timelines.with(|t| {
            t.get(&room_id)?
                .messages
                .range(after + 1..)
                .find(|(_, m)| Some(m.author_id) != me)
                .map(|(seq, _)| *seq)
        })
    }

    /// One's own newest message at or before `seq` (what "Seen" goes under).
    pub fn newest_mine_up_to(&self, room_id: RoomId, seq: Seq) -> Option<Seq> {
        let me = self.my_id()?;
        self.timelines.with(|t| {
            t.get(&room_id)?
                .messages
                .range(..=seq)
                .rev()
                .find(|(_, m)| m.author_id == me && !m.deleted)
                .map(|(seq, _)| *seq)
        })
    }

    /// An edit or delete, from the server: replace the stored copy wherever
    /// it is (history, room preview).
    pub fn apply_update(&self, message: MessageView) {
        let (room_id, seq, id) = (message.room_id, message.seq, message.id);
        let stored = self.timelines.with_untracked(|t| {
            t.get(&room_id)
                .and_then(|t| t.messages.get(&seq))
                .map(|m| m.id == id && *m != message)
        });
        if stored == Some(true) {
            self.timelines.update(|t| {
                if let Some(timeline) = t.get_mut(&room_id) {
                    timeline.messages.insert(seq, message.clone());
                }
            });
        }
        let preview = self.rooms.with_untracked(|rooms| {
            rooms
                .iter()
                .any(|r| r.id == room_id && r.last_message.as_ref().is_some_and(|m| m.id == id))
        });
        if preview {
            self.rooms.update(|rooms| {
                if let Some(room) = rooms.iter_mut().find(|r| r.id == room_id) {
                    room.last_message = Some(message);
                }
            });
        }
        self.end_op(id);
    }

    pub fn timeline_status(&self, room_id: RoomId) -> TimelineStatus {
        self.timelines.with(|t| {
            t.get(&room_id)
                .map(|t| TimelineStatus {
                    loaded: t.loaded,
                    loading: t.loading,
                    loading_older: t.loading_older,
                    has_older: t.has_older,
                    error: t.error.clone(),
                })
                .unwrap_or_default()
        })
    }

    pub fn timeline_status_untracked(&self, room_id: RoomId) -> TimelineStatus {
        untrack(|| self.timeline_status(room_id))
    }

    /// Marks the newest page as on its way; false when it is loaded or loading already.
    pub fn begin_load(&self, room_id: RoomId) -> bool {
        let mut start = false;
        self.timelines.update(|t| {
            let timeline = t.entry(room_id).or_default();
            if !timeline.loaded && !timeline.loading {
                timeline.loading = true;
                timeline.error = None;
                start = true;
            }
        });
        start
    }

    pub fn finish_load(&self, room_id: RoomId, page: Result<ListMessagesResponse, ApiError>) {
        self.timelines.update(|t| {
            let timeline = t.entry(room_id).or_default();
            timeline.loading = false;
            match page {
                Ok(page) => {
                    // Anything older than this page that arrived before it would sit
                    // next to it as if nothing came between; "Load older" brings it back.
                    if page.has_more
                        && let Some(first) = page.messages.first().map(|m| m.seq)
                    {
                        timeline.messages.retain(|seq, _| *seq >= first);
                    }
                    for m in page.messages {
                        timeline.messages.entry(m.seq).or_insert(m);
                    }
                    timeline.has_older = page.has_more;
                    timeline.loaded = true;
                }
                Err(e) => timeline.error = Some(e),
            }
        });
    }

    /// Marks an older page as on its way and says which seq to page back from.
    pub fn begin_older(&self, room_id: RoomId) -> Option<Seq> {
        let mut before = None;
        self.timelines.update(|t| {
            if let Some(timeline) = t.get_mut(&room_id)
                && timeline.has_older
                && !timeline.loading_older
                && let Some(min) = timeline.min_seq()
            {
                timeline.loading_older = true;
                timeline.error = None;
                before = Some(min);
            }
        });
        before
    }

    pub fn finish_older(&self, room_id: RoomId, page: Result<ListMessagesResponse, ApiError>) {
        self.timelines.update(|t| {
            let timeline = t.entry(room_id).or_default();
            timeline.loading_older = false;
            match page {
                Ok(page) => {
                    for m in page.messages {
                        timeline.messages.entry(m.seq).or_insert(m);
                    }
                    timeline.has_older = page.has_more;
                }
                Err(e) => timeline.error = Some(e),
            }
        });
    }

    /// Merges messages fetched after a gap; they are ordinary history, not news.
    pub fn merge_after(&self, messages: Vec<MessageView>) {
        for m in messages {
            self.apply_message(m, false);
        }
    }

    /// After `resync` the local copy cannot be trusted to be complete: drop it so
    /// the next view fetches the newest page again.
    pub fn drop_timeline(&self, room_id: RoomId) {
        self.timelines.update(|t| {
            t.remove(&room_id);
        });
    }

    /// Applies one message from any source. `live` is false for replays and
    /// pages, which must not be announced as news.
    pub fn apply_message(&self, message: MessageView, live: bool) -> MessageOutcome {
        let room_id = message.room_id;
        let seq = message.seq;
        let me = self.me.with_untracked(|m| m.as_ref().map(|m| m.id));
        let mine = Some(message.author_id) == me;

        // Our own message arrived before (or instead of) its ack: the pending copy is done.
        let client_msg_id = message.client_msg_id.clone();
        if mine
            && self
                .pending
                .with_untracked(|p| p.iter().any(|p| p.client_msg_id == client_msg_id))
        {
            self.pending
                .update(|p| p.retain(|p| p.client_msg_id != client_msg_id));
        }

        let mut is_new = false;
        let mut gap_after = None;
        let tracked = self.timelines.with_untracked(|t| {
            t.get(&room_id)
                .is_some_and(|t| (t.loaded || t.loading) && !t.messages.contains_key(&seq))
        });
        if tracked {
            self.timelines.update(|t| {
                if let Some(timeline) = t.get_mut(&room_id) {
                    let max = timeline.max_seq();
                    if timeline.loaded && seq > max + 1 {
                        gap_after = Some(max);
                    }
                    is_new = timeline.messages.insert(seq, message.clone()).is_none();
                }
            });
        }

        let mut room_known = false;
        let mut summary_moved = false;
        // Counted here, once per seq (the summary moves only forward), the
        // way the server counts: from others, past the marker, not on screen.
        let count_unread = !mine && !message.deleted && !self.is_being_read(room_id);
        self.rooms.update(|rooms| {
            if let Some(room) = rooms.iter_mut().find(|r| r.id == room_id) {
                room_known = true;
                if seq > room.last_seq {
                    room.last_seq = seq;
                    room.last_message = Some(message.clone());
                    if count_unread && seq > room.last_read_seq {
                        room.unread_count += 1;
                    }
                    summary_moved = true;
                    is_new = true;
                }
            }
            if summary_moved {
                sort_rooms(rooms);
            }
        });

        let news_from = (!mine && (is_new || !room_known)).then(|| message.author_name.clone());
        if live && let Some(author) = &news_from {
            self.announce(format!("New message from {author}"));
        }
        MessageOutcome {
            room_known,
            gap_after,
            news_from,
        }
    }

    pub fn apply_ack(
        &self,
        client_msg_id: &str,
        room_id: RoomId,
        seq: Seq,
        id: MessageId,
        created_at: DateTime<Utc>,
    ) {
        let Some(pending) = self
            .pending
            .with_untracked(|p| p.iter().find(|p| p.client_msg_id == client_msg_id).cloned())
        else {
            return;
        };
        let Some(me) = self.me.get_untracked() else {
            return;
        };
        self.send_errors.update(|e| {
            e.remove(&room_id);
        });
        // Build the stored message from what we sent, so the pending copy turns
        // into a confirmed one in one step; the `message` echo then de-duplicates.
        self.apply_message(
            MessageView {
                id,
                room_id,
                seq,
                author_id: me.id,
                author_name: me.display_name,
                body: pending.body,
                created_at,
                client_msg_id: pending.client_msg_id,
                edited_at: None,
                deleted: false,
            },
            false,
        );
    }

    // ----- sending --------------------------------------------------------

    pub fn add_pending(&self, pending: PendingSend) {
        self.send_errors.update(|e| {
            e.remove(&pending.room_id);
        });
        self.pending.update(|p| p.push(pending));
    }

    pub fn pending_for(&self, room_id: RoomId) -> Vec<PendingSend> {
        self.pending
            .with(|p| p.iter().filter(|p| p.room_id == room_id).cloned().collect())
    }

    pub fn pending_untracked(&self) -> Vec<PendingSend> {
        self.pending.get_untracked()
    }

    /// The server refused a send: take the text back into the composer, where
    /// the person can fix it, and say why next to it.
    pub fn fail_pending(&self, client_msg_id: &str, message: String) {
        let Some(pending) = self
            .pending
            .with_untracked(|p| p.iter().find(|p| p.client_msg_id == client_msg_id).cloned())
        else {
            return;
        };
        self.pending
            .update(|p| p.retain(|p| p.client_msg_id != client_msg_id));
        self.drafts.update(|d| {
            let draft = d.entry(pending.room_id).or_default();
            *draft = if draft.trim().is_empty() {
                pending.body.clone()
            } else {
                format!("{}\n{}", pending.body, draft)
            };
        });
        self.set_send_error(pending.room_id, Some(message));
    }

    pub fn fail_all_pending(&self, message: &str) {
        for p in self.pending_untracked() {
            self.fail_pending(&p.client_msg_id, message.to_owned());
        }
    }

    pub fn draft(&self, room_id: RoomId) -> String {
        self.drafts
            .with(|d| d.get(&room_id).cloned().unwrap_or_default())
    }

    pub fn set_draft(&self, room_id: RoomId, text: String) {
        self.drafts.update(|d| {
            d.insert(room_id, text);
        });
    }

    pub fn send_error(&self, room_id: RoomId) -> Option<String> {
        self.send_errors.with(|e| e.get(&room_id).cloned())
    }

    pub fn set_send_error(&self, room_id: RoomId, message: Option<String>) {
        self.send_errors.update(|e| match message {
            Some(m) => {
                e.insert(room_id, m);
            }
            None => {
                e.remove(&room_id);
            }
        });
    }

    // ----- edits and deletes ---------------------------------------------

    pub fn begin_op(&self, message_id: MessageId, kind: OpKind) {
        let started = self.next_op.get_value();
        self.next_op.set_value(started + 1);
        self.ops.update(|ops| {
            ops.insert(
                message_id,
                MessageOp {
                    kind,
                    error: None,
                    started,
                },
            );
        });
    }

    pub fn op(&self, message_id: MessageId) -> Option<MessageOp> {
        self.ops.with(|ops| ops.get(&message_id).cloned())
    }

    pub fn end_op(&self, message_id: MessageId) {
        if self.ops.with_untracked(|ops| ops.contains_key(&message_id)) {
            self.ops.update(|ops| {
                ops.remove(&message_id);
            });
        }
    }

    /// Marks an op as failed, if it is still waiting (a late timeout must not
    /// overwrite a real answer).
    pub fn fail_op(&self, message_id: MessageId, started_before: Option<u64>, message: String) {
        let waiting = self.ops.with_untracked(|ops| {
            ops.get(&message_id).is_some_and(|op| {
                op.error.is_none() && started_before.is_none_or(|s| op.started < s)
            })
        });
        if waiting {
            self.ops.update(|ops| {
                if let Some(op) = ops.get_mut(&message_id) {
                    op.error = Some(message);
                }
            });
        }
    }

    /// A socket error that names no send and no room belongs to the newest
    /// edit or delete still waiting (the socket answers in order, and the
    /// person rarely has two going). Returns false when nothing was waiting.
    pub fn fail_newest_op(&self, message: String) -> bool {
        let newest = self.ops.with_untracked(|ops| {
            ops.iter()
                .filter(|(_, op)| op.error.is_none())
                .max_by_key(|(_, op)| op.started)
                .map(|(id, _)| *id)
        });
        match newest {
            Some(id) => {
                self.fail_op(id, None, message);
                true
            }
            None => false,
        }
    }

    /// A ticket for `fail_op`'s `started_before`: ops begun before now.
    pub fn op_clock(&self) -> u64 {
        self.next_op.get_value()
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

/// Most recent conversation first; rooms without messages after, newest first.
fn sort_rooms(rooms: &mut [RoomSummary]) {
    rooms.sort_by(|a, b| {
        let at = a.last_message.as_ref().map(|m| m.created_at);
        let bt = b.last_message.as_ref().map(|m| m.created_at);
        bt.cmp(&at).then(b.id.cmp(&a.id))
    });
}

/// Per room, whichever copy knows more: the newer last message, and the
/// read state that has moved further (a `read` event may beat an HTTP answer).
fn keep_newer(fresh: &mut RoomSummary, known: &RoomSummary) {
    if known.last_seq > fresh.last_seq {
        fresh.last_seq = known.last_seq;
        fresh.last_message = known.last_message.clone();
        if known.last_read_seq >= fresh.last_read_seq {
            fresh.last_read_seq = known.last_read_seq;
            fresh.unread_count = known.unread_count;
        }
    } else if known.last_read_seq > fresh.last_read_seq {
        fresh.last_read_seq = known.last_read_seq;
        fresh.unread_count = known.unread_count.min(fresh.unread_count);
    }
    // The server's list says whose receipts may be shown (someone may have
    // turned theirs off); only how far they read can be newer here.
    for m in &mut fresh.read_by {
        if let Some(marker) = known.read_by.iter().find(|k| k.user_id == m.user_id) {
            m.seq = m.seq.max(marker.seq);
        }
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
