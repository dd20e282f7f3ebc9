//! Outgoing messages: sends (queued until acked), typing, edits and deletes.

use std::time::Duration;

use leptos::prelude::*;
use shared::limits::{MESSAGE_MAX_CHARS, WS_MAX_FRAME_BYTES};
use shared::ws::ClientMsg;
use shared::{MessageId, RoomId};
use wasm_bindgen::JsValue;

use super::WsClient;
use crate::chat::{OpKind, PendingSend};

/// An edit or delete that has had no answer by then is reported as failed.
const OP_TIMEOUT: Duration = Duration::from_secs(15);
const OFFLINE_SENTENCE: &str =
    "You're offline, so this could not be sent. Try again when you have reconnected.";

impl WsClient {
    /// Sends that were never acked go again; the server stores each
    /// `client_msg_id` once, so a repeat cannot post twice.
    pub(super) fn flush_pending(&self) {
        for p in self.chat.pending_untracked() {
            self.send_frame(&ClientMsg::Send {
                room_id: p.room_id,
                client_msg_id: p.client_msg_id,
                body: p.body,
            });
        }
    }

    /// Queues a message. It goes now if connected, otherwise on reconnect.
    /// An `Err` is a sentence for the person, and nothing was queued.
    pub fn send_message(&self, room_id: RoomId, body: &str) -> Result<(), String> {
        let body = checked_body(body, "Write a message before sending.")?;
        let msg = ClientMsg::Send {
            room_id,
            client_msg_id: new_client_msg_id(),
            body: body.to_owned(),
        };
        fits_in_a_frame(&msg)?;
        if let ClientMsg::Send {
            client_msg_id,
            body,
            ..
        } = &msg
        {
            self.chat.add_pending(PendingSend {
                client_msg_id: client_msg_id.clone(),
                room_id,
                body: body.clone(),
            });
        }
        self.send_frame(&msg);
        Ok(())
    }

    /// Says whether this person is typing in a room. False: not connected,
    /// and typing is too fleeting to queue.
    pub fn send_typing(&self, room_id: RoomId, active: bool) -> bool {
        self.send_frame(&ClientMsg::Typing { room_id, active })
    }

    /// Replaces the body of one's own message. An `Err` is a sentence for
    /// the person; otherwise the answer arrives as `message_updated` (or an
    /// error that `chat` puts next to the message).
    pub fn edit_message(&self, message_id: MessageId, body: &str) -> Result<(), String> {
        let body = checked_body(body, "Write something, or delete the message instead.")?;
        let msg = ClientMsg::Edit {
            message_id,
            body: body.to_owned(),
        };
        fits_in_a_frame(&msg)?;
        self.send_op(msg, message_id, OpKind::Edit)
    }

    pub fn delete_message(&self, message_id: MessageId) -> Result<(), String> {
        self.send_op(ClientMsg::Delete { message_id }, message_id, OpKind::Delete)
    }

    /// Edits and deletes are not queued for later like sends: a change
    /// applied minutes afterwards, unseen, would surprise its author.
    fn send_op(&self, msg: ClientMsg, message_id: MessageId, kind: OpKind) -> Result<(), String> {
        let before = self.chat.op_clock();
        self.chat.begin_op(message_id, kind);
        if !self.send_frame(&msg) {
            self.chat.end_op(message_id);
            return Err(OFFLINE_SENTENCE.to_owned());
        }
        let chat = self.chat;
        set_timeout(
            move || {
                chat.fail_op(
                    message_id,
                    Some(before + 1),
                    "The server has not answered. Check your connection and try again.".to_owned(),
                );
            },
            OP_TIMEOUT,
        );
        Ok(())
    }
}

/// `crypto.randomUUID` exists only in secure contexts (https, localhost);
/// elsewhere build a v4 UUID from `getRandomValues`.
fn new_client_msg_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = crypto {
        let has_random_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
            .is_ok_and(|f| f.is_function());
        if has_random_uuid {
            return crypto.random_uuid();
        }
        let mut bytes = [0u8; 16];
        if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
            return format_uuid_v4(bytes);
        }
    }
    // Last resort: the id only has to be unique among this person's sends.
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    format_uuid_v4(bytes)
}

fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A body as the server will accept it (trimmed, not empty, within the
/// limit), or a sentence for the person; `when_empty` fits the action.
fn checked_body<'a>(body: &'a str, when_empty: &str) -> Result<&'a str, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(when_empty.to_owned());
    }
    let chars = body.chars().count();
    if chars > MESSAGE_MAX_CHARS {
        return Err(format!(
            "This message is {} characters too long. The limit is {}.",
            chars - MESSAGE_MAX_CHARS,
            MESSAGE_MAX_CHARS
        ));
    }
    Ok(body)
}

/// The server closes a socket on a frame over the limit; refuse it here.
fn fits_in_a_frame(msg: &ClientMsg) -> Result<(), String> {
    if serde_json::to_string(msg).is_ok_and(|t| t.len() <= WS_MAX_FRAME_BYTES) {
        Ok(())
    } else {
        Err("This message is too large to send. Please shorten it.".to_owned())
    }
}
