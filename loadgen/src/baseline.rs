//! The baseline: a bare broadcast server (`loadgen baseline-server`), no
//! database and no auth, built from the server's own libraries (axum's
//! websocket on tokio). It speaks just enough of the app's protocol that the
//! same generator code drives it, so each figure of the real server can be
//! reported as a ratio to what merely moving the frames costs.
//!
//! It fakes the HTTP calls the generator makes (health, register, open a
//! direct room) and has one of its own, `POST /api/baseline/rooms/{id}/members`,
//! for what the generator does in the real server's database (adding members
//! to a room). A session cookie is `session=<user id>`, taken on trust. On
//! `send` it acks the sender at once (a seq counter per room, in memory) and
//! queues one pre-serialised `message` frame, cloned, on every connection of
//! every member, as the real hub does: a queue and a writer task per
//! connection. Unlike the real hub's, the queue is unbounded: the baseline
//! never drops a slow connection, so under overload it shows latency, not
//! loss (the generator's runs are bounded, and so is the memory).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use axum::extract::{Path, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use shared::api::auth::{MeResponse, Register};
use shared::api::rooms::{
    ListMessagesResponse, MessageView, OpenDirectRoom, RoomKind, RoomSummary,
};
use shared::api::users::UserSummary;
use shared::ws::{ClientMsg, ServerMsg};
use shared::{ApiError, ErrorKind};
use tokio::sync::mpsc;

use crate::BoxError;

/// The real server's socket buffers, so the comparison is of the work done
/// per frame, not of buffer sizes.
const READ_BUFFER_BYTES: usize = 8 * 1024;

struct Conn {
    id: u64,
    tx: mpsc::UnboundedSender<Utf8Bytes>,
}

struct Room {
    members: Vec<i64>,
    seq: i64,
    /// Every message, oldest first, for W5's history pages.
    history: Vec<MessageView>,
}

#[derive(Default)]
struct Inner {
    names: HashMap<i64, String>,
    rooms: HashMap<i64, Room>,
    conns: HashMap<i64, Vec<Conn>>,
}

#[derive(Default)]
struct Hub {
    inner: Mutex<Inner>,
    next_user: AtomicI64,
    next_room: AtomicI64,
    next_message: AtomicI64,
    next_conn: AtomicU64,
}

type Shared = Arc<Hub>;

/// Serve on `APP_BIND` (the generator picks the port) until killed.
pub async fn serve() -> Result<(), BoxError> {
    let bind: SocketAddr = std::env::var("APP_BIND")
        .unwrap_or_else(|_| "127.0.0.1:8090".into())
        .parse()?;
    let app = Router::new()
        .route("/api/health", get(|| async { "ok" }))
        .route("/api/auth/register", post(register))
        .route("/api/rooms/direct", post(direct_room))
        .route("/api/baseline/rooms/{id}/members", post(add_members))
        .route("/api/rooms/{id}/messages", get(messages))
        .route("/api/ws", get(websocket))
        .with_state(Shared::default());
    // As the real server: small frames must not wait for Nagle.
    let listener = tokio::net::TcpListener::bind(bind).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}

fn user_of(headers: &HeaderMap) -> Option<i64> {
    headers
        .get(header::COOKIE)?
        .to_str()
        .ok()?
        .split(';')
        .find_map(|c| c.trim().strip_prefix("session="))?
        .parse()
        .ok()
}

fn lock(hub: &Hub) -> std::sync::MutexGuard<'_, Inner> {
    // A panic while holding the lock cannot leave it half-edited in a way
    // that matters to a benchmark; carry on with the data.
    hub.inner.lock().unwrap_or_else(|e| e.into_inner())
}

fn encode(msg: &ServerMsg) -> Utf8Bytes {
    Utf8Bytes::from(serde_json::to_string(msg).unwrap_or_default())
}

async fn register(State(hub): State<Shared>, Json(req): Json<Register>) -> Response {
    let id = hub.next_user.fetch_add(1, Ordering::Relaxed) + 1;
    lock(&hub).names.insert(id, req.display_name.clone());
    let me = MeResponse {
        id,
        email: req.email,
        display_name: req.display_name,
        created_at: Utc::now(),
        read_receipts: true,
        is_admin: false,
        two_factor: false,
        two_factor_required: false,
    };
    let cookie = format!("session={id}; Path=/; HttpOnly");
    (
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        Json(me),
    )
        .into_response()
}

/// A new room of two on every call (the real server returns the pair's
/// existing one; the generator never asks twice).
async fn direct_room(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Json(req): Json<OpenDirectRoom>,
) -> Response {
    let Some(me) = user_of(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let id = hub.next_room.fetch_add(1, Ordering::Relaxed) + 1;
    let mut inner = lock(&hub);
    inner.rooms.insert(
        id,
        Room {
            members: vec![me, req.user_id],
            seq: 0,
            history: Vec::new(),
        },
    );
    let member = |id: i64| UserSummary {
        id,
        display_name: inner.names.get(&id).cloned().unwrap_or_default(),
    };
    let summary = RoomSummary {
        id,
        kind: RoomKind::Direct,
        title: member(req.user_id).display_name,
        members: vec![member(me), member(req.user_id)],
        last_seq: 0,
        last_message: None,
        last_read_seq: 0,
        unread_count: 0,
        read_by: Vec::new(),
        muted: false,
        coop_id: None,
        archived: false,
    };
    Json(summary).into_response()
}

/// The members besides the first two; answers how many the room has.
async fn add_members(
    State(hub): State<Shared>,
    Path(id): Path<i64>,
    Json(users): Json<Vec<i64>>,
) -> Response {
    match lock(&hub).rooms.get_mut(&id) {
        Some(room) => {
            room.members.extend(users);
            Json(serde_json::json!({ "members": room.members.len() })).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn websocket(
    State(hub): State<Shared>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(user) = user_of(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(socket, hub, user))
}

/// One connection: a writer task drains its queue to the socket; the reader
/// handles `send` and ignores the rest.
async fn session(socket: WebSocket, hub: Shared, user: i64) {
    let id = hub.next_conn.fetch_add(1, Ordering::Relaxed);
    let (tx, mut rx) = mpsc::unbounded_channel::<Utf8Bytes>();
    let display_name = {
        let mut inner = lock(&hub);
        inner
            .conns
            .entry(user)
            .or_default()
            .push(Conn { id, tx: tx.clone() });
        inner.names.get(&user).cloned().unwrap_or_default()
    };
    let (mut sink, mut stream) = socket.split();
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if sink.send(Message::Text(frame)).await.is_err() {
                break;
            }
        }
    });
    let ready = ServerMsg::Ready {
        user_id: user,
        display_name,
        server_time: Utc::now(),
    };
    let _ = tx.send(encode(&ready));
    while let Some(Ok(frame)) = stream.next().await {
        match frame {
            Message::Text(text) => on_text(&hub, user, &tx, &text),
            Message::Close(_) => break,
            _ => {}
        }
    }
    {
        let mut inner = lock(&hub);
        if let Some(conns) = inner.conns.get_mut(&user) {
            conns.retain(|c| c.id != id);
            if conns.is_empty() {
                inner.conns.remove(&user);
            }
        }
    }
    drop(tx);
    let _ = writer.await;
}

fn error(message: &str, client_msg_id: Option<String>, room_id: Option<i64>) -> Utf8Bytes {
    encode(&ServerMsg::Error {
        error: ApiError {
            kind: ErrorKind::BadRequest,
            message: message.into(),
            field: None,
        },
        client_msg_id,
        room_id,
    })
}

#[derive(serde::Deserialize)]
struct Page {
    limit: Option<usize>,
}

/// W5: the newest `limit` messages of a room, from memory, as the real
/// server's first page (no auth, no paging beyond that).
async fn messages(
    State(hub): State<Shared>,
    Path(room_id): Path<i64>,
    axum::extract::Query(page): axum::extract::Query<Page>,
) -> Response {
    let inner = lock(&hub);
    let Some(room) = inner.rooms.get(&room_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let limit = page.limit.unwrap_or(50).min(200);
    let from = room.history.len().saturating_sub(limit);
    Json(ListMessagesResponse {
        messages: room.history[from..].to_vec(),
        has_more: from > 0,
    })
    .into_response()
}

/// `send`: the ack to the sender, then the message to every member's
/// connections, all under one lock so each room's frames leave in seq order.
fn on_text(hub: &Hub, user: i64, tx: &mpsc::UnboundedSender<Utf8Bytes>, text: &str) {
    let Ok(ClientMsg::Send {
        room_id,
        client_msg_id,
        body,
    }) = serde_json::from_str::<ClientMsg>(text)
    else {
        // Anything else (ping, read, typing) needs no answer here.
        return;
    };
    let mut inner = lock(hub);
    let author_name = inner.names.get(&user).cloned().unwrap_or_default();
    let Some(room) = inner
        .rooms
        .get_mut(&room_id)
        .filter(|r| r.members.contains(&user))
    else {
        let _ = tx.send(error("Not a member.", Some(client_msg_id), Some(room_id)));
        return;
    };
    room.seq += 1;
    let seq = room.seq;
    let members = room.members.clone();
    let id = hub.next_message.fetch_add(1, Ordering::Relaxed) + 1;
    let created_at = Utc::now();
    let ack = encode(&ServerMsg::Ack {
        client_msg_id: client_msg_id.clone(),
        room_id,
        seq,
        id,
        created_at,
        duplicate: false,
    });
    let view = MessageView {
        id,
        room_id,
        seq,
        author_id: user,
        author_name,
        body,
        created_at,
        client_msg_id,
        edited_at: None,
        deleted: false,
        hidden: false,
    };
    room.history.push(view.clone());
    let message = encode(&ServerMsg::Message(view));
    let _ = tx.send(ack);
    for member in members {
        for conn in inner.conns.get(&member).into_iter().flatten() {
            let _ = conn.tx.send(message.clone());
        }
    }
}
