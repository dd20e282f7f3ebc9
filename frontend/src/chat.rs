//! Client-side chat state: the room list, each room's messages (ordered and
//! de-duplicated by seq), sends still waiting for their ack, drafts, unread
//! marks and screen-reader announcements. No networking here: `ws.rs` feeds it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::auth::MeResponse;
use shared::api::rooms::{ListMessagesResponse, MessageView, RoomSummary};
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
    last_seen: RwSignal<HashMap<RoomId, Seq>>,
    active_room: RwSignal<Option<RoomId>>,
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
            last_seen: RwSignal::new(HashMap::new()),
            active_room: RwSignal::new(None),
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
            self.last_seen.set(load_last_seen(me.id));
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
        self.last_seen.set(HashMap::new());
        self.active_room.set(None);
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

    /// Takes a fresh list from the server. A live message may have overtaken
    /// the HTTP answer, so per room the newer of the two last messages wins.
    /// Returns the rooms that were not known before.
    pub fn merge_rooms(&self, fresh: Vec<RoomSummary>) -> Vec<RoomSummary> {
        let mut added = Vec::new();
        self.rooms.update(|rooms| {
            let old: HashMap<RoomId, RoomSummary> = rooms.drain(..).map(|r| (r.id, r)).collect();
            for mut room in fresh {
                match old.get(&room.id) {
                    Some(known) if known.last_seq > room.last_seq => {
                        room.last_seq = known.last_seq;
                        room.last_message = known.last_message.clone();
                    }
                    Some(_) => {}
                    None => added.push(room.clone()),
                }
                rooms.push(room);
            }
            sort_rooms(rooms);
        });
        self.rooms_load.set(RoomsLoad::Loaded);
        self.mark_active_seen();
        added
    }

    /// The open room is being read, whatever the list now says about it.
    fn mark_active_seen(&self) {
        if let Some(active) = self.active_room.get_untracked() {
            self.mark_seen(active);
        }
    }

    /// Adds or refreshes one room (opened from the people page, or `room_added`).
    /// Returns true when the room is new to the list.
    pub fn upsert_room(&self, room: RoomSummary) -> bool {
        let mut added = false;
        self.rooms.update(|rooms| {
            if let Some(known) = rooms.iter_mut().find(|r| r.id == room.id) {
                let (last_seq, last_message) = if known.last_seq > room.last_seq {
                    (known.last_seq, known.last_message.clone())
                } else {
                    (room.last_seq, room.last_message.clone())
                };
                *known = RoomSummary {
                    last_seq,
                    last_message,
                    ..room
                };
            } else {
                rooms.push(room);
                added = true;
            }
            sort_rooms(rooms);
        });
        self.mark_active_seen();
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

    // ----- unread ---------------------------------------------------------

    pub fn is_unread(&self, room: &RoomSummary) -> bool {
        if self.active_room.get() == Some(room.id) {
            return false;
        }
        let me = self.my_id();
        let from_someone_else = room
            .last_message
            .as_ref()
            .is_some_and(|m| Some(m.author_id) != me);
        let seen = self
            .last_seen
            .with(|seen| seen.get(&room.id).copied().unwrap_or(0));
        from_someone_else && room.last_seq > seen
    }

    pub fn set_active(&self, room_id: Option<RoomId>) {
        self.active_room.set(room_id);
        if let Some(room_id) = room_id {
            self.mark_seen(room_id);
        }
    }

    pub fn active_untracked(&self) -> Option<RoomId> {
        self.active_room.get_untracked()
    }

    pub fn mark_seen(&self, room_id: RoomId) {
        let seq = self
            .known_seqs_untracked()
            .into_iter()
            .find(|(id, _)| *id == room_id)
            .map(|(_, seq)| seq)
            .unwrap_or_else(|| {
                self.timelines
                    .with_untracked(|t| t.get(&room_id).map(Timeline::max_seq).unwrap_or(0))
            });
        let changed = self
            .last_seen
            .with_untracked(|seen| seen.get(&room_id).copied().unwrap_or(0) < seq);
        if changed {
            self.last_seen.update(|seen| {
                seen.insert(room_id, seq);
            });
            if let Some(me) = self.me.with_untracked(|m| m.as_ref().map(|m| m.id)) {
                self.last_seen
                    .with_untracked(|seen| save_last_seen(me, seen));
            }
        }
    }

    // ----- messages -------------------------------------------------------

    pub fn messages(&self, room_id: RoomId) -> Vec<MessageView> {
        self.timelines.with(|t| {
            t.get(&room_id)
                .map(|t| t.messages.values().cloned().collect())
                .unwrap_or_default()
        })
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
        if self.active_room.get_untracked() == Some(room_id) {
            self.mark_seen(room_id);
        }
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
    pub fn merge_after(&self, room_id: RoomId, messages: Vec<MessageView>) {
        for m in messages {
            self.apply_message(m, false);
        }
        if self.active_room.get_untracked() == Some(room_id) {
            self.mark_seen(room_id);
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
        self.rooms.update(|rooms| {
            if let Some(room) = rooms.iter_mut().find(|r| r.id == room_id) {
                room_known = true;
                if seq > room.last_seq {
                    room.last_seq = seq;
                    room.last_message = Some(message.clone());
                    summary_moved = true;
                    is_new = true;
                }
            }
            if summary_moved {
                sort_rooms(rooms);
            }
        });

        if self.active_room.get_untracked() == Some(room_id) {
            self.mark_seen(room_id);
        }
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

fn last_seen_key(user_id: UserId) -> String {
    format!("chat.last_seen.{user_id}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Unread marks survive a reload; they are only a convenience, so any storage
/// failure (private mode, full quota) quietly means "nothing seen yet".
fn load_last_seen(user_id: UserId) -> HashMap<RoomId, Seq> {
    local_storage()
        .and_then(|s| s.get_item(&last_seen_key(user_id)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save_last_seen(user_id: UserId, seen: &HashMap<RoomId, Seq>) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(seen)) {
        let _ = storage.set_item(&last_seen_key(user_id), &json);
    }
}

pub fn use_chat() -> ChatState {
    expect_context::<ChatState>()
}
