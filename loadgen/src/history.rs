//! W5 history reads: a room with N messages (sent through the websocket,
//! each acked), then C concurrent HTTP clients each asking for the newest
//! page of 50 again and again (closed loop) for S seconds.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use shared::api::rooms::ListMessagesResponse;

use crate::BoxError;
use crate::client::{Api, Ws};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub messages: usize,
    pub clients: usize,
    pub seconds: f64,
    /// Stop after this many requests in all, if sooner (the smoke run).
    pub max_requests: Option<usize>,
}

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let api = Api::new(server.addr);
    let reader = api.register("History Reader").await?;
    let other = api.register("History Writer").await?;
    let room = api.direct_room(&reader, other.id).await?;
    let mut ws = Ws::connect(server.addr, &other.cookie).await?;
    for n in 0..p.messages {
        let body = format!("history message {n}: {}", "words of a chat line ".repeat(4));
        ws.send_and_ack(room, &format!("w5-{n}"), &body).await?;
    }
    drop(ws);
    let path = format!("/api/rooms/{room}/messages?limit=50");
    let page: ListMessagesResponse = api.get_json(&path, &reader).await?;
    let want = p.messages.min(50);
    if page.messages.len() != want {
        return Err(format!("the page has {} messages, not {want}", page.messages.len()).into());
    }

    let url = format!("http://{}{path}", server.addr);
    let clients = p.clients.max(1);
    let per_client = p.max_requests.map(|m| m.div_ceil(clients));
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(p.seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let url = url.clone();
        let cookie = reader.cookie.clone();
        tasks.push(tokio::spawn(async move {
            // A client (and so a connection) of its own, kept alive.
            let http = reqwest::Client::new();
            let mut hist = Histogram::<u64>::new(3)?;
            let mut errors = 0u64;
            let mut n = 0usize;
            while Instant::now() < end && per_client.is_none_or(|m| n < m) {
                let t = Instant::now();
                let ok = match http.get(&url).header("cookie", &cookie).send().await {
                    Ok(res) if res.status().is_success() => res.bytes().await.is_ok(),
                    _ => false,
                };
                if ok {
                    hist.record(t.elapsed().as_micros() as u64)?;
                } else {
                    errors += 1;
                }
                n += 1;
            }
            Ok::<_, BoxError>((hist, errors))
        }));
    }
    let mut hist = Histogram::<u64>::new(3)?;
    let mut errors = 0;
    for t in tasks {
        let (h, e) = t.await??;
        hist.add(h)?;
        errors += e;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(Summary::new("history")
        .add("db", server.db.to_string())
        .add("messages", p.messages)
        .add("clients", clients)
        .rate("secs", secs)
        .add("requests", hist.len())
        .add("errors", errors)
        .rate("requests_per_sec", hist.len() as f64 / secs)
        .ms("p50_ms", hist.value_at_quantile(0.50))
        .ms("p99_ms", hist.value_at_quantile(0.99))
        .ms("max_ms", hist.max()))
}
