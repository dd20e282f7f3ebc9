//! A real websocket client (tokio-tungstenite) speaking the app's protocol.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use shared::ws::{ClientMsg, ServerMsg};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use std::net::SocketAddr;

/// How long a test waits for an event it expects.
pub const WAIT: Duration = Duration::from_secs(5);

pub struct WsClient {
    pub stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Typing and presence events come at any moment; most tests skip them.
    hear_ephemeral: bool,
    /// The server time in this connection's `ready`.
    pub ready_at: chrono::DateTime<chrono::Utc>,
}

impl WsClient {
    pub async fn connect(
        addr: SocketAddr,
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Result<Self, tungstenite::Error> {
        let mut req = format!("ws://{addr}/api/ws")
            .into_client_request()
            .expect("request");
        if let Some(cookie) = cookie {
            req.headers_mut()
                .insert("cookie", cookie.parse().expect("cookie header"));
        }
        if let Some(origin) = origin {
            req.headers_mut()
                .insert("origin", origin.parse().expect("origin header"));
        }
        let (stream, _) = tokio_tungstenite::connect_async_with_config(req, None, true).await?;
        let mut client = Self {
            stream,
            hear_ephemeral: false,
            ready_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        };
        match client.try_next(WAIT).await {
            Ok(Some(ServerMsg::Ready { server_time, .. })) => {
                client.ready_at = server_time;
                Ok(client)
            }
            Ok(Some(other)) => panic!("expected ready first, got {other:?}"),
            // The server went away during the handshake (the crash test kills it).
            Ok(None) | Err(_) => Err(tungstenite::Error::ConnectionClosed),
        }
    }

    /// Also return typing and presence events.
    pub fn hearing_ephemeral(mut self) -> Self {
        self.hear_ephemeral = true;
        self
    }

    pub async fn send(&mut self, msg: &ClientMsg) {
        let text = serde_json::to_string(msg).expect("json");
        self.send_raw(Message::text(text)).await;
    }

    pub async fn send_raw(&mut self, msg: Message) {
        self.stream.send(msg).await.expect("send frame");
    }

    pub async fn send_text(&mut self, room_id: i64, client_msg_id: &str, body: &str) {
        self.send(&ClientMsg::Send {
            room_id,
            client_msg_id: client_msg_id.into(),
            body: body.into(),
        })
        .await;
    }

    /// The next protocol event (skipping pings), or panic after [`WAIT`].
    pub async fn next(&mut self) -> ServerMsg {
        match self.next_within(WAIT).await {
            Some(msg) => msg,
            None => panic!("no event within {WAIT:?}"),
        }
    }

    /// The next event, or `None` if nothing arrives within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<ServerMsg> {
        match self.try_next(wait).await {
            Ok(msg) => msg,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like `next_within`, but a closed or failed socket is an `Err`, not a panic.
    pub async fn try_next(&mut self, wait: Duration) -> Result<Option<ServerMsg>, String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let Ok(frame) = tokio::time::timeout_at(deadline, self.stream.next()).await else {
                return Ok(None);
            };
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let msg: ServerMsg = serde_json::from_str(&text)
                        .map_err(|e| format!("bad server frame ({e}): {text}"))?;
                    let ephemeral =
                        matches!(msg, ServerMsg::Typing { .. } | ServerMsg::Presence { .. });
                    if ephemeral && !self.hear_ephemeral {
                        continue;
                    }
                    return Ok(Some(msg));
                }
                Some(Ok(Message::Close(frame))) => return Err(format!("socket closed: {frame:?}")),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(format!("socket error: {e}")),
                None => return Err("socket ended".into()),
            }
        }
    }

    /// Skip events until one matches.
    pub async fn next_matching(&mut self, pred: impl Fn(&ServerMsg) -> bool) -> ServerMsg {
        loop {
            let msg = self.next().await;
            if pred(&msg) {
                return msg;
            }
        }
    }

    /// Assert that nothing but pings arrives for a short while.
    pub async fn expect_silence(&mut self, wait: Duration) {
        if let Some(msg) = self.next_within(wait).await {
            panic!("expected no event, got {msg:?}");
        }
    }

    /// Assert that no event matching `pred` arrives for a while (others may).
    pub async fn expect_none(&mut self, pred: impl Fn(&ServerMsg) -> bool, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        while let Some(msg) = self
            .next_within(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            assert!(!pred(&msg), "expected no such event, got {msg:?}");
        }
    }

    /// Read until the server closes the socket; return the close frame.
    pub async fn closed(&mut self) -> Option<CloseFrame> {
        loop {
            match tokio::time::timeout(WAIT, self.stream.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => return frame,
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => return None,
                Err(_) => panic!("socket not closed within {WAIT:?}"),
            }
        }
    }
}
