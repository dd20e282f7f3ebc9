//! Edits and deletes of one's own messages that are waiting for an answer.

use leptos::prelude::*;
use shared::MessageId;

use super::ChatState;

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

impl ChatState {
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
}
