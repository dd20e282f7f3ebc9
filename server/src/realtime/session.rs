//! One websocket connection: a writer task drains the connection's queue to
//! the socket (and pings); the reader hands client messages, in order, to
//! `requests`. Replies to this connection go through the same queue as
//! fan-out, so a client always sees its `ack` before its own `message` event.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use shared::ws::ServerMsg;
use tokio::sync::mpsc;

use super::hub::{Registration, encode};
use super::presence;
use super::requests::Conn;
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::error::AppError;

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
        presence_changed,
    } = state.hub.register(user.id, user.session_id);
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
                    let frame = CloseFrame { code, reason };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                frame = rx.recv() => match frame {
                    Some(frame) => {
                        if write_queued(&mut sink, &mut rx, frame).await.is_err() {
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
    if let Err(e) = presence::connected(&state, user.id, presence_changed, &tx).await {
        e.log_if_internal();
    }
    let mut conn = Conn::new(&state, &user, id, &tx);

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
            Ok(Some(Ok(Message::Text(text)))) => conn.handle_text(&text).await,
            Ok(Some(Ok(Message::Binary(_)))) => {
                let err = AppError::BadRequest("Send JSON text frames, not binary.".into());
                conn.reply_error(&err, None, None).await;
            }
            Ok(Some(Ok(_))) => {}
        }
    }

    let gone = state.hub.unregister(user.id, id);
    if let Err(e) = presence::announce(&state, user.id, gone).await {
        e.log_if_internal();
    }
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

/// Frames written per flush at most, so a close request is not kept waiting.
const WRITE_BATCH: usize = 64;

/// Write `first` and whatever else is already queued, then flush once: under
/// fan-out load one system call carries many frames instead of one each.
async fn write_queued(
    sink: &mut SplitSink<WebSocket, Message>,
    rx: &mut mpsc::Receiver<Utf8Bytes>,
    first: Utf8Bytes,
) -> Result<(), axum::Error> {
    sink.feed(Message::Text(first)).await?;
    for _ in 1..WRITE_BATCH {
        match rx.try_recv() {
            Ok(frame) => sink.feed(Message::Text(frame)).await?,
            Err(_) => break,
        }
    }
    sink.flush().await
}

fn is_too_long(e: axum::Error) -> bool {
    matches!(
        e.into_inner().downcast_ref::<tungstenite::Error>(),
        Some(tungstenite::Error::Capacity(_))
    )
}
