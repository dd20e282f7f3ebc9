//! Capacity: W1 (one room, `--members` connected, 10 senders, open loop) at
//! rising total rates on one server, a few seconds each, until a step fails
//! (p99 over the limit, a message lost, an error or a closed socket), then
//! `refine` more steps halving the gap between the last pass and the first
//! failure (geometrically). The figure is the highest rate that passed, in
//! messages and deliveries a second.

use crate::BoxError;
use crate::openloop::Outcome;
use crate::room;
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub members: usize,
    pub senders: usize,
    /// The first step's rate (messages a second, all senders together).
    pub from: f64,
    /// Each step's rate over the one before.
    pub factor: f64,
    /// Stop here even if every step passed (bounds the run's time).
    pub max_rate: f64,
    pub seconds: f64,
    pub p99_limit_ms: f64,
    /// Steps between the last pass and the first failure, once one failed.
    pub refine: usize,
}

/// One step's verdict: `None` passed, else why not (one token, for the
/// summary line).
fn verdict(o: &Outcome, p99_ms: f64, limit_ms: f64) -> Option<String> {
    if o.lost() > 0 {
        Some(format!("lost_{}", o.lost()))
    } else if o.errors > 0 {
        Some(format!("errors_{}", o.errors))
    } else if o.sockets_closed > 0 {
        Some(format!("sockets_closed_{}", o.sockets_closed))
    } else if p99_ms > limit_ms {
        Some(format!("p99_{p99_ms:.1}_ms"))
    } else {
        None
    }
}

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let members = p.members.max(2);
    let senders = p.senders.clamp(1, members);
    let (room, people) = room::setup(server, members).await?;
    let mut rate = p.from.max(1.0);
    let mut passed: Option<(f64, f64, f64)> = None;
    let mut failed: Option<(f64, String)> = None;
    let mut steps = Vec::new();
    let mut refining = 0;
    while rate <= p.max_rate {
        let o = room::step(server, room, &people, senders, rate, p.seconds).await?;
        let p99 = (o.hist.value_at_quantile(0.99) as f64 / 10.0).round() / 100.0;
        eprintln!(
            "capacity: {rate:.0} msgs/s: {:.0} deliveries/s, p99 {p99:.1} ms, lost {}, errors {}",
            o.delivered_per_sec(),
            o.lost(),
            o.errors
        );
        steps.push(serde_json::json!({
            "rate": (rate * 10.0).round() / 10.0,
            "delivered_per_sec": o.delivered_per_sec().round(),
            "p99_ms": p99,
            "lost": o.lost(),
            "errors": o.errors,
        }));
        match verdict(&o, p99, p.p99_limit_ms) {
            Some(why) => failed = Some((rate, why)),
            None => passed = Some((rate, o.delivered_per_sec(), p99)),
        }
        rate = match (&passed, &failed) {
            (_, None) => rate * p.factor.max(1.01),
            (Some((good, ..)), Some((bad, _))) if refining < p.refine => {
                refining += 1;
                (good * bad).sqrt()
            }
            // Failed at once, or refined enough.
            _ => break,
        };
    }
    let (pass_rate, pass_deliveries, pass_p99) = passed.unwrap_or((0.0, 0.0, f64::NAN));
    let (fail_rate, why) = failed.unwrap_or((0.0, "max_rate_reached".into()));
    Ok(Summary::new("capacity")
        .add("db", server.db.to_string())
        .add("members", members)
        .add("senders", senders)
        .rate("secs_per_step", p.seconds)
        .rate("p99_limit_ms", p.p99_limit_ms)
        .rate("passing_rate", pass_rate)
        .rate("passing_delivered_per_sec", pass_deliveries)
        .add("passing_p99_ms", (pass_p99 * 100.0).round() / 100.0)
        .rate("failed_rate", fail_rate)
        .add("failed_because", why)
        .add("steps", steps))
}
