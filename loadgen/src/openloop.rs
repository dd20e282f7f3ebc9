//! Open-loop sending timed to each delivery, shared by W1 (`room`), W2
//! (`pairs`) and `capacity`: senders keep a fixed schedule whatever the
//! server does (no waiting for acks), and every connected member's reader
//! times each delivery from the send instant stamped in its body.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use shared::ws::ClientMsg;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::BoxError;
use crate::client::WsStream;
use crate::summary::Summary;

/// Body length, with the send instant (ns since the run's start) in front.
const BODY_BYTES: usize = 200;

/// One run: who sends into which room, who listens, how fast, how long.
pub struct Plan {
    /// One per sender: its socket's sending half and the room it writes to.
    pub senders: Vec<(SplitSink<WsStream, Message>, i64)>,
    /// Every connected member's receiving half (the senders' own too: the
    /// server delivers a sender its own message, besides the ack).
    pub streams: Vec<SplitStream<WsStream>>,
    /// Connections each message reaches: the room's size.
    pub fan_out: u64,
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

/// A run's figures, before they go into a summary.
pub struct Outcome {
    pub sent: u64,
    pub acked: u64,
    pub errors: u64,
    pub expected: u64,
    pub delivered: u64,
    /// From the first send to the last delivery (or the drain's give-up).
    pub total_secs: f64,
    pub send_secs: f64,
    pub hist: Histogram<u64>,
    pub lag_max: Duration,
    pub sockets_closed: u64,
}

impl Outcome {
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.delivered)
    }

    pub fn delivered_per_sec(&self) -> f64 {
        self.delivered as f64 / self.total_secs
    }

    /// The figures every open-loop mode reports, in the same keys.
    pub fn add_to(&self, s: Summary) -> Summary {
        s.rate("secs", self.send_secs)
            .add("sent", self.sent)
            .add("acked", self.acked)
            .add("errors", self.errors)
            .add("expected", self.expected)
            .add("delivered", self.delivered)
            .rate("delivered_per_sec", self.delivered_per_sec())
            .ms("p50_ms", self.hist.value_at_quantile(0.50))
            .ms("p99_ms", self.hist.value_at_quantile(0.99))
            .ms("max_ms", self.hist.max())
            .ms("send_lag_max_ms", self.lag_max.as_micros() as u64)
            .add("sockets_closed", self.sockets_closed)
            .add("lost", self.lost())
    }
}

pub async fn run(plan: Plan) -> Result<Outcome, BoxError> {
    // Client message ids must differ between runs on one server (capacity's
    // steps): the server stores a repeated id once and fans nothing out.
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let start = Instant::now();
    let counts = Arc::new(Counts::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let readers: Vec<_> = plan
        .streams
        .into_iter()
        .map(|s| tokio::spawn(read(s, start, counts.clone(), stop_rx.clone())))
        .collect();

    let senders = plan.senders.len().max(1);
    let sent = Arc::new(AtomicU64::new(0));
    let every = Duration::from_secs_f64(senders as f64 / plan.rate);
    let end = start + Duration::from_secs_f64(plan.seconds);
    let mut writers = Vec::new();
    for (i, (sink, room)) in plan.senders.into_iter().enumerate() {
        // Stagger the senders so the total is evenly paced.
        let schedule = Schedule {
            first: start + Duration::from_secs_f64(i as f64 / plan.rate),
            every,
            end,
            start,
        };
        let who = format!("ol{run}-{i}");
        writers.push(tokio::spawn(send(sink, room, who, schedule, sent.clone())));
    }
    let mut lag_max = Duration::ZERO;
    for w in writers {
        lag_max = lag_max.max(w.await??);
    }
    let send_secs = start.elapsed().as_secs_f64();
    let sent = sent.load(Ordering::Relaxed);
    let expected = sent * plan.fan_out;

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
    let mut sockets_closed = 0u64;
    for r in readers {
        match r.await? {
            Ok(h) => hist.add(h)?,
            Err(_) => sockets_closed += 1,
        }
    }
    Ok(Outcome {
        sent,
        acked: counts.acked.load(Ordering::Relaxed),
        errors: counts.errors.load(Ordering::Relaxed),
        expected,
        delivered: counts.delivered.load(Ordering::Relaxed),
        total_secs,
        send_secs,
        hist,
        lag_max,
        sockets_closed,
    })
}

/// One sender's timetable: a message every `every` from `first` until `end`.
struct Schedule {
    first: Instant,
    every: Duration,
    end: Instant,
    /// The run's start, which the stamps count from.
    start: Instant,
}

/// One sender, without waiting for acks (its reader counts them). Returns
/// how far behind its schedule it fell at worst.
async fn send(
    mut sink: SplitSink<WsStream, Message>,
    room_id: i64,
    who: String,
    at: Schedule,
    sent: Arc<AtomicU64>,
) -> Result<Duration, BoxError> {
    let mut next = at.first;
    let mut n = 0u64;
    let mut lag = Duration::ZERO;
    while next < at.end {
        tokio::time::sleep_until(next.into()).await;
        let now = Instant::now();
        lag = lag.max(now - next);
        let mut body = format!("{} ", (now - at.start).as_nanos());
        body.extend(std::iter::repeat_n('x', BODY_BYTES - body.len()));
        let msg = ClientMsg::Send {
            room_id,
            client_msg_id: format!("{who}-{n}"),
            body,
        };
        sink.send(Message::text(serde_json::to_string(&msg)?))
            .await?;
        sent.fetch_add(1, Ordering::Relaxed);
        n += 1;
        next += at.every;
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
