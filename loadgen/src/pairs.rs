//! W2 pairs: many direct rooms of two, each with one message a second (open
//! loop, `openloop.rs`): the many-small-rooms shape of mentoring, against
//! W1's one big room. Every pair's two people are registered through the
//! API and each has one connection; the first of each pair sends, and both
//! (the sender gets its own message besides the ack) time each delivery.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};

use crate::BoxError;
use crate::client::{self, Api};
use crate::openloop::{self, Plan};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub pairs: usize,
    /// Messages per second in each room.
    pub rate: f64,
    pub seconds: f64,
}

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let pairs = p.pairs.max(1);
    let set_up = Instant::now();
    let api = Api::new(server.addr);
    let people = api.register_many("Pair Person", pairs * 2).await?;
    let registered_secs = set_up.elapsed().as_secs_f64();
    let rooms: Vec<i64> = futures_util::stream::iter(people.chunks(2))
        .map(|pair| api.direct_room(&pair[0], pair[1].id))
        .buffered(8)
        .try_collect()
        .await?;
    let mut senders = Vec::with_capacity(pairs);
    let mut streams = Vec::with_capacity(pairs * 2);
    let sockets = client::connect_all(server.addr, &people).await?;
    for (i, ws) in sockets.into_iter().enumerate() {
        let (sink, stream) = ws.split();
        if i % 2 == 0 {
            senders.push((sink, rooms[i / 2]));
        }
        streams.push(stream);
    }
    let setup_secs = set_up.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outcome = openloop::run(Plan {
        senders,
        streams,
        fan_out: 2,
        rate: p.rate * pairs as f64,
        seconds: p.seconds,
    })
    .await?;
    Ok(outcome.add_to(
        Summary::new("pairs")
            .add("db", server.db.to_string())
            .add("pairs", pairs)
            .rate("rate_per_room", p.rate)
            .rate("rate", p.rate * pairs as f64)
            .rate("register_secs", registered_secs)
            .rate("setup_secs", setup_secs),
    ))
}
