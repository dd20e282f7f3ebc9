//! Load generator: starts the real `server` binary on a fresh database,
//! drives it over loopback with real websocket clients, and prints one
//! machine-readable summary line per run (`key=value` pairs).
//!
//! ```text
//! loadgen durable --db sqlite|postgres [--senders N] [--messages M] [--rooms one|many]
//! loadgen room --db sqlite|postgres [--members 100] [--senders 10] [--rate 100] [--seconds 10]
//! loadgen history --db sqlite|postgres [--messages 1000] [--clients 8] [--seconds 10]
//! loadgen coldstart --db sqlite|postgres [--runs 10]
//! loadgen smoke            (durable, room and history at tiny sizes on SQLite)
//! loadgen idle --db sqlite [--sockets N]
//! loadgen matching --db sqlite|postgres [--orgs N] [--mentors M] [--requests R]
//! loadgen search --db sqlite|postgres [--messages N] [--requests R] [--keep]
//! ```
//! `cargo xtask bench` runs the set recorded in BENCHMARKS.md. `durable`,
//! `room`, `history` and `coldstart` also write their summary as JSON with
//! `--json FILE`.

mod client;
mod history;
mod matching;
mod room;
mod search;
mod server;
mod summary;

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use client::{Api, Person};
use server::{Db, Server};
use summary::Summary;

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
            durable(db, senders, messages, one_room)
                .await?
                .report(&args)
        }
        Some("room") => room::run(
            db,
            room::Params {
                members: arg(&args, "--members", 100),
                senders: arg(&args, "--senders", 10),
                rate: arg(&args, "--rate", 100.0),
                seconds: arg(&args, "--seconds", 10.0),
            },
        )
        .await?
        .report(&args),
        Some("history") => history::run(
            db,
            history::Params {
                messages: arg(&args, "--messages", 1000),
                clients: arg(&args, "--clients", 8),
                seconds: arg(&args, "--seconds", 10.0),
                max_requests: None,
            },
        )
        .await?
        .report(&args),
        Some("coldstart") => coldstart(db, arg(&args, "--runs", 10)).await?.report(&args),
        Some("smoke") => smoke().await,
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
                "usage: loadgen durable|room|history|coldstart|smoke|idle|matching|search --db sqlite|postgres [options] (see the source)"
            );
            std::process::exit(2);
        }
    }
}

/// W4: closed-loop durable writes. Each sender sends one message, waits for
/// its ack (which comes only after the commit), and sends the next.
async fn durable(
    db: Db,
    senders: usize,
    messages: usize,
    one_room: bool,
) -> Result<Summary, BoxError> {
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
    server.stop().await;
    Ok(Summary::new("durable")
        .add("db", db.to_string())
        .add("rooms", if one_room { "one" } else { "many" })
        .add("senders", senders)
        .add("messages", total)
        .rate("secs", secs)
        .rate("msgs_per_sec", total as f64 / secs)
        .ms("ack_p50_ms", all.value_at_quantile(0.50))
        .ms("ack_p99_ms", all.value_at_quantile(0.99))
        .ms("ack_max_ms", all.max()))
}

/// Cold start: spawn to the first `/api/health` answer, first on a fresh
/// database (migrations included), then `runs` restarts on that database;
/// and the idle RSS 4 s after the first start.
async fn coldstart(db: Db, runs: usize) -> Result<Summary, BoxError> {
    let mut server = Server::start(db).await?;
    let fresh = server.ready_after;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let rss = server.rss_kib()?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        server.restart().await?;
        times.push(server.ready_after);
    }
    server.stop().await;
    times.sort();
    let micros = |d: Duration| d.as_micros() as u64;
    Ok(Summary::new("coldstart")
        .add("db", db.to_string())
        .ms("fresh_db_ms", micros(fresh))
        .add("restarts", times.len())
        .ms("restart_median_ms", micros(times[times.len() / 2]))
        .ms("restart_min_ms", micros(times[0]))
        .ms("restart_max_ms", micros(times[times.len() - 1]))
        .add("idle_rss_kib", rss))
}

/// Durable, room and history for a second or two each at tiny sizes on
/// SQLite. Fails on anything broken (errors, lost messages, nothing done),
/// never on timing.
async fn smoke() -> Result<(), BoxError> {
    let mut broken = Vec::new();
    let durable = durable(Db::Sqlite, 2, 20, true).await?;
    println!("{}", durable.line());
    let rate = durable.num("msgs_per_sec");
    if durable.num("messages") != 40.0 || rate.is_nan() || rate <= 0.0 {
        broken.push("durable: no throughput");
    }
    let room = room::run(
        Db::Sqlite,
        room::Params {
            members: 10,
            senders: 2,
            rate: 20.0,
            seconds: 2.0,
        },
    )
    .await?;
    println!("{}", room.line());
    if room.num("sent") == 0.0 || room.num("delivered") == 0.0 {
        broken.push("room: nothing sent or delivered");
    }
    if room.num("lost") != 0.0 || room.num("errors") != 0.0 || room.num("acked") != room.num("sent")
    {
        broken.push("room: lost messages, errors or missing acks");
    }
    let history = history::run(
        Db::Sqlite,
        history::Params {
            messages: 100,
            clients: 2,
            seconds: 2.0,
            max_requests: Some(100),
        },
    )
    .await?;
    println!("{}", history.line());
    if history.num("requests") == 0.0 || history.num("errors") != 0.0 {
        broken.push("history: errors or no requests");
    }
    if broken.is_empty() {
        println!("smoke ok");
        Ok(())
    } else {
        Err(broken.join("; ").into())
    }
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
