//! Unread counts and read markers, and whether the person is looking at a
//! room's newest message right now.

use leptos::prelude::*;
use shared::api::rooms::{ReadMarker, RoomKind};
use shared::{RoomId, Seq, UserId};

use super::{ChatState, Timeline};

impl ChatState {
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
}
