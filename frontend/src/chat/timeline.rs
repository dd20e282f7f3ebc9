//! Each room's messages as far as this page has them: history pages, live
//! messages, acks, edits and deletes, ordered and de-duplicated by seq.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::rooms::{ListMessagesResponse, MessageView};
use shared::{ApiError, MessageId, RoomId, Seq};

use super::ChatState;
use super::rooms::sort_rooms;

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
    pub(super) fn max_seq(&self) -> Seq {
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

/// What the socket layer needs to know after a message was applied.
pub struct MessageOutcome {
    /// False when the room is not in the list yet: the list must be re-fetched.
    pub room_known: bool,
    /// Set when the message skipped seqs after a complete timeline: fetch after this seq.
    pub gap_after: Option<Seq>,
    /// The author, when this is news from someone else (announced already if live).
    pub news_from: Option<String>,
}

impl ChatState {
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
                hidden: false,
            },
            false,
        );
    }
}
