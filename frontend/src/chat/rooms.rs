//! The room list: merging the server's copy with live changes, and who is
//! in each room.

use std::collections::HashMap;

use leptos::prelude::*;
use shared::api::rooms::{RoomKind, RoomSummary};
use shared::api::users::UserSummary;
use shared::{RoomId, Seq, UserId};

use super::{ChatState, Timeline};

#[derive(Clone, Debug, PartialEq)]
pub enum RoomsLoad {
    Idle,
    Loading,
    Loaded,
    Failed(String),
}

impl ChatState {
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
}

/// Most recent conversation first; rooms without messages after, newest first.
pub(super) fn sort_rooms(rooms: &mut [RoomSummary]) {
    rooms.sort_by(|a, b| {
        let at = a.last_message.as_ref().map(|m| m.created_at);
        let bt = b.last_message.as_ref().map(|m| m.created_at);
        bt.cmp(&at).then(b.id.cmp(&a.id))
    });
}

/// Per room, whichever copy knows more: the newer last message, and the
/// read state that has moved further (a `read` event may beat an HTTP answer).
pub(super) fn keep_newer(fresh: &mut RoomSummary, known: &RoomSummary) {
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
