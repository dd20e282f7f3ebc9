//! One websocket connection: a writer task drains the connection's queue to
//! the socket (and pings); the reader handles client messages in order.
//! Replies to this connection go through the same queue as fan-out, so a
//! client always sees its `ack` before its own `message` event.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use shared::limits::RESUME_MAX_MESSAGES;
use shared::ws::{ClientMsg, ServerMsg};
use tokio::sync::mpsc;

use super::hub::{Registration, encode};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::messages::Page;
use crate::domain::access;
use crate::error::{AppError, AppResult};
use crate::messaging;

/// Protocol pings keep proxies from dropping quiet sockets and find dead peers.
const PING_EVERY: Duration = Duration::from_secs(30);
/// No frame at all (not even a pong) for this long: the peer is gone.
const IDLE_LIMIT: Duration = Duration::from_secs(75);

pub async fn run(socket: WebSocket, state: AppState, user: AuthUser) {
    let Registration {
        id,
        tx,
        mut rx,
        closer,
    } = state.hub.register(user.id);
    tracing::info!(conn_id = id, "websocket open");
    let (mut sink, mut stream) = socket.split();

    let writer_closer = closer.clone();
    let mut writer = tokio::spawn(async move {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                // A close request wins over draining: it must reach the peer.
                biased;
                (code, reason) = writer_closer.closed() => {
                    let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                frame = rx.recv() => match frame {
                    Some(frame) => {
                        if sink.send(Message::Text(frame)).await.is_err() {
                            break;
                        }
                    }
                    None => break,
                },
                _ = ping.tick() => {
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        break;
                    }
                }
            }
        }
    });

    let ready = ServerMsg::Ready {
        user_id: user.id,
        display_name: user.display_name.clone(),
        server_time: chrono::Utc::now(),
    };
    let _ = tx.send(encode(&ready)).await;

    let mut writer_done = false;
    loop {
        let next = tokio::select! {
            next = tokio::time::timeout(IDLE_LIMIT, stream.next()) => next,
            _ = &mut writer => {
                writer_done = true;
                break;
            }
        };
        match next {
            Err(_) => {
                closer.close(1001, "idle");
                break;
            }
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => break,
            Ok(Some(Err(e))) => {
                if is_too_long(e) {
                    closer.close(1009, "frame larger than 64 KiB");
                }
                break;
            }
            Ok(Some(Ok(Message::Text(text)))) => handle_text(&state, &user, &tx, &text).await,
            Ok(Some(Ok(Message::Binary(_)))) => {
                let err = AppError::BadRequest("Send JSON text frames, not binary.".into());
                reply_error(&tx, &err, None, None).await;
            }
            Ok(Some(Ok(_))) => {}
        }
    }

    state.hub.unregister(user.id, id);
    drop(tx);
    // Let the writer flush a close frame; the queue ends once every sender is gone.
    if !writer_done
        && tokio::time::timeout(Duration::from_secs(5), &mut writer)
            .await
            .is_err()
    {
        writer.abort();
    }
    tracing::info!(conn_id = id, "websocket closed");
}

fn is_too_long(e: axum::Error) -> bool {
    matches!(
        e.into_inner().downcast_ref::<tungstenite::Error>(),
        Some(tungstenite::Error::Capacity(_))
    )
}

async fn handle_text(state: &AppState, user: &AuthUser, tx: &mpsc::Sender<Utf8Bytes>, text: &str) {
    let msg = match serde_json::from_str::<ClientMsg>(text) {
        Ok(msg) => msg,
        Err(e) => {
            let err = AppError::BadRequest(format!("Could not read that message: {e}"));
            reply_error(tx, &err, None, None).await;
            return;
        }
    };
    match msg {
        ClientMsg::Send {
            room_id,
            client_msg_id,
            body,
        } => {
            let posted = messaging::post(
                state,
                user,
                room_id,
                &client_msg_id,
                &body,
                Some(tx.clone()),
            )
            .await;
            if let Err(e) = posted {
                reply_error(tx, &e, Some(client_msg_id), Some(room_id)).await;
            }
        }
        ClientMsg::Resume { room_id, after_seq } => {
            if let Err(e) = resume(state, user, tx, room_id, after_seq).await {
                reply_error(tx, &e, None, Some(room_id)).await;
            }
        }
        ClientMsg::Ping => {
            let _ = tx.send(encode(&ServerMsg::Pong)).await;
        }
        ClientMsg::Read { .. }
        | ClientMsg::Typing { .. }
        | ClientMsg::SetPresence { .. }
        | ClientMsg::Edit { .. }
        | ClientMsg::Delete { .. } => {
            let err = AppError::BadRequest("This server does not support that yet.".into());
            reply_error(tx, &err, None, None).await;
        }
    }
}

/// Replay what the client missed, or tell it to re-page when that is too much.
async fn resume(
    state: &AppState,
    user: &AuthUser,
    tx: &mpsc::Sender<Utf8Bytes>,
    room_id: i64,
    after_seq: i64,
) -> AppResult<()> {
    let room = access::room_member(&state.db, user, room_id).await?;
    let (missed, more) = db::messages::page(
        &state.db,
        room_id,
        Page::After(after_seq),
        RESUME_MAX_MESSAGES,
    )
    .await?;
    // Too far behind, or a cursor from the future (say, a reset database).
    if more || after_seq > room.last_seq {
        let resync = ServerMsg::Resync {
            room_id,
            last_seq: room.last_seq,
        };
        let _ = tx.send(encode(&resync)).await;
        return Ok(());
    }
    let last_seq = missed.last().map_or(after_seq.max(0), |m| m.seq);
    for m in missed {
        let _ = tx.send(encode(&ServerMsg::Message(m))).await;
    }
    let _ = tx
        .send(encode(&ServerMsg::Resumed { room_id, last_seq }))
        .await;
    Ok(())
}

async fn reply_error(
    tx: &mpsc::Sender<Utf8Bytes>,
    err: &AppError,
    client_msg_id: Option<String>,
    room_id: Option<i64>,
) {
    err.log_if_internal();
    let (_, error) = err.to_api();
    let msg = ServerMsg::Error {
        error,
        client_msg_id,
        room_id,
    };
    let _ = tx.send(encode(&msg)).await;
}
