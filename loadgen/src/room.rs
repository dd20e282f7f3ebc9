//! W1 room fan-out: one room, many connected members, a few of them sending
//! at a fixed total rate (open loop, `openloop.rs`); every member times each
//! delivery.
//!
//! The API makes rooms of two (direct) and named rooms only as a side effect
//! of a mentorship or a co-op, so the generator opens a direct room through
//! the API and then, in the database, turns it into a named room and adds
//! the other members (the same rows `db::rooms::create_named` writes). The
//! server reads members at fan-out time, so nothing else needs telling. The
//! baseline has no database: it takes the members over HTTP instead.

use std::time::Duration;

use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, Database};

use crate::BoxError;
use crate::client::{self, Api, Person};
use crate::openloop::{self, Outcome, Plan};
use crate::server::{Db, Server};
use crate::summary::Summary;

pub struct Params {
    pub members: usize,
    pub senders: usize,
    /// Messages per second, all senders together.
    pub rate: f64,
    pub seconds: f64,
}

pub async fn run(db: Db, p: Params) -> Result<Summary, BoxError> {
    Server::around(db, async |server| drive(server, &p).await).await
}

async fn drive(server: &Server, p: &Params) -> Result<Summary, BoxError> {
    let members = p.members.max(2);
    let senders = p.senders.clamp(1, members);
    let (room, people) = setup(server, members).await?;
    let outcome = step(server, room, &people, senders, p.rate, p.seconds).await?;
    Ok(outcome.add_to(
        Summary::new("room")
            .add("db", server.db.to_string())
            .add("members", members)
            .add("senders", senders)
            .rate("rate", p.rate),
    ))
}

/// `members` people registered through the API and one room holding them all.
pub async fn setup(server: &Server, members: usize) -> Result<(i64, Vec<Person>), BoxError> {
    let api = Api::new(server.addr);
    let people = api.register_many("Room Member", members).await?;
    let room = api.direct_room(&people[0], people[1].id).await?;
    let others: Vec<i64> = people[2..].iter().map(|p| p.id).collect();
    if let Db::Baseline = server.db {
        api.post_json::<_, serde_json::Value>(
            &format!("/api/baseline/rooms/{room}/members"),
            &people[0],
            &others,
        )
        .await?;
        return Ok((room, people));
    }
    let conn = Database::connect(server.url.clone()).await?;
    conn.execute_unprepared(&format!(
        "UPDATE rooms SET kind = 'mentorship', direct_key = NULL, title = 'Load room' \
         WHERE id = {room}"
    ))
    .await?;
    for id in others {
        conn.execute_unprepared(&format!(
            "INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq, muted) \
             SELECT room_id, {id}, joined_at, 0, muted FROM room_members \
             WHERE room_id = {room} AND user_id = {}",
            people[0].id
        ))
        .await?;
    }
    conn.close().await?;
    Ok((room, people))
}

/// Everyone connects (past `ready`), the first `senders` send `rate`
/// messages a second in all for `seconds`, and the sockets close.
pub async fn step(
    server: &Server,
    room: i64,
    people: &[Person],
    senders: usize,
    rate: f64,
    seconds: f64,
) -> Result<Outcome, BoxError> {
    let mut sinks = Vec::new();
    let mut streams = Vec::new();
    for ws in client::connect_all(server.addr, people).await? {
        let (sink, stream) = ws.split();
        sinks.push((sink, room));
        streams.push(stream);
    }
    sinks.truncate(senders);
    // Let the presence frames of everyone arriving settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    openloop::run(Plan {
        senders: sinks,
        streams,
        fan_out: people.len() as u64,
        rate,
        seconds,
    })
    .await
}
