//! More than one node on PostgreSQL: every server process sharing the
//! database hears every other's live events through `LISTEN/NOTIFY` on one
//! channel, and delivers them to its own sockets.
//!
//! Notifications carry small ids, never content: a batch of messages is
//! `(room, seqs)` sent inside the writing transaction (so it is delivered on
//! commit, in commit order) and the other nodes read the committed rows;
//! other events are written to the `cluster_events` outbox and notified by
//! row id. Only what is never stored (typing, and each node's presence for
//! its own sockets) travels inline. A node that loses its listening
//! connection closes its sockets so clients reconnect and resume, then joins
//! again. SQLite is one node, always.

mod listen;
mod publish;

use serde::{Deserialize, Serialize};
use shared::ws::PresenceStatus;
use tokio::sync::mpsc;

use crate::app::AppState;

/// The one notification channel (notifications are per database, so each
/// deployment, and each test database, has its own).
pub const CHANNEL: &str = "app_events";

/// A node's random id for as long as its process runs.
pub type NodeId = u32;

/// Which of a person's sign-ins ended, for closing their sockets everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sessions {
    All,
    Only(i64),
    AllBut(i64),
}

impl Sessions {
    pub fn includes(self, session_id: i64) -> bool {
        match self {
            Sessions::All => true,
            Sessions::Only(s) => s == session_id,
            Sessions::AllBut(s) => s != session_id,
        }
    }
}

/// An event other nodes read back from the outbox and deliver locally.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Delivery {
    Users {
        users: Vec<i64>,
        frame: String,
    },
    /// Each node works out its own watchers (and, if `readers_only`, which
    /// of them may read the thread now).
    Watchers {
        thread_id: i64,
        readers_only: bool,
        frame: String,
    },
    Close {
        user_id: i64,
        ended: Sessions,
        reason: String,
    },
    /// Typing too large to go inline (a very big room).
    Ephemeral {
        users: Vec<i64>,
        frame: String,
    },
}

/// What the hub hands the publisher.
#[derive(Debug)]
pub enum Outbound {
    Store(Delivery),
    Ephemeral {
        users: Vec<i64>,
        frame: String,
    },
    /// This node's own status for these people (not the combined one).
    Presence(Vec<(i64, PresenceStatus)>),
    /// Tell `to` the presence of `about`, as each node knows it.
    PresenceOf {
        to: Vec<i64>,
        about: i64,
    },
}

/// A NOTIFY payload, JSON. PostgreSQL caps payloads below 8000 bytes; the
/// publisher splits or stores anything bigger.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "k")]
enum Notice {
    /// Messages committed together: rooms and their new seqs.
    #[serde(rename = "m")]
    Messages { n: NodeId, r: Vec<(i64, Vec<i64>)> },
    /// An outbox row.
    #[serde(rename = "e")]
    Stored { n: NodeId, id: i64 },
    #[serde(rename = "t")]
    Ephemeral { n: NodeId, u: Vec<i64>, f: String },
    #[serde(rename = "p")]
    Presence {
        n: NodeId,
        s: Vec<(i64, PresenceStatus)>,
    },
    #[serde(rename = "q")]
    PresenceOf { n: NodeId, to: Vec<i64>, about: i64 },
    /// A node (re)joined: everyone reports their presence to it.
    #[serde(rename = "h")]
    Hello { n: NodeId },
    /// Still here (a node silent for longer than `listen::SILENT` is gone).
    #[serde(rename = "b")]
    Beat { n: NodeId },
    /// Leaving: forget its presence now.
    #[serde(rename = "x")]
    Bye { n: NodeId },
}

impl Notice {
    fn node(&self) -> NodeId {
        match self {
            Notice::Messages { n, .. }
            | Notice::Stored { n, .. }
            | Notice::Ephemeral { n, .. }
            | Notice::Presence { n, .. }
            | Notice::PresenceOf { n, .. }
            | Notice::Hello { n }
            | Notice::Beat { n }
            | Notice::Bye { n } => *n,
        }
    }
}

/// Largest payload we send; PostgreSQL refuses 8000 bytes and more.
const PAYLOAD_MAX: usize = 7900;

/// Events waiting for the publisher. Past this (the database unreachable
/// for a while), new ones are dropped rather than held in memory: the other
/// nodes' clients catch up when they resume.
const BACKLOG: usize = 16_384;

/// The hub's handle on the cluster: this node's id and the publisher.
pub struct Link {
    node: NodeId,
    tx: mpsc::Sender<Outbound>,
}

impl Link {
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// Hand an event to the publisher, never waiting: the hub calls this
    /// under its lock. The publisher drains them in order.
    pub fn publish(&self, out: Outbound) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(out) {
            tracing::warn!("cluster: publisher backlog full; event dropped");
        }
    }
}

/// Join the cluster when the database is PostgreSQL (unless turned off);
/// with SQLite, say that this server is a single node if asked to cluster.
pub fn start(state: &AppState) {
    let postgres = matches!(
        state.db.get_database_backend(),
        sea_orm::DatabaseBackend::Postgres
    );
    match (postgres, state.config.cluster) {
        (false, Some(true)) => tracing::warn!(
            "APP_CLUSTER is on, but SQLite is a single node: this server runs alone. \
             Use PostgreSQL (APP_DATABASE_URL=postgres://…) to run several nodes."
        ),
        (false, _) | (true, Some(false)) => {}
        (true, _) => {
            let node = rand::random::<NodeId>();
            let (tx, rx) = mpsc::channel(BACKLOG);
            state.hub.link(Link { node, tx });
            tokio::spawn(publish::run(state.db.clone(), node, rx));
            tokio::spawn(listen::run(state.clone(), node));
            tracing::info!(node, "cluster: sharing live events through PostgreSQL");
        }
    }
}

/// Say goodbye on the way out, so the others drop this node's presence now
/// rather than when it falls silent.
pub async fn leave(state: &AppState) {
    if let Some(node) = state.hub.node() {
        publish::bye(&state.db, node).await;
    }
}

/// The NOTIFYs for messages committed in `txn`: delivered to the other
/// nodes when (and only if) it commits, in commit order.
pub async fn notify_messages<C: sea_orm::ConnectionTrait>(
    txn: &C,
    node: NodeId,
    rooms: Vec<(i64, Vec<i64>)>,
) -> Result<(), sea_orm::DbErr> {
    publish::messages(txn, node, rooms).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_small_and_round_trip() {
        let n = Notice::Messages {
            n: 7,
            r: vec![(3, vec![41, 42])],
        };
        let json = serde_json::to_string(&n).unwrap_or_default();
        assert_eq!(json, r#"{"k":"m","n":7,"r":[[3,[41,42]]]}"#);
        let back: Notice = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.node(), 7);
    }

    #[test]
    fn sessions_select_what_ended() {
        assert!(Sessions::All.includes(1));
        assert!(Sessions::Only(1).includes(1) && !Sessions::Only(1).includes(2));
        assert!(!Sessions::AllBut(1).includes(1) && Sessions::AllBut(1).includes(2));
    }
}
