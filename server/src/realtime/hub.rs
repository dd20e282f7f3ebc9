//! The hub: open connections by user, and fan-out of pre-serialised frames.
//! Each connection has a bounded queue; a connection that cannot keep up is
//! closed (the client resumes) rather than slowing everyone else down.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::Utf8Bytes;
use shared::ws::{PresenceStatus, ServerMsg};
use tokio::sync::{Notify, mpsc};

/// Frames a connection may have queued before it counts as too slow.
pub const QUEUE_FRAMES: usize = 256;

pub type ConnId = u64;

/// The close code for a socket whose session ended (4000–4999 is ours):
/// clients do not reconnect, they ask the person to sign in again.
pub const CLOSE_SIGNED_OUT: u16 = 4001;

/// Threads one connection may watch at once (a page shows one; tabs have
/// their own connections).
pub const WATCH_MAX: usize = 8;

/// Tells a connection's writer to close the socket with a code and reason.
#[derive(Default)]
pub struct Closer {
    notify: Notify,
    reason: Mutex<Option<(u16, &'static str)>>,
}

impl Closer {
    pub fn close(&self, code: u16, reason: &'static str) {
        if let Ok(mut r) = self.reason.lock() {
            r.get_or_insert((code, reason));
        }
        // `notify_one` keeps a permit if the writer is not waiting yet.
        self.notify.notify_one();
    }

    pub async fn closed(&self) -> (u16, &'static str) {
        self.notify.notified().await;
        self.reason
            .lock()
            .ok()
            .and_then(|r| *r)
            .unwrap_or((1011, "closing"))
    }
}

struct Conn {
    id: ConnId,
    /// The sign-in this socket belongs to: ending it closes the socket.
    session_id: i64,
    tx: mpsc::Sender<Utf8Bytes>,
    closer: Arc<Closer>,
    /// The app on this connection is in the background.
    away: bool,
    /// Practice threads this connection shows (a handful at most).
    watching: Vec<i64>,
}

/// Online if any connection is in the foreground, away if all are in the
/// background, offline without connections.
fn status_of(conns: Option<&Vec<Conn>>) -> PresenceStatus {
    match conns {
        None => PresenceStatus::Offline,
        Some(c) if c.is_empty() => PresenceStatus::Offline,
        Some(c) if c.iter().all(|c| c.away) => PresenceStatus::Away,
        Some(_) => PresenceStatus::Online,
    }
}

#[derive(Default)]
pub struct Hub {
    by_user: Mutex<HashMap<i64, Vec<Conn>>>,
    next_id: AtomicU64,
}

/// What a session gets when it registers.
pub struct Registration {
    pub id: ConnId,
    pub tx: mpsc::Sender<Utf8Bytes>,
    pub rx: mpsc::Receiver<Utf8Bytes>,
    pub closer: Arc<Closer>,
    /// The user's new presence, if this connection changed it.
    pub presence_changed: Option<PresenceStatus>,
}

pub fn encode(msg: &ServerMsg) -> Utf8Bytes {
    // Serialising our own enum cannot fail; an empty frame would be ignored.
    Utf8Bytes::from(serde_json::to_string(msg).unwrap_or_default())
}

impl Hub {
    pub fn register(&self, user_id: i64, session_id: i64) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(QUEUE_FRAMES);
        let closer = Arc::new(Closer::default());
        let presence_changed = self.change(user_id, |map| {
            map.entry(user_id).or_default().push(Conn {
                id,
                session_id,
                tx: tx.clone(),
                closer: closer.clone(),
                away: false,
                watching: Vec::new(),
            });
        });
        Registration {
            id,
            tx,
            rx,
            closer,
            presence_changed,
        }
    }

    /// Remove a connection; returns the user's new presence if it changed.
    pub fn unregister(&self, user_id: i64, id: ConnId) -> Option<PresenceStatus> {
        self.change(user_id, |map| {
            if let Some(conns) = map.get_mut(&user_id) {
                conns.retain(|c| c.id != id);
                if conns.is_empty() {
                    map.remove(&user_id);
                }
            }
        })
    }

    /// One connection's app went to the background or came back.
    pub fn set_away(&self, user_id: i64, id: ConnId, away: bool) -> Option<PresenceStatus> {
        self.change(user_id, |map| {
            if let Some(conn) = map
                .get_mut(&user_id)
                .and_then(|conns| conns.iter_mut().find(|c| c.id == id))
            {
                conn.away = away;
            }
        })
    }

    pub fn presence(&self, user_id: i64) -> PresenceStatus {
        self.by_user
            .lock()
            .map(|map| status_of(map.get(&user_id)))
            .unwrap_or(PresenceStatus::Offline)
    }

    /// Apply `edit` under the lock and report the user's presence if it changed.
    fn change(
        &self,
        user_id: i64,
        edit: impl FnOnce(&mut HashMap<i64, Vec<Conn>>),
    ) -> Option<PresenceStatus> {
        let mut map = self.by_user.lock().ok()?;
        let before = status_of(map.get(&user_id));
        edit(&mut map);
        let after = status_of(map.get(&user_id));
        (before != after).then_some(after)
    }

    /// Queue an ephemeral event (typing, presence): skipped for connections
    /// whose queue is already half full, and never a reason to close one.
    pub fn send_ephemeral(&self, users: &[i64], msg: &ServerMsg) {
        let frame = encode(msg);
        let Ok(map) = self.by_user.lock() else {
            return;
        };
        for conn in users.iter().filter_map(|u| map.get(u)).flatten() {
            if conn.tx.capacity() > QUEUE_FRAMES / 2 {
                let _ = conn.tx.try_send(frame.clone());
            }
        }
    }

    /// One connection started or stopped showing a thread. A connection
    /// watches at most [`WATCH_MAX`] threads; the oldest is dropped first.
    pub fn watch(&self, user_id: i64, id: ConnId, thread_id: i64, on: bool) {
        let Ok(mut map) = self.by_user.lock() else {
            return;
        };
        let Some(conn) = map
            .get_mut(&user_id)
            .and_then(|conns| conns.iter_mut().find(|c| c.id == id))
        else {
            return;
        };
        conn.watching.retain(|&t| t != thread_id);
        if on {
            if conn.watching.len() >= WATCH_MAX {
                conn.watching.remove(0);
            }
            conn.watching.push(thread_id);
        }
    }

    /// The users with a connection watching `thread_id`.
    pub fn watchers(&self, thread_id: i64) -> Vec<i64> {
        let Ok(map) = self.by_user.lock() else {
            return Vec::new();
        };
        map.iter()
            .filter(|(_, conns)| conns.iter().any(|c| c.watching.contains(&thread_id)))
            .map(|(&user, _)| user)
            .collect()
    }

    /// Queue `msg` on the connections of `users` that watch `thread_id`.
    pub fn send_to_watchers(&self, thread_id: i64, users: &[i64], msg: &ServerMsg) {
        self.send_where(users, msg, |c| c.watching.contains(&thread_id));
    }

    /// Queue `msg` on every connection of every user in `users`, serialised once.
    pub fn send_to_users(&self, users: &[i64], msg: &ServerMsg) {
        self.send_where(users, msg, |_| true);
    }

    fn send_where(&self, users: &[i64], msg: &ServerMsg, wanted: impl Fn(&Conn) -> bool) {
        let frame = encode(msg);
        let Ok(mut map) = self.by_user.lock() else {
            return;
        };
        for user in users {
            let Some(conns) = map.get_mut(user) else {
                continue;
            };
            conns.retain(|c| {
                !wanted(c)
                    || match c.tx.try_send(frame.clone()) {
                        Ok(()) => true,
                        Err(mpsc::error::TrySendError::Full(_)) => {
                            tracing::warn!(user_id = user, conn_id = c.id, "slow consumer closed");
                            c.closer.close(1013, "too slow; reconnect and resume");
                            false
                        }
                        Err(mpsc::error::TrySendError::Closed(_)) => false,
                    }
            });
        }
    }

    /// Close every socket (server shutting down): clients reconnect elsewhere or later.
    pub fn close_all(&self, code: u16, reason: &'static str) {
        if let Ok(map) = self.by_user.lock() {
            for conn in map.values().flatten() {
                conn.closer.close(code, reason);
            }
        }
    }

    /// Close the sockets of `user_id` whose session `ends` says has ended
    /// (signed out elsewhere, or the account suspended); their clients see
    /// the close code and go to the sign-in page.
    pub fn close_sessions(&self, user_id: i64, ends: impl Fn(i64) -> bool, reason: &'static str) {
        if let Ok(map) = self.by_user.lock() {
            for conn in map.get(&user_id).into_iter().flatten() {
                if ends(conn.session_id) {
                    conn.closer.close(CLOSE_SIGNED_OUT, reason);
                }
            }
        }
    }

    pub fn connection_count(&self) -> usize {
        self.by_user
            .lock()
            .map(|m| m.values().map(Vec::len).sum())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fan_out_reaches_every_connection_of_each_user_once() {
        let hub = Hub::default();
        let mut a1 = hub.register(1, 1);
        let mut a2 = hub.register(1, 1);
        let mut b = hub.register(2, 2);
        hub.send_to_users(&[1], &ServerMsg::Pong);
        assert_eq!(a1.rx.recv().await.as_deref(), Some(r#"{"type":"pong"}"#));
        assert_eq!(a2.rx.recv().await.as_deref(), Some(r#"{"type":"pong"}"#));
        assert!(b.rx.try_recv().is_err());
        hub.unregister(1, a1.id);
        assert_eq!(hub.connection_count(), 2);
    }

    #[tokio::test]
    async fn presence_follows_connections_and_background() {
        let hub = Hub::default();
        assert_eq!(hub.presence(1), PresenceStatus::Offline);
        let phone = hub.register(1, 1);
        assert_eq!(phone.presence_changed, Some(PresenceStatus::Online));
        let laptop = hub.register(1, 1);
        assert_eq!(laptop.presence_changed, None);
        assert_eq!(
            hub.set_away(1, phone.id, true),
            None,
            "the laptop is still in front"
        );
        assert_eq!(hub.set_away(1, laptop.id, true), Some(PresenceStatus::Away));
        assert_eq!(hub.unregister(1, laptop.id), None);
        assert_eq!(hub.unregister(1, phone.id), Some(PresenceStatus::Offline));
    }

    #[tokio::test]
    async fn ephemeral_events_are_dropped_for_a_backed_up_connection() {
        let hub = Hub::default();
        let mut backed_up = hub.register(1, 1);
        for _ in 0..QUEUE_FRAMES / 2 {
            hub.send_to_users(&[1], &ServerMsg::Pong);
        }
        hub.send_ephemeral(&[1], &ServerMsg::Pong);
        let mut queued = 0;
        while backed_up.rx.try_recv().is_ok() {
            queued += 1;
        }
        assert_eq!(
            queued,
            QUEUE_FRAMES / 2,
            "the typing-like event was dropped"
        );
        assert_eq!(hub.connection_count(), 1, "and the connection kept");
    }

    #[tokio::test]
    async fn a_full_queue_closes_only_that_connection() {
        let hub = Hub::default();
        let slow = hub.register(1, 1);
        let mut fast = hub.register(2, 2);
        for _ in 0..=QUEUE_FRAMES {
            hub.send_to_users(&[1, 2], &ServerMsg::Pong);
            let _ = fast.rx.recv().await;
        }
        assert_eq!(slow.closer.closed().await.0, 1013);
        assert_eq!(hub.connection_count(), 1);
    }
}
