//! HTTP and websocket clients speaking the app's contract.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt, TryStreamExt};
use shared::api::auth::{Login, MeResponse, Register};
use shared::api::rooms::{OpenDirectRoom, RoomSummary};
use shared::ws::{ClientMsg, ServerMsg};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::BoxError;

#[derive(Clone)]
pub struct Person {
    pub id: i64,
    pub cookie: String,
}

pub struct Api {
    addr: SocketAddr,
    http: reqwest::Client,
}

impl Api {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            http: reqwest::Client::new(),
        }
    }

    pub async fn register(&self, name: &str) -> Result<Person, BoxError> {
        let email = format!("{}@load.example", name.to_lowercase().replace(' ', "."));
        let res = self
            .http
            .post(format!("http://{}/api/auth/register", self.addr))
            .json(&Register {
                email,
                password: "benchmark lantern teacup".into(),
                display_name: name.into(),
            })
            .send()
            .await?;
        Self::signed_in(res).await
    }

    /// `n` people named `{prefix} {i}`, a few registrations in flight at
    /// once: the server hashes each password with argon2 (tens of
    /// milliseconds, one per core at a time), so one at a time leaves a core
    /// idle.
    pub async fn register_many(&self, prefix: &str, n: usize) -> Result<Vec<Person>, BoxError> {
        futures_util::stream::iter(0..n)
            .map(|i| {
                let name = format!("{prefix} {i}");
                async move { self.register(&name).await }
            })
            .buffered(4)
            .try_collect()
            .await
    }

    /// Log in to an existing account (a demo person, say).
    pub async fn login(&self, email: &str, password: &str) -> Result<Person, BoxError> {
        let res = self
            .http
            .post(format!("http://{}/api/auth/login", self.addr))
            .json(&Login {
                email: email.into(),
                password: password.into(),
                code: None,
            })
            .send()
            .await?;
        Self::signed_in(res).await
    }

    /// The session cookie and the person from a register or login answer.
    async fn signed_in(res: reqwest::Response) -> Result<Person, BoxError> {
        let res = res.error_for_status()?;
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .ok_or("no session cookie")?
            .to_owned();
        let me: MeResponse = res.json().await?;
        Ok(Person { id: me.id, cookie })
    }

    /// One JSON request as `who`; the answer parsed, or the HTTP error.
    async fn json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Person,
        body: Option<&B>,
    ) -> Result<T, BoxError> {
        let mut req = self
            .http
            .request(method, format!("http://{}{path}", self.addr))
            .header("cookie", &who.cookie);
        if let Some(body) = body {
            req = req.json(body);
        }
        Ok(req.send().await?.error_for_status()?.json().await?)
    }

    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        who: &Person,
    ) -> Result<T, BoxError> {
        self.json(reqwest::Method::GET, path, who, None::<&()>)
            .await
    }

    pub async fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        who: &Person,
        body: &B,
    ) -> Result<T, BoxError> {
        self.json(reqwest::Method::POST, path, who, Some(body))
            .await
    }

    pub async fn put_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        who: &Person,
        body: &B,
    ) -> Result<T, BoxError> {
        self.json(reqwest::Method::PUT, path, who, Some(body)).await
    }

    pub async fn direct_room(&self, from: &Person, to: i64) -> Result<i64, BoxError> {
        let room: RoomSummary = self
            .http
            .post(format!("http://{}/api/rooms/direct", self.addr))
            .header("cookie", &from.cookie)
            .json(&OpenDirectRoom { user_id: to })
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(room.id)
    }
}

/// How long `send_and_ack` waits before calling the ack lost.
const ACK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

pub type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The generator's socket settings: tungstenite reads in 128 KiB chunks by
/// default, which at thousands of sockets is gigabytes on the generator's
/// side of the same machine. Frames here are under 1 KiB.
pub fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(8 * 1024)
}

/// Connect everyone in `people` and wait for each `ready`, a few sockets at
/// a time; in the same order as `people`.
pub async fn connect_all(addr: SocketAddr, people: &[Person]) -> Result<Vec<WsStream>, BoxError> {
    futures_util::stream::iter(people)
        .map(|p| Ws::connect_ready(addr, &p.cookie))
        .buffered(16)
        .try_collect()
        .await
}

pub struct Ws {
    stream: WsStream,
}

impl Ws {
    pub async fn connect(addr: SocketAddr, cookie: &str) -> Result<Self, BoxError> {
        let mut req = format!("ws://{addr}/api/ws").into_client_request()?;
        req.headers_mut().insert("cookie", cookie.parse()?);
        let (stream, _) =
            tokio_tungstenite::connect_async_with_config(req, Some(ws_config()), true).await?;
        Ok(Self { stream })
    }

    /// Connect and wait for the `ready` frame: from then on the server
    /// delivers the person's rooms to this connection.
    pub async fn connect_ready(addr: SocketAddr, cookie: &str) -> Result<WsStream, BoxError> {
        let mut ws = Self::connect(addr, cookie).await?;
        while let Some(frame) = ws.stream.next().await {
            if let Message::Text(text) = frame?
                && matches!(serde_json::from_str(&text)?, ServerMsg::Ready { .. })
            {
                return Ok(ws.stream);
            }
        }
        Err("socket closed before ready".into())
    }

    /// Send one message and wait for its ack (durable on the server).
    pub async fn send_and_ack(
        &mut self,
        room_id: i64,
        id: &str,
        body: &str,
    ) -> Result<(), BoxError> {
        let msg = ClientMsg::Send {
            room_id,
            client_msg_id: id.into(),
            body: body.into(),
        };
        self.stream
            .send(Message::text(serde_json::to_string(&msg)?))
            .await?;
        // A lost ack must fail the run, not hang it.
        let acked = async {
            while let Some(frame) = self.stream.next().await {
                if let Message::Text(text) = frame? {
                    match serde_json::from_str::<ServerMsg>(&text)? {
                        ServerMsg::Ack { client_msg_id, .. } if client_msg_id == id => {
                            return Ok(());
                        }
                        ServerMsg::Error { error, .. } => return Err(error.message.into()),
                        _ => {}
                    }
                }
            }
            Err::<(), BoxError>("socket closed before the ack".into())
        };
        tokio::time::timeout(ACK_WAIT, acked)
            .await
            .map_err(|_| format!("no ack for {id} in {} s", ACK_WAIT.as_secs()))?
    }
}
