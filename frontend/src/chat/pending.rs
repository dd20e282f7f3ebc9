//! Sends still waiting for their ack, drafts, and send errors.

use leptos::prelude::*;
use shared::RoomId;

use super::ChatState;

/// A message sent over the socket whose ack has not come back yet.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingSend {
    pub client_msg_id: String,
    pub room_id: RoomId,
    pub body: String,
}

impl ChatState {
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
}
