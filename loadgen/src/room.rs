//! W1 room fan-out: one room, many connected members, a few of them sending
//! at a fixed total rate (open loop); every member times each delivery.
//!
//! The API makes rooms of two (direct) and named rooms only as a side effect
//! of a mentorship or a co-op, so the generator opens a direct room through
//! the API and then, in the database, turns it into a named room and adds
//! the other members (the same rows `db::rooms::create_named` writes). The
//! server reads members at fan-out time, so nothing else needs telling.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use sea_orm::{ConnectionTrait, Database};
use shared::ws::ClientMsg;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::BoxError;
use crate::client::{Api, Person, Ws, WsStream};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub members: usize,
    pub senders: usize,
    /// Messages per second, all senders together.
    pub rate: f64,
    pub seconds: f64,
}

/// What every member's reader adds to.
#[derive(Default)]
struct Counts {
    delivered: AtomicU64,
    acked: AtomicU64,
    errors: AtomicU64,
}

/// Body length, with the send instant (ns since the run's start) in front.
const BODY_BYTES: usize = 200;

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    let server = Server::start(db).await?;
    let result = drive(&server, &p).await;
    server.stop().await;
    result
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let members = p.members.max(2);
    let senders = p.senders.clamp(1, members);
    let api = Api::new(server.addr);
    let mut people: Vec<Person> = Vec::with_capacity(members);
    for i in 0..members {
        people.push(api.register(&format!("Room Member {i}")).await?);
    }
    let room = api.direct_room(&people[0], people[1].id).await?;
    let conn = Database::connect(server.url.clone()).await?;
    conn.execute_unprepared(&format!(
        "UPDATE rooms SET kind = 'mentorship', direct_key = NULL, title = 'Load room' \
         WHERE id = {room}"
    ))
    .await?;
    for person in &people[2..] {
        conn.execute_unprepared(&format!(
            "INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq, muted) \
             SELECT room_id, {}, joined_at, 0, muted FROM room_members \
             WHERE room_id = {room} AND user_id = {}",
            person.id, people[0].id
        ))
        .await?;
    }
    conn.close().await?;

    // Everyone connected and past `ready` before the first send.
    let mut sinks = Vec::new();
    let mut streams = Vec::new();
    for person in &people {
        let (sink, stream) = Ws::connect_ready(server.addr, &person.cookie)
            .await?
            .split();
        sinks.push(sink);
        streams.push(stream);
    }
    // Let the presence frames of everyone arriving settle.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let start = Instant::now();
    let counts = Arc::new(Counts::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let readers: Vec<_> = streams
        .into_iter()
        .map(|s| tokio::spawn(read(s, start, counts.clone(), stop_rx.clone())))
        .collect();

    let sent = Arc::new(AtomicU64::new(0));
    let per_sender = Duration::from_secs_f64(senders as f64 / p.rate);
    let end = start + Duration::from_secs_f64(p.seconds);
    let mut writers = Vec::new();
    for (i, sink) in sinks.into_iter().take(senders).enumerate() {
        // Stagger the senders so the total is evenly paced.
        let first = start + Duration::from_secs_f64(i as f64 / p.rate);
        let sent = sent.clone();
        writers.push(tokio::spawn(send(
            sink, room, i, first, per_sender, end, start, sent,
        )));
    }
    let mut lag_max = Duration::ZERO;
    for w in writers {
        lag_max = lag_max.max(w.await??);
    }
    let send_secs = start.elapsed().as_secs_f64();
    let sent = sent.load(Ordering::Relaxed);
    let expected = sent * members as u64;

    // Drain: until everything arrived, or nothing more for 2 s.
    let mut last = (counts.delivered.load(Ordering::Relaxed), Instant::now());
    loop {
        let delivered = counts.delivered.load(Ordering::Relaxed);
        let acked = counts.acked.load(Ordering::Relaxed);
        if delivered >= expected && acked + counts.errors.load(Ordering::Relaxed) >= sent {
            break;
        }
        if delivered != last.0 {
            last = (delivered, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let total_secs = start.elapsed().as_secs_f64();
    stop_tx.send(true)?;
    let mut hist = Histogram::<u64>::new(3)?;
    let mut closed = 0u64;
    for r in readers {
        match r.await? {
            Ok(h) => hist.add(h)?,
            Err(_) => closed += 1,
        }
    }
    let delivered = counts.delivered.load(Ordering::Relaxed);
    Ok(Summary::new("room")
        .add("db", server.db.to_string())
        .add("members", members)
        .add("senders", senders)
        .rate("rate", p.rate)
        .rate("secs", send_secs)
        .add("sent", sent)
        .add("acked", counts.acked.load(Ordering::Relaxed))
        .add("errors", counts.errors.load(Ordering::Relaxed))
        .add("expected", expected)
        .add("delivered", delivered)
        .rate("delivered_per_sec", delivered as f64 / total_secs)
        .ms("p50_ms", hist.value_at_quantile(0.50))
        .ms("p99_ms", hist.value_at_quantile(0.99))
        .ms("max_ms", hist.max())
        .ms("send_lag_max_ms", lag_max.as_micros() as u64)
        .add("sockets_closed", closed)
        .add("lost", expected.saturating_sub(delivered)))
}

/// One sender: a message every `every` from `first` until `end`, without
/// waiting for acks (its reader counts them). Returns how far behind its
/// schedule it fell at worst.
#[allow(clippy::too_many_arguments)]
async fn send(
    mut sink: SplitSink<WsStream, Message>,
    room_id: i64,
    who: usize,
    first: Instant,
    every: Duration,
    end: Instant,
    start: Instant,
    sent: Arc<AtomicU64>,
) -> Result<Duration, BoxError> {
    let mut next = first;
    let mut n = 0u64;
    let mut lag = Duration::ZERO;
    while next < end {
        tokio::time::sleep_until(next.into()).await;
        let now = Instant::now();
        lag = lag.max(now - next);
        let mut body = format!("{} ", (now - start).as_nanos());
        body.extend(std::iter::repeat_n('x', BODY_BYTES - body.len()));
        let msg = ClientMsg::Send {
            room_id,
            client_msg_id: format!("w1-{who}-{n}"),
            body,
        };
        sink.send(Message::text(serde_json::to_string(&msg)?))
            .await?;
        sent.fetch_add(1, Ordering::Relaxed);
        n += 1;
        next += every;
    }
    Ok(lag)
}

/// One member: count acks and deliveries, and time each delivery from the
/// stamp at the front of its body. Frames are classified by their prefix
/// (the `type` tag comes first) to keep the generator's own cost down.
async fn read(
    mut stream: SplitStream<WsStream>,
    start: Instant,
    counts: Arc<Counts>,
    mut stop: watch::Receiver<bool>,
) -> Result<Histogram<u64>, BoxError> {
    let mut hist = Histogram::<u64>::new(3)?;
    loop {
        let frame = tokio::select! {
            _ = stop.changed() => return Ok(hist),
            frame = stream.next() => frame,
        };
        let Some(frame) = frame else {
            return Err("socket closed".into());
        };
        let Message::Text(text) = frame? else {
            continue;
        };
        let text = text.as_str();
        if text.starts_with(r#"{"type":"message","#) {
            let stamp: u64 = text
                .split_once(r#""body":""#)
                .and_then(|(_, rest)| rest.split_once(' '))
                .and_then(|(n, _)| n.parse().ok())
                .ok_or("a message without a stamp")?;
            let now = start.elapsed().as_nanos() as u64;
            hist.record(now.saturating_sub(stamp) / 1000)?;
            counts.delivered.fetch_add(1, Ordering::Relaxed);
        } else if text.starts_with(r#"{"type":"ack","#) {
            counts.acked.fetch_add(1, Ordering::Relaxed);
        } else if text.starts_with(r#"{"type":"error","#) {
            let first = counts.errors.fetch_add(1, Ordering::Relaxed) == 0;
            if first {
                eprintln!("server error: {text}");
            }
        }
    }
}
