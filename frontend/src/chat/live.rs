//! Who is typing, and who is online.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use leptos::prelude::*;
use shared::api::rooms::RoomSummary;
use shared::ws::PresenceStatus;
use shared::{RoomId, UserId};

use super::ChatState;

/// Someone else typing in a room, until `token` is replaced or expires.
#[derive(Clone, Debug, PartialEq)]
pub struct Typist {
    pub user_id: UserId,
    pub display_name: String,
    token: u64,
}

impl ChatState {
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
    pub(super) fn note_new_contacts(&self, room: &RoomSummary) {
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
}
