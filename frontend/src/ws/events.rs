//! What each `ServerMsg` does to the chat state, the notifications, the
//! open practice thread and the connection.

use leptos::prelude::*;
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};

use super::socket::page_visible;
use super::{ConnectionStatus, WsClient};

impl WsClient {
    pub(super) fn handle(&self, msg: ServerMsg) {
        match msg {
            ServerMsg::Ready { server_time, .. } => {
                let was_ready_before = self.with_inner(|i| {
                    i.changes_since = i.connected_at.replace(server_time);
                    i.ready = true;
                    i.attempt = 0;
                    std::mem::replace(&mut i.ever_ready, true)
                });
                self.with_inner(|i| i.read_sent.clear());
                self.status.set(ConnectionStatus::Connected);
                self.chat.clear_presence();
                // A new connection starts out online; say so if we are not.
                if !page_visible() {
                    self.send_frame(&ClientMsg::SetPresence {
                        status: PresenceStatus::Away,
                    });
                }
                self.resume_all();
                self.rewatch_threads();
                self.flush_pending();
                // A marker sent on the old socket may never have arrived.
                self.schedule_read();
                // Rooms added while we were away sent their `room_added` to nobody.
                if was_ready_before == Some(true) {
                    self.refresh_rooms();
                    // Mentorship changes made meanwhile reached nobody.
                    self.note_mentorship_changed(0);
                    // So did posts in a watched thread.
                    self.note_thread_changed(0);
                    // And changes to co-ops.
                    self.note_coop_changed(0, None);
                    // And to concerns.
                    self.note_concern_changed(0);
                }
                // Notifications are not replayed by `resume`: read the list afresh.
                self.refresh_notifications();
                // Nor reports that came in meanwhile.
                self.refresh_open_reports();
            }
            ServerMsg::Ack {
                client_msg_id,
                room_id,
                seq,
                id,
                created_at,
                ..
            } => self
                .chat
                .apply_ack(&client_msg_id, room_id, seq, id, created_at),
            ServerMsg::Message(message) => {
                let room_id = message.room_id;
                let live = self.with_inner(|i| !i.resuming.contains(&room_id)) == Some(true);
                // Whoever sent a message has stopped typing it.
                self.chat.clear_typing(room_id, message.author_id);
                let outcome = self.chat.apply_message(message, live);
                if self.chat.active_untracked() == Some(room_id) {
                    self.schedule_read();
                }
                if !live && let Some(author) = outcome.news_from {
                    self.with_inner(|i| {
                        let entry = i.replayed_news.entry(room_id).or_default();
                        entry.0 += 1;
                        entry.1 = author;
                    });
                }
                if !outcome.room_known {
                    self.refresh_rooms();
                }
                if live && let Some(after) = outcome.gap_after {
                    self.fill_gap(room_id, after);
                }
            }
            ServerMsg::Resumed { room_id, .. } => {
                let news = self
                    .with_inner(|i| {
                        i.resuming.remove(&room_id);
                        i.replayed_news.remove(&room_id)
                    })
                    .flatten();
                // Messages missed while away are still news, but a screen reader
                // reading fifty of them out would be no help: one line per room.
                match news {
                    Some((1, author)) => self.chat.announce(format!("New message from {author}")),
                    Some((n, author)) => {
                        let room = self.chat.room_title_untracked(room_id).unwrap_or(author);
                        self.chat.announce(format!("{n} new messages in {room}"));
                    }
                    None => {}
                }
            }
            ServerMsg::Resync { room_id, .. } => {
                self.with_inner(|i| {
                    i.resuming.remove(&room_id);
                    i.replayed_news.remove(&room_id);
                });
                self.chat.drop_timeline(room_id);
                if self.chat.active_untracked() == Some(room_id) {
                    self.load_room(room_id);
                }
                self.refresh_rooms();
            }
            ServerMsg::RoomAdded { room } => {
                let (room_id, last_seq) = (room.id, room.last_seq);
                self.chat.upsert_room(room);
                self.resume(room_id, last_seq);
            }
            ServerMsg::RoomRemoved { room_id } => self.chat.remove_room(room_id),
            ServerMsg::Pong => {}
            ServerMsg::MentorshipChanged { mentorship_id } => {
                self.note_mentorship_changed(mentorship_id)
            }
            ServerMsg::ThreadPost { post } => self.note_thread_post(post),
            ServerMsg::ThreadChanged { thread_id } => self.note_thread_changed(thread_id),
            ServerMsg::CoopChanged { coop_id, part } => self.note_coop_changed(coop_id, Some(part)),
            ServerMsg::ConcernChanged { concern_id } => self.note_concern_changed(concern_id),
            ServerMsg::ReportsChanged { open_count } => self.note_reports_changed(open_count),
            ServerMsg::Read {
                room_id,
                user_id,
                seq,
                unread_count,
            } => {
                if Some(user_id) == self.chat.me_untracked().map(|m| m.id) {
                    self.chat.apply_my_read(room_id, seq, unread_count);
                } else {
                    self.chat.apply_their_read(room_id, user_id, seq);
                }
            }
            ServerMsg::Typing {
                room_id,
                user_id,
                display_name,
                active,
                expires_in_ms,
            } => {
                // Our own typing in another tab is no news to us.
                if Some(user_id) != self.chat.me_untracked().map(|m| m.id) {
                    self.chat
                        .set_typing(room_id, user_id, display_name, active, expires_in_ms);
                }
            }
            ServerMsg::Presence { user_id, status } => self.chat.set_presence(user_id, status),
            ServerMsg::MessageUpdated(message) => self.chat.apply_update(message),
            ServerMsg::Notification(note) => {
                let news = crate::notifications::announcement(&note);
                // The open thread page announces its own new replies.
                let on_screen = note.thread_id.is_some_and(|t| self.is_watching_thread(t));
                if self.notes.apply_new(note) && !on_screen {
                    self.chat.announce(news);
                }
            }
            ServerMsg::NotificationsRead {
                up_to_id,
                unread_count,
            } => self.notes.apply_read(up_to_id, Some(unread_count)),
            ServerMsg::Error {
                error,
                client_msg_id,
                room_id,
            } => {
                if self.auth.check(&error) {
                    return;
                }
                if let Some(client_msg_id) = client_msg_id {
                    self.chat.fail_pending(&client_msg_id, error.message);
                } else if room_id.is_none() && self.chat.fail_newest_op(error.message.clone()) {
                    // Edits and deletes name neither a send nor a room: the
                    // error is shown next to the message it is about.
                } else if let Some(room_id) = room_id {
                    self.with_inner(|i| i.resuming.remove(&room_id));
                    self.chat.set_send_error(room_id, Some(error.message));
                } else {
                    leptos::logging::warn!("websocket error: {}", error.message);
                }
            }
        }
    }
}
