//! W4 durable writes, closed loop: each sender sends one message, waits for
//! its ack (which the real server sends only after the commit), and sends
//! the next. "One room": every sender writes into one room (one seq
//! counter, and every message goes to every sender's connection); "many":
//! each sender into a room of its own (no contention, no fan-out). A run
//! ends after `messages` per sender, or after `seconds` if given (so a fast
//! target, the baseline, is measured over as long as a slow one).

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::BoxError;
use crate::client::{self, Api, Person};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub senders: usize,
    /// Per sender, at most.
    pub messages: usize,
    pub seconds: Option<f64>,
    pub one_room: bool,
}

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let (senders, messages, one_room) = (p.senders.max(1), p.messages, p.one_room);
    let api = Api::new(server.addr);
    let hub = api.register("Load Hub").await?;
    let people: Vec<Person> = api.register_many("Load Sender", senders).await?;
    // Contention: every connection writes into one room (one seq counter),
    // all as the hub. Without: each sender writes into a room of its own.
    let (rooms, writers): (Vec<i64>, Vec<Person>) = if one_room {
        let room = api.direct_room(&hub, people[0].id).await?;
        (vec![room; senders], vec![hub.clone(); senders])
    } else {
        let mut rooms = Vec::new();
        for p in &people {
            rooms.push(api.direct_room(&hub, p.id).await?);
        }
        (rooms, people)
    };
    // Everyone connected before the clock starts.
    let mut sockets = Vec::with_capacity(senders);
    for writer in &writers {
        sockets.push(client::Ws::connect(server.addr, &writer.cookie).await?);
    }
    let started = Instant::now();
    let end = p.seconds.map(|s| started + Duration::from_secs_f64(s));
    let mut tasks = Vec::new();
    for (i, (room, mut ws)) in rooms.into_iter().zip(sockets).enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new(3)?;
            for n in 0..messages {
                let t = Instant::now();
                if end.is_some_and(|end| t >= end) {
                    break;
                }
                ws.send_and_ack(
                    room,
                    &format!("s{i}-{n}"),
                    "a durable benchmark message of modest length",
                )
                .await?;
                hist.record(t.elapsed().as_micros() as u64)?;
            }
            Ok::<_, BoxError>(hist)
        }));
    }
    let mut all = Histogram::<u64>::new(3)?;
    for t in tasks {
        all.add(t.await??)?;
    }
    let secs = started.elapsed().as_secs_f64();
    let total = all.len();
    Ok(Summary::new("durable")
        .add("db", server.db.to_string())
        .add("rooms", if one_room { "one" } else { "many" })
        .add("senders", senders)
        .add("messages", total)
        .rate("secs", secs)
        .rate("msgs_per_sec", total as f64 / secs)
        .ms("ack_p50_ms", all.value_at_quantile(0.50))
        .ms("ack_p99_ms", all.value_at_quantile(0.99))
        .ms("ack_max_ms", all.max()))
}
