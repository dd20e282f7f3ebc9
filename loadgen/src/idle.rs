//! W3 idle sockets at scale: open authenticated websockets that do nothing,
//! in steps, and read the server's RSS at each step (KiB per socket over a
//! warmed-up start).
//!
//! One client address has about 28k ephemeral ports towards one server
//! port, so sockets are bound to source addresses in 127/8 (all loopback on
//! Linux), `--per-address` each. Each run starts at its own address (from
//! its process id): the ports a run closes stay in TIME_WAIT for a minute,
//! and the next run on the same addresses would run out of them. They are
//! spread over several people, `--per-user` each: the server keeps a list
//! of connections per person, which one person with every socket would make
//! quadratic. Each process may hold only so many files (`ulimit -n`); the
//! ramp stops below the lower of the generator's and the server's limits
//! and says so, rather than letting `accept` fail inside the server.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinSet;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::BoxError;
use crate::client::{self, Api, Person};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub sockets: usize,
    /// Sockets added between two readings.
    pub step: usize,
    pub per_user: usize,
    pub per_address: usize,
}

/// Files each process keeps for itself besides the sockets (the database,
/// its pool, the listener, the runtime): the ramp stays this far below the
/// open-file limit.
const FILES_SPARE: usize = 128;

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let own = open_files_limit("self")?;
    let theirs = open_files_limit(&server.pid()?.to_string())?;
    let limit = own.min(theirs);
    let cap = limit.saturating_sub(FILES_SPARE);
    let wanted = p.sockets.max(1);
    let per_user = p.per_user.max(1);
    let users = wanted.min(cap).div_ceil(per_user).max(1);
    let people = Api::new(server.addr)
        .register_many("Idle Person", users)
        .await?;

    // Warm up: one socket, so per-process one-off allocations are excluded.
    let mut held = JoinSet::new();
    let warm = connect_idle(server.addr, loopback(0, 1), &people[0]).await?;
    held.spawn(hold(warm));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_kib()?;

    let step = p.step.clamp(1, wanted);
    let mut open = 0usize;
    let mut steps = Vec::new();
    let mut limited_by: Option<String> = None;
    while open < wanted && limited_by.is_none() {
        let mut target = (open + step).min(wanted);
        if target > cap {
            target = cap;
            eprintln!(
                "idle: stopping at {cap} sockets: open files are limited to {limit} per \
                 process (generator {own}, server {theirs}); raise `ulimit -n` to go on"
            );
            limited_by = Some(format!("open_files_{limit}"));
            if target <= open {
                break;
            }
        }
        let batch: Vec<(usize, &Person)> = (open..target)
            .map(|i| (i, &people[(i / per_user).min(people.len() - 1)]))
            .collect();
        let mut connecting = futures_util::stream::iter(batch)
            .map(|(i, person)| {
                let from = loopback(i, p.per_address);
                async move {
                    tokio::time::timeout(
                        Duration::from_secs(10),
                        connect_idle(server.addr, from, person),
                    )
                    .await
                    .map_err(|_| BoxError::from("connect timed out after 10 s"))?
                }
            })
            .buffer_unordered(32);
        while let Some(ws) = connecting.next().await {
            match ws {
                Ok(ws) => {
                    held.spawn(hold(ws));
                    open += 1;
                }
                Err(e) => {
                    eprintln!("idle: stopping at {open} sockets: {e}");
                    // One token for the summary line.
                    let e = e.to_string().replace(char::is_whitespace, "_");
                    limited_by = Some(format!("connect_failed:{e}"));
                    break;
                }
            }
        }
        drop(connecting);
        if open == 0 {
            break;
        }
        // Let the last sockets' first frames go out before reading memory.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let rss = server.rss_kib()?;
        let per = rss.saturating_sub(before) as f64 / open as f64;
        eprintln!("idle: {open} sockets, server RSS {rss} KiB, {per:.1} KiB per socket");
        steps.push(serde_json::json!({
            "sockets": open,
            "rss_kib": rss,
            "kib_per_socket": (per * 10.0).round() / 10.0,
        }));
    }
    let after = server.rss_kib()?;
    let per = after.saturating_sub(before) as f64 / open.max(1) as f64;
    drop(held);
    Ok(Summary::new("idle")
        .add("db", server.db.to_string())
        .add("sockets", wanted)
        .add("reached", open)
        .add("users", users)
        .add("rss_before_kib", before)
        .add("rss_after_kib", after)
        .rate("kib_per_socket", per)
        .rate(
            "projected_100k_mib",
            (before as f64 + per * 100_000.0) / 1024.0,
        )
        .add("limited_by", limited_by.unwrap_or_else(|| "none".into()))
        .add("steps", steps))
}

/// The `i`th socket's source address: a block of 64 addresses in 127/8
/// picked by the process id, `per_address` sockets on each (so up to 64 ×
/// `per_address` sockets).
fn loopback(i: usize, per_address: usize) -> IpAddr {
    let block = std::process::id() as usize % 200_000;
    let n = 2 + block * 64 + (i / per_address.max(1)) % 64;
    let [_, a, b, c] = (n as u32).to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(127, a, b, c))
}

type IdleWs = WebSocketStream<TcpStream>;

/// A signed-in socket from `from`, past its `ready` frame.
async fn connect_idle(server: SocketAddr, from: IpAddr, who: &Person) -> Result<IdleWs, BoxError> {
    let socket = TcpSocket::new_v4()?;
    // Not SO_REUSEADDR: with it, `bind` may hand out a port an open socket
    // already uses, and `connect` then fails (EADDRINUSE).
    socket.bind(SocketAddr::new(from, 0))?;
    let tcp = socket.connect(server).await?;
    tcp.set_nodelay(true)?;
    let mut req = format!("ws://{server}/api/ws").into_client_request()?;
    req.headers_mut().insert("cookie", who.cookie.parse()?);
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(req, tcp, Some(client::ws_config())).await?;
    while let Some(frame) = ws.next().await {
        if let Message::Text(text) = frame?
            && text.starts_with(r#"{"type":"ready","#)
        {
            return Ok(ws);
        }
    }
    Err("socket closed before ready".into())
}

/// Keep reading, so the server's pings are answered and the socket stays
/// open, until the server closes it or the set is dropped.
async fn hold(mut ws: IdleWs) {
    while let Some(Ok(_)) = ws.next().await {}
}

/// The soft `Max open files` of a process (`self` or a pid), from procfs.
fn open_files_limit(pid: &str) -> Result<usize, BoxError> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits"))?;
    limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|soft| match soft {
            "unlimited" => Some(usize::MAX),
            n => n.parse().ok(),
        })
        .ok_or_else(|| "no open-file limit in procfs".into())
}
