//! Hearing the other nodes: one task LISTENs, reads what each notice points
//! at, and delivers it to this node's sockets, in the order notices arrive
//! (commit order). It also keeps track of which nodes are alive.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use shared::ws::{PresenceStatus, ServerMsg};

use super::{CHANNEL, Delivery, NodeId, Notice, publish};
use crate::app::AppState;
use crate::db;
use crate::db::entities::message;
use crate::domain::access;
use crate::error::{AppError, AppResult};
use crate::realtime::hub::encode;

/// How often this node says it is alive.
const BEAT_EVERY: Duration = Duration::from_secs(5);
/// A node not heard from for this long is gone (crashed or cut off).
const SILENT: Duration = Duration::from_secs(16);
/// The close code for "reconnect and resume" (1012: service restart).
const CLOSE_RESUME: u16 = 1012;

pub async fn run(state: AppState, node: NodeId) {
    let mut joined_before = false;
    let mut wait = Duration::from_millis(250);
    loop {
        let mut listener = match connect(&state).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cluster: cannot listen; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(10));
                continue;
            }
        };
        wait = Duration::from_millis(250);
        if joined_before {
            // Whatever was said while we were away is lost to this node's
            // sockets: their clients reconnect and resume from the database.
            tracing::warn!("cluster: listening again; clients here resume");
            state.hub.close_all(CLOSE_RESUME, "reconnect and resume");
            let changed = state.hub.forget_all_nodes();
            announce(&state, &changed).await;
        }
        joined_before = true;
        let hello = async {
            publish::hello(&state.db, node).await?;
            publish::presence(&state.db, node, &state.hub.local_statuses()).await
        };
        if let Err(e) = hello.await {
            tracing::warn!(error = %e, "cluster: could not say hello");
        }
        let lost = hear(&state, node, &mut listener).await;
        tracing::warn!(reason = %lost, "cluster: lost the listening connection");
    }
}

async fn connect(state: &AppState) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect(&state.config.database_url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Handle notices until the connection is lost; returns why.
async fn hear(state: &AppState, node: NodeId, listener: &mut PgListener) -> String {
    let mut heard: HashMap<NodeId, Instant> = HashMap::new();
    let mut beat = tokio::time::interval(BEAT_EVERY);
    loop {
        tokio::select! {
            next = listener.try_recv() => match next {
                Ok(Some(n)) => {
                    let Ok(notice) = serde_json::from_str::<Notice>(n.payload()) else {
                        tracing::warn!(payload = n.payload(), "cluster: unreadable notice");
                        continue;
                    };
                    let from = notice.node();
                    if from == node {
                        continue;
                    }
                    heard.insert(from, Instant::now());
                    if let Err(e) = apply(state, notice).await {
                        // This node's sockets miss the event; clients catch up on resume.
                        e.log_if_internal();
                    }
                }
                Ok(None) => return "connection closed".into(),
                Err(e) => return e.to_string(),
            },
            _ = beat.tick() => {
                if let Err(e) = publish::beat(&state.db, node).await {
                    tracing::warn!(error = %e, "cluster: heartbeat not sent");
                }
                let now = Instant::now();
                let gone: Vec<NodeId> = heard
                    .iter()
                    .filter(|(_, at)| now.duration_since(**at) > SILENT)
                    .map(|(&n, _)| n)
                    .collect();
                for n in gone {
                    tracing::warn!(node = n, "cluster: node went silent");
                    heard.remove(&n);
                    let changed = state.hub.forget_node(n);
                    announce(state, &changed).await;
                }
            }
        }
    }
}

async fn apply(state: &AppState, notice: Notice) -> AppResult<()> {
    match notice {
        Notice::Messages { r, .. } => messages(state, r).await,
        Notice::Stored { id, .. } => stored(state, id).await,
        Notice::Ephemeral { u, f, .. } => {
            state.hub.local_ephemeral(&u, &Utf8Bytes::from(f));
            Ok(())
        }
        Notice::Presence { n, s } => {
            let changed = state.hub.set_remote(n, &s);
            announce(state, &changed).await;
            Ok(())
        }
        Notice::PresenceOf { to, about, .. } => {
            state.hub.local_presence_of(&to, about);
            Ok(())
        }
        Notice::Hello { n } => {
            // A node that joins, or listens again after losing touch, reports
            // its whole presence next: start its record afresh.
            let changed = state.hub.forget_node(n);
            announce(state, &changed).await;
            let mine = state.hub.local_statuses();
            publish::presence(&state.db, node_of(state), &mine)
                .await
                .map_err(AppError::from)
        }
        Notice::Beat { .. } => Ok(()),
        Notice::Bye { n } => {
            let changed = state.hub.forget_node(n);
            announce(state, &changed).await;
            Ok(())
        }
    }
}

fn node_of(state: &AppState) -> NodeId {
    state.hub.node().unwrap_or_default()
}

/// Another node committed these messages: read them and deliver them to the
/// room's members connected here.
async fn messages(state: &AppState, rooms: Vec<(i64, Vec<i64>)>) -> AppResult<()> {
    let ids: Vec<i64> = rooms.iter().map(|(r, _)| *r).collect();
    let roster = db::rooms::roster_of(&state.db, &ids).await?;
    for (room, seqs) in rooms {
        let rows = message::Entity::find()
            .filter(message::Column::RoomId.eq(room))
            .filter(message::Column::Seq.is_in(seqs))
            .all(&state.db)
            .await?;
        let mut views = db::messages::with_names(&state.db, rows).await?;
        views.sort_by_key(|v| v.seq);
        let members: Vec<i64> = roster
            .get(&room)
            .into_iter()
            .flatten()
            .map(|p| p.user_id)
            .collect();
        for view in views {
            state
                .hub
                .local_to_users(&members, &encode(&ServerMsg::Message(view)));
        }
    }
    Ok(())
}

/// An outbox row: read it and deliver it here.
async fn stored(state: &AppState, id: i64) -> AppResult<()> {
    let row = state
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT payload FROM cluster_events WHERE id = $1",
            [id.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Err(AppError::internal("cluster: outbox row gone"));
    };
    let payload: String = row.try_get("", "payload")?;
    let delivery: Delivery = serde_json::from_str(&payload)
        .map_err(|e| AppError::internal(format!("cluster: outbox row {id}: {e}")))?;
    match delivery {
        Delivery::Users { users, frame } => {
            state.hub.local_to_users(&users, &Utf8Bytes::from(frame));
        }
        Delivery::Ephemeral { users, frame } => {
            state.hub.local_ephemeral(&users, &Utf8Bytes::from(frame));
        }
        Delivery::Watchers {
            thread_id,
            readers_only,
            frame,
        } => {
            let mut watchers = state.hub.watchers(thread_id);
            if readers_only && !watchers.is_empty() {
                watchers = match db::threads::find(&state.db, thread_id).await? {
                    Some(t) => access::thread_readers(&state.db, &t, watchers).await?,
                    None => Vec::new(),
                };
            }
            state
                .hub
                .local_to_watchers(thread_id, &watchers, &Utf8Bytes::from(frame));
        }
        Delivery::Close {
            user_id,
            ended,
            reason,
        } => state.hub.local_close_sessions(user_id, ended, &reason),
    }
    Ok(())
}

/// Tell this node's sockets of each person's contacts about their new
/// combined presence.
async fn announce(state: &AppState, changed: &[(i64, PresenceStatus)]) {
    for &(user_id, status) in changed {
        match db::rooms::contacts_of(&state.db, user_id).await {
            Ok(contacts) => state
                .hub
                .local_ephemeral(&contacts, &encode(&ServerMsg::Presence { user_id, status })),
            Err(e) => e.log_if_internal(),
        }
    }
}
