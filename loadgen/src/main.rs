//! Load generator: starts the real `server` binary on a fresh database,
//! drives it over loopback with real websocket clients, and prints one
//! machine-readable summary line per run (`key=value` pairs).
//!
//! ```text
//! loadgen durable --db sqlite|postgres [--senders N] [--messages M] [--rooms one|many]
//! loadgen idle --db sqlite [--sockets N]
//! loadgen matching --db sqlite|postgres [--orgs N] [--mentors M] [--requests R]
//! loadgen search --db sqlite|postgres [--messages N] [--requests R] [--keep]
//! ```
//! `cargo xtask bench` runs the set recorded in BENCHMARKS.md.

mod client;
mod matching;
mod search;
mod server;

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use client::{Api, Person};
use server::{Db, Server};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = match args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
    {
        Some("postgres") => Db::Postgres,
        _ => Db::Sqlite,
    };
    match args.first().map(String::as_str) {
        Some("durable") => {
            let senders = arg(&args, "--senders", 16usize);
            let messages = arg(&args, "--messages", 200usize);
            let one_room = arg(&args, "--rooms", String::from("one")) == "one";
            durable(db, senders, messages, one_room).await
        }
        Some("idle") => idle(db, arg(&args, "--sockets", 2000usize)).await,
        Some("matching") => {
            matching::run(
                db,
                arg(&args, "--orgs", 40usize),
                arg(&args, "--mentors", 12usize),
                arg(&args, "--requests", 200usize),
            )
            .await
        }
        Some("search") => {
            search::run(
                db,
                arg(&args, "--messages", 100_000usize),
                arg(&args, "--requests", 300usize),
                args.iter().any(|a| a == "--keep"),
            )
            .await
        }
        _ => {
            eprintln!(
                "usage: loadgen durable|idle|matching|search --db sqlite|postgres [options] (see the source)"
            );
            std::process::exit(2);
        }
    }
}

/// W4: closed-loop durable writes. Each sender sends one message, waits for
/// its ack (which comes only after the commit), and sends the next.
async fn durable(db: Db, senders: usize, messages: usize, one_room: bool) -> Result<(), BoxError> {
    let server = Server::start(db).await?;
    let api = Api::new(server.addr);
    let hub = api.register("Load Hub").await?;
    let mut people: Vec<Person> = Vec::new();
    for i in 0..senders {
        people.push(api.register(&format!("Load Sender {i}")).await?);
    }
    // Contention: every connection writes into one room (one seq counter).
    // Without: each sender writes into a room of its own.
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
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (room, writer)) in rooms.into_iter().zip(writers).enumerate() {
        let addr = server.addr;
        tasks.push(tokio::spawn(async move {
            let mut ws = client::Ws::connect(addr, &writer.cookie).await?;
            let mut hist = Histogram::<u64>::new(3)?;
            for n in 0..messages {
                let t = Instant::now();
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
    let total = senders * messages;
    println!(
        "bench=durable db={db} rooms={} senders={senders} messages={total} secs={secs:.2} \
         msgs_per_sec={:.0} ack_p50_ms={:.2} ack_p99_ms={:.2} ack_max_ms={:.2}",
        if one_room { "one" } else { "many" },
        total as f64 / secs,
        all.value_at_quantile(0.50) as f64 / 1000.0,
        all.value_at_quantile(0.99) as f64 / 1000.0,
        all.max() as f64 / 1000.0,
    );
    server.stop().await;
    Ok(())
}

/// W3 (small): open idle authenticated sockets and report the server's RSS
/// growth per socket.
async fn idle(db: Db, sockets: usize) -> Result<(), BoxError> {
    let server = Server::start(db).await?;
    let api = Api::new(server.addr);
    let person = api.register("Idle Person").await?;
    // Warm up: one socket, so per-process one-off allocations are excluded.
    let warm = client::Ws::connect(server.addr, &person.cookie).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = server.rss_kib()?;
    let mut open = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        open.push(client::Ws::connect(server.addr, &person.cookie).await?);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = server.rss_kib()?;
    println!(
        "bench=idle db={db} sockets={sockets} rss_before_kib={before} rss_after_kib={after} \
         kib_per_socket={:.1}",
        (after.saturating_sub(before)) as f64 / sockets as f64
    );
    drop(open);
    drop(warm);
    server.stop().await;
    Ok(())
}
