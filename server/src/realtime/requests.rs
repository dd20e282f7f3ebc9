//! What a connection does with each client message. Every request that
//! touches a room or a message asks `domain::access` first (through
//! `messaging` or directly); failures come back as `error` events and the
//! socket stays open.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use shared::limits::RESUME_MAX_MESSAGES;
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};
use tokio::sync::mpsc;

use super::hub::{ConnId, encode};
use super::presence;
use crate::app::AppState;
use crate::auth::{AuthUser, refusals};
use crate::db;
use crate::db::messages::{Change, Page};
use crate::domain::access;
use crate::error::{AppError, AppResult};
use crate::messaging;

/// Others forget a typing indicator this long after the last repeat.
pub const TYPING_TTL: Duration = Duration::from_secs(6);
/// Repeats of "still typing" closer together than this are not relayed.
const TYPING_MIN_GAP: Duration = Duration::from_secs(1);

/// One connection's view while it handles requests.
pub struct Conn<'a> {
    state: &'a AppState,
    user: &'a AuthUser,
    id: ConnId,
    tx: &'a mpsc::Sender<Utf8Bytes>,
    /// Last relayed typing state per room, to throttle repeats.
    typing: HashMap<i64, (Instant, bool)>,
}

impl<'a> Conn<'a> {
    pub fn new(
        state: &'a AppState,
        user: &'a AuthUser,
        id: ConnId,
        tx: &'a mpsc::Sender<Utf8Bytes>,
    ) -> Self {
        Self {
            state,
            user,
            id,
            tx,
            typing: HashMap::new(),
        }
    }

    pub async fn handle_text(&mut self, text: &str) {
        let msg = match decode(text) {
            Ok(msg) => msg,
            Err(err) => {
                self.reply_error(&err, None, None).await;
                return;
            }
        };
        let (client_msg_id, room_id) = match &msg {
            ClientMsg::Send {
                client_msg_id,
                room_id,
                ..
            } => (Some(client_msg_id.clone()), Some(*room_id)),
            ClientMsg::Resume { room_id, .. }
            | ClientMsg::Read { room_id, .. }
            | ClientMsg::Typing { room_id, .. } => (None, Some(*room_id)),
            _ => (None, None),
        };
        let what = kind_of(&msg);
        if let Err(e) = self.handle(msg).await {
            if e.is_refusal() {
                refusals::record(self.state, self.user.id, &format!("ws {what}")).await;
            }
            self.reply_error(&e, client_msg_id, room_id).await;
        }
    }

    async fn handle(&mut self, msg: ClientMsg) -> AppResult<()> {
        let (state, user) = (self.state, self.user);
        match msg {
            ClientMsg::Send {
                room_id,
                client_msg_id,
                body,
            } => {
                if !state.send_limit.allow(user.id) {
                    return Err(AppError::RateLimited(
                        "You are sending messages faster than anyone can read them. \
                         Wait a few seconds and send this one again."
                            .into(),
                    ));
                }
                let ack_to = Some(self.tx.clone());
                messaging::post(state, user, room_id, &client_msg_id, &body, ack_to).await?;
                self.typing.remove(&room_id);
            }
            ClientMsg::Resume {
                room_id,
                after_seq,
                changes_since,
            } => self.resume(room_id, after_seq, changes_since).await?,
            ClientMsg::Ping => self.reply(&ServerMsg::Pong).await,
            ClientMsg::Read { room_id, seq } => self.read(room_id, seq).await?,
            ClientMsg::Typing { room_id, active } => self.typing(room_id, active).await?,
            ClientMsg::SetPresence { status } => {
                let away = status != PresenceStatus::Online;
                let changed = state.hub.set_away(user.id, self.id, away);
                presence::announce(state, user.id, changed).await?;
            }
            ClientMsg::Edit { message_id, body } => {
                messaging::change(state, user, message_id, Change::Edit(&body)).await?;
            }
            ClientMsg::Delete { message_id } => {
                messaging::change(state, user, message_id, Change::Delete).await?;
            }
            ClientMsg::WatchThread {
                thread_id,
                watching,
            } => {
                if watching {
                    access::thread(&state.db, user, thread_id).await?;
                }
                state.hub.watch(user.id, self.id, thread_id, watching);
            }
        }
        Ok(())
    }

    /// Replay what the client missed, or tell it to re-page when that is too
    /// much: new messages, then changes to older ones since `changes_since`.
    async fn resume(
        &self,
        room_id: i64,
        after_seq: i64,
        changes_since: Option<DateTime<Utc>>,
    ) -> AppResult<()> {
        let room = access::room_member(&self.state.db, self.user, room_id).await?;
        let (missed, more) = db::messages::page(
            &self.state.db,
            room_id,
            Page::After(after_seq),
            RESUME_MAX_MESSAGES,
        )
        .await?;
        // Too far behind, or a cursor from the future (say, a reset database).
        if more || after_seq > room.last_seq {
            let last_seq = room.last_seq;
            self.reply(&ServerMsg::Resync { room_id, last_seq }).await;
            return Ok(());
        }
        let changed = match changes_since {
            Some(since) => {
                let (changed, more) = db::messages::changed_since(
                    &self.state.db,
                    room_id,
                    after_seq,
                    since,
                    RESUME_MAX_MESSAGES,
                )
                .await?;
                if more {
                    let last_seq = room.last_seq;
                    self.reply(&ServerMsg::Resync { room_id, last_seq }).await;
                    return Ok(());
                }
                changed
            }
            None => Vec::new(),
        };
        let last_seq = missed.last().map_or(after_seq.max(0), |m| m.seq);
        for m in changed {
            self.reply(&ServerMsg::MessageUpdated(m)).await;
        }
        for m in missed {
            self.reply(&ServerMsg::Message(m)).await;
        }
        self.reply(&ServerMsg::Resumed { room_id, last_seq }).await;
        Ok(())
    }

    /// Move the read marker; every connection of the reader learns the new
    /// marker and unread count, other members get a receipt if allowed.
    async fn read(&self, room_id: i64, seq: i64) -> AppResult<()> {
        let (state, user) = (self.state, self.user);
        let room = access::room_member(&state.db, user, room_id).await?;
        let (marker, unread, moved) = db::rooms::mark_read(&state.db, &room, user.id, seq).await?;
        let mine = ServerMsg::Read {
            room_id,
            user_id: user.id,
            seq: marker,
            unread_count: Some(unread),
        };
        state.hub.send_to_users(&[user.id], &mine);
        // The setting as it is now, not as it was when this socket opened.
        let receipts = db::users::find(&state.db, user.id)
            .await?
            .is_some_and(|u| u.read_receipts);
        if moved && receipts {
            let others = self.others_in(room_id).await?;
            let receipt = ServerMsg::Read {
                room_id,
                user_id: user.id,
                seq: marker,
                unread_count: None,
            };
            state.hub.send_to_users(&others, &receipt);
        }
        Ok(())
    }

    async fn typing(&mut self, room_id: i64, active: bool) -> AppResult<()> {
        let now = Instant::now();
        if let Some((at, was)) = self.typing.get(&room_id)
            && *was == active
            && now.duration_since(*at) < TYPING_MIN_GAP
        {
            return Ok(());
        }
        access::room_member(&self.state.db, self.user, room_id).await?;
        self.typing.insert(room_id, (now, active));
        let others = self.others_in(room_id).await?;
        let event = ServerMsg::Typing {
            room_id,
            user_id: self.user.id,
            display_name: self.user.display_name.clone(),
            active,
            expires_in_ms: TYPING_TTL.as_millis() as u64,
        };
        self.state.hub.send_ephemeral(&others, &event);
        Ok(())
    }

    /// The room's members other than this user (the caller checked access).
    async fn others_in(&self, room_id: i64) -> AppResult<Vec<i64>> {
        let mut members = db::rooms::members_of(&self.state.db, &[room_id]).await?;
        let mut others = members.remove(&room_id).unwrap_or_default();
        others.retain(|&u| u != self.user.id);
        Ok(others)
    }

    async fn reply(&self, msg: &ServerMsg) {
        let _ = self.tx.send(encode(msg)).await;
    }

    pub async fn reply_error(
        &self,
        err: &AppError,
        client_msg_id: Option<String>,
        room_id: Option<i64>,
    ) {
        err.log_if_internal();
        let (_, error) = err.to_api();
        self.reply(&ServerMsg::Error {
            error,
            client_msg_id,
            room_id,
        })
        .await;
    }
}

/// The name of a client message, for the audit log (never its content).
fn kind_of(msg: &ClientMsg) -> &'static str {
    match msg {
        ClientMsg::Send { .. } => "send",
        ClientMsg::Resume { .. } => "resume",
        ClientMsg::Ping => "ping",
        ClientMsg::Read { .. } => "read",
        ClientMsg::Typing { .. } => "typing",
        ClientMsg::SetPresence { .. } => "set_presence",
        ClientMsg::Edit { .. } => "edit",
        ClientMsg::Delete { .. } => "delete",
        ClientMsg::WatchThread { .. } => "watch_thread",
    }
}

/// A client's text frame as a request, or the `bad_request` it gets back.
/// Fuzzed by `fuzz/fuzz_targets/ws_frame.rs`.
pub fn decode(text: &str) -> AppResult<ClientMsg> {
    serde_json::from_str::<ClientMsg>(text).map_err(|e| {
        // serde's reason can quote the input (a whole string value): keep
        // the start, which names the problem, and never echo a frame back.
        let reason = db::notifications::excerpt_of(&e.to_string(), DECODE_REASON_CHARS);
        AppError::BadRequest(format!("Could not read that message: {reason}"))
    })
}

/// How much of serde's reason a refused frame gets back.
const DECODE_REASON_CHARS: usize = 160;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_frame_is_never_echoed_back() {
        // Found by `fuzz/fuzz_targets/ws_frame.rs`: serde quotes a string
        // value whole in its reason.
        let frame = format!("\"{}\"", "\u{7f}".repeat(60_000));
        let (_, api) = decode(&frame).expect_err("not a request").to_api();
        assert_eq!(api.kind, shared::ErrorKind::BadRequest);
        assert!(api.message.chars().count() < 250, "{}", api.message.len());
        let typo = decode(r#"{"type":"sned"}"#)
            .expect_err("unknown type")
            .to_api()
            .1;
        assert!(typo.message.contains("sned"), "{}", typo.message);
    }
}
