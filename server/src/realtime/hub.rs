//! The hub: open connections by user, and fan-out of pre-serialised frames.
//! Each connection has a bounded queue; a connection that cannot keep up is
//! closed (the client resumes) rather than slowing everyone else down.
//! With more than one node, the public `send_*`/`close_sessions` calls also
//! hand the event to the cluster link (`crate::cluster`), and other nodes
//! deliver it to their own connections with the `local_*` calls; presence
//! combines this node's connections with what other nodes report.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::Utf8Bytes;
use std::sync::OnceLock;

use shared::ws::{PresenceStatus, ServerMsg};
use tokio::sync::{Notify, mpsc};

use crate::cluster::{Delivery, Link, NodeId, Outbound, Sessions};

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
    reason: Mutex<Option<(u16, Utf8Bytes)>>,
}

impl Closer {
    pub fn close(&self, code: u16, reason: impl Into<Utf8Bytes>) {
        if let Ok(mut r) = self.reason.lock() {
            r.get_or_insert_with(|| (code, reason.into()));
        }
        // `notify_one` keeps a permit if the writer is not waiting yet.
        self.notify.notify_one();
    }

    pub async fn closed(&self) -> (u16, Utf8Bytes) {
        self.notify.notified().await;
        self.reason
            .lock()
            .ok()
            .and_then(|r| r.clone())
            .unwrap_or((1011, Utf8Bytes::from_static("closing")))
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

/// Online beats away beats offline: the order in which statuses combine.
fn rank(s: PresenceStatus) -> u8 {
    match s {
        PresenceStatus::Offline => 0,
        PresenceStatus::Away => 1,
        PresenceStatus::Online => 2,
    }
}

/// One person's connections here, and their status on other nodes.
#[derive(Default)]
struct Entry {
    conns: Vec<Conn>,
    remote: Vec<(NodeId, PresenceStatus)>,
}

impl Entry {
    /// Online if any connection here is in the foreground, away if all are
    /// in the background, offline without connections.
    fn local(&self) -> PresenceStatus {
        if self.conns.is_empty() {
            PresenceStatus::Offline
        } else if self.conns.iter().all(|c| c.away) {
            PresenceStatus::Away
        } else {
            PresenceStatus::Online
        }
    }

    /// The best of this node's status and every other node's.
    fn combined(&self) -> PresenceStatus {
        self.remote
            .iter()
            .map(|&(_, s)| s)
            .fold(self.local(), |a, b| if rank(b) > rank(a) { b } else { a })
    }

    fn is_empty(&self) -> bool {
        self.conns.is_empty() && self.remote.is_empty()
    }
}

type Users = HashMap<i64, Entry>;

fn combined(map: &Users, user_id: i64) -> PresenceStatus {
    map.get(&user_id)
        .map(Entry::combined)
        .unwrap_or(PresenceStatus::Offline)
}

fn local(map: &Users, user_id: i64) -> PresenceStatus {
    map.get(&user_id)
        .map(Entry::local)
        .unwrap_or(PresenceStatus::Offline)
}

#[derive(Default)]
pub struct Hub {
    by_user: Mutex<Users>,
    next_id: AtomicU64,
    /// Set once at start-up when this node is one of several.
    link: OnceLock<Link>,
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
    /// Join a cluster: from now on events also go to the other nodes.
    pub fn link(&self, link: Link) {
        let _ = self.link.set(link);
    }

    /// This node's id when it is one of several.
    pub fn node(&self) -> Option<NodeId> {
        self.link.get().map(Link::node)
    }

    fn publish(&self, out: impl FnOnce() -> Outbound) {
        if let Some(link) = self.link.get() {
            link.publish(out());
        }
    }

    pub fn register(&self, user_id: i64, session_id: i64) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(QUEUE_FRAMES);
        let closer = Arc::new(Closer::default());
        let presence_changed = self.change(user_id, |entry| {
            entry.conns.push(Conn {
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
        self.change(user_id, |entry| entry.conns.retain(|c| c.id != id))
    }

    /// One connection's app went to the background or came back.
    pub fn set_away(&self, user_id: i64, id: ConnId, away: bool) -> Option<PresenceStatus> {
        self.change(user_id, |entry| {
            if let Some(conn) = entry.conns.iter_mut().find(|c| c.id == id) {
                conn.away = away;
            }
        })
    }

    /// The user's presence across every node.
    pub fn presence(&self, user_id: i64) -> PresenceStatus {
        self.by_user
            .lock()
            .map(|map| combined(&map, user_id))
            .unwrap_or(PresenceStatus::Offline)
    }

    /// Apply `edit` to the user's connections here under the lock; tell the
    /// other nodes if this node's status for them changed, and report the
    /// combined presence if that changed.
    fn change(&self, user_id: i64, edit: impl FnOnce(&mut Entry)) -> Option<PresenceStatus> {
        let mut map = self.by_user.lock().ok()?;
        let (before, local_before) = (combined(&map, user_id), local(&map, user_id));
        let entry = map.entry(user_id).or_default();
        edit(entry);
        if entry.is_empty() {
            map.remove(&user_id);
        }
        let (after, local_after) = (combined(&map, user_id), local(&map, user_id));
        if local_before != local_after {
            // Under the lock, so the other nodes hear this node's changes in order.
            self.publish(|| Outbound::Presence(vec![(user_id, local_after)]));
        }
        (before != after).then_some(after)
    }

    /// Another node reports its status for some people; returns those whose
    /// combined presence changed, with the new status.
    pub fn set_remote(
        &self,
        node: NodeId,
        statuses: &[(i64, PresenceStatus)],
    ) -> Vec<(i64, PresenceStatus)> {
        let Ok(mut map) = self.by_user.lock() else {
            return Vec::new();
        };
        let mut changed = Vec::new();
        for &(user_id, status) in statuses {
            let before = combined(&map, user_id);
            let entry = map.entry(user_id).or_default();
            entry.remote.retain(|&(n, _)| n != node);
            if status != PresenceStatus::Offline {
                entry.remote.push((node, status));
            }
            if entry.is_empty() {
                map.remove(&user_id);
            }
            let after = combined(&map, user_id);
            if before != after {
                changed.push((user_id, after));
            }
        }
        changed
    }

    /// A node left (or went silent): forget what it reported; returns those
    /// whose combined presence changed.
    pub fn forget_node(&self, node: NodeId) -> Vec<(i64, PresenceStatus)> {
        let users: Vec<(i64, PresenceStatus)> = self
            .by_user
            .lock()
            .map(|map| {
                map.iter()
                    .filter(|(_, e)| e.remote.iter().any(|&(n, _)| n == node))
                    .map(|(&u, _)| (u, PresenceStatus::Offline))
                    .collect()
            })
            .unwrap_or_default();
        self.set_remote(node, &users)
    }

    /// Forget every other node (this node lost touch with them).
    pub fn forget_all_nodes(&self) -> Vec<(i64, PresenceStatus)> {
        let Ok(mut map) = self.by_user.lock() else {
            return Vec::new();
        };
        let mut changed = Vec::new();
        map.retain(|&user_id, entry| {
            let before = entry.combined();
            entry.remote.clear();
            let after = entry.combined();
            if before != after {
                changed.push((user_id, after));
            }
            !entry.is_empty()
        });
        changed
    }

    /// This node's status for everyone connected here (for a node that joins).
    pub fn local_statuses(&self) -> Vec<(i64, PresenceStatus)> {
        self.by_user
            .lock()
            .map(|map| {
                map.iter()
                    .filter(|(_, e)| !e.conns.is_empty())
                    .map(|(&u, e)| (u, e.local()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Tell `to` (on every node) whether `about` is around now. Each node
    /// works out the status itself, so no node passes on a stale one.
    pub fn tell_presence(&self, to: &[i64], about: i64) {
        self.local_presence_of(to, about);
        self.publish(|| Outbound::PresenceOf {
            to: to.to_vec(),
            about,
        });
    }

    pub fn local_presence_of(&self, to: &[i64], about: i64) {
        let status = self.presence(about);
        let msg = ServerMsg::Presence {
            user_id: about,
            status,
        };
        self.local_ephemeral(to, &encode(&msg));
    }

    /// Queue an ephemeral event (typing) here and on the other nodes.
    pub fn send_ephemeral(&self, users: &[i64], msg: &ServerMsg) {
        let frame = encode(msg);
        self.local_ephemeral(users, &frame);
        self.publish(|| Outbound::Ephemeral {
            users: users.to_vec(),
            frame: frame.as_str().to_owned(),
        });
    }

    /// Queue an ephemeral event on this node's connections only: skipped for
    /// connections whose queue is already half full, and never a reason to
    /// close one. Presence goes this way: each node works out and announces
    /// the combined status itself.
    pub fn local_ephemeral(&self, users: &[i64], frame: &Utf8Bytes) {
        let Ok(map) = self.by_user.lock() else {
            return;
        };
        for conn in users
            .iter()
            .filter_map(|u| map.get(u))
            .flat_map(|e| &e.conns)
        {
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
            .and_then(|e| e.conns.iter_mut().find(|c| c.id == id))
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

    /// The users with a connection on this node watching `thread_id`.
    pub fn watchers(&self, thread_id: i64) -> Vec<i64> {
        let Ok(map) = self.by_user.lock() else {
            return Vec::new();
        };
        map.iter()
            .filter(|(_, e)| e.conns.iter().any(|c| c.watching.contains(&thread_id)))
            .map(|(&user, _)| user)
            .collect()
    }

    /// Queue `msg` on the connections of `readers` that watch `thread_id`.
    /// `readers` are this node's watchers who may read the thread; other
    /// nodes work out their own (`readers_only`), or take all their watchers.
    pub fn send_to_watchers(
        &self,
        thread_id: i64,
        readers: &[i64],
        readers_only: bool,
        msg: &ServerMsg,
    ) {
        let frame = encode(msg);
        self.local_to_watchers(thread_id, readers, &frame);
        self.publish(|| {
            Outbound::Store(Delivery::Watchers {
                thread_id,
                readers_only,
                frame: frame.as_str().to_owned(),
            })
        });
    }

    pub fn local_to_watchers(&self, thread_id: i64, users: &[i64], frame: &Utf8Bytes) {
        self.send_where(users, frame, |c| c.watching.contains(&thread_id));
    }

    /// Queue `msg` on every connection of every user in `users`, serialised
    /// once, on every node.
    pub fn send_to_users(&self, users: &[i64], msg: &ServerMsg) {
        let frame = encode(msg);
        self.local_to_users(users, &frame);
        self.publish(|| {
            Outbound::Store(Delivery::Users {
                users: users.to_vec(),
                frame: frame.as_str().to_owned(),
            })
        });
    }

    /// Queue a frame on this node's connections of `users` only.
    pub fn local_to_users(&self, users: &[i64], frame: &Utf8Bytes) {
        self.send_where(users, frame, |_| true);
    }

    fn send_where(&self, users: &[i64], frame: &Utf8Bytes, wanted: impl Fn(&Conn) -> bool) {
        let Ok(mut map) = self.by_user.lock() else {
            return;
        };
        for user in users {
            let Some(entry) = map.get_mut(user) else {
                continue;
            };
            entry.conns.retain(|c| {
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

    /// Close every socket on this node (shutting down, or out of touch with
    /// the other nodes): clients reconnect and resume.
    pub fn close_all(&self, code: u16, reason: &'static str) {
        if let Ok(map) = self.by_user.lock() {
            for conn in map.values().flat_map(|e| &e.conns) {
                conn.closer.close(code, reason);
            }
        }
    }

    /// Close the sockets of `user_id` whose session has ended (signed out
    /// elsewhere, or the account suspended), on every node; their clients
    /// see the close code and go to the sign-in page.
    pub fn close_sessions(&self, user_id: i64, ended: Sessions, reason: &'static str) {
        self.local_close_sessions(user_id, ended, reason);
        self.publish(|| {
            Outbound::Store(Delivery::Close {
                user_id,
                ended,
                reason: reason.to_owned(),
            })
        });
    }

    pub fn local_close_sessions(&self, user_id: i64, ended: Sessions, reason: &str) {
        if let Ok(map) = self.by_user.lock() {
            for conn in map.get(&user_id).into_iter().flat_map(|e| &e.conns) {
                if ended.includes(conn.session_id) {
                    conn.closer.close(CLOSE_SIGNED_OUT, reason);
                }
            }
        }
    }

    pub fn connection_count(&self) -> usize {
        self.by_user
            .lock()
            .map(|m| m.values().map(|e| e.conns.len()).sum())
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
    async fn presence_combines_this_node_with_what_other_nodes_report() {
        let hub = Hub::default();
        assert_eq!(
            hub.set_remote(7, &[(1, PresenceStatus::Away)]),
            vec![(1, PresenceStatus::Away)],
            "away on another node"
        );
        let phone = hub.register(1, 1);
        assert_eq!(phone.presence_changed, Some(PresenceStatus::Online));
        assert_eq!(hub.set_remote(8, &[(1, PresenceStatus::Online)]), vec![]);
        assert_eq!(hub.unregister(1, phone.id), None, "node 8 still has them");
        assert_eq!(hub.forget_node(8), vec![(1, PresenceStatus::Away)]);
        assert_eq!(hub.local_statuses(), vec![], "nothing of theirs is here");
        assert_eq!(hub.forget_all_nodes(), vec![(1, PresenceStatus::Offline)]);
        assert_eq!(hub.presence(1), PresenceStatus::Offline);
    }

    #[tokio::test]
    async fn ephemeral_events_are_dropped_for_a_backed_up_connection() {
        let hub = Hub::default();
        let mut backed_up = hub.register(1, 1);
        for _ in 0..QUEUE_FRAMES / 2 {
            hub.send_to_users(&[1], &ServerMsg::Pong);
        }
        hub.local_ephemeral(&[1], &encode(&ServerMsg::Pong));
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
