//! Load generator: starts the real `server` binary on a fresh database (or
//! the bare baseline server, `--db baseline`), drives it over loopback with
//! real websocket clients, and prints one machine-readable summary line per
//! run (`key=value` pairs).
//!
//! ```text
//! loadgen durable --db sqlite|postgres|baseline [--senders 16] [--messages 200] [--seconds S]
//!                 [--rooms one|many]
//! loadgen room --db sqlite|postgres|baseline [--members 100] [--senders 10] [--rate 100] [--seconds 10]
//! loadgen pairs --db sqlite|postgres|baseline [--pairs 1000] [--rate 1] [--seconds 10]
//! loadgen idle --db sqlite|postgres|baseline [--sockets 2000] [--step N] [--per-user 500] [--per-address 10000]
//! loadgen capacity --db sqlite|postgres|baseline [--members 100] [--senders 10] [--from 100]
//!                  [--factor 1.5] [--max-rate 20000] [--seconds 4] [--p99-ms 100] [--refine 2]
//! loadgen history --db sqlite|postgres [--messages 1000] [--clients 8] [--seconds 10]
//! loadgen coldstart --db sqlite|postgres [--runs 10]
//! loadgen smoke            (every mode at tiny sizes, on SQLite and the baseline)
//! loadgen matching --db sqlite|postgres [--orgs N] [--mentors M] [--requests R]
//! loadgen search --db sqlite|postgres [--messages N] [--requests R] [--keep]
//! loadgen baseline-server  (the baseline itself; the generator starts it)
//! ```
//! `cargo xtask bench` runs the set recorded in BENCHMARKS.md. Every mode
//! but `matching` and `search` also writes its summary as JSON with
//! `--json FILE`.

mod baseline;
mod capacity;
mod client;
mod durable;
mod history;
mod idle;
mod matching;
mod openloop;
mod pairs;
mod room;
mod search;
mod server;
mod summary;

use std::time::Duration;

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
    let db = Db::from_args(&args);
    let mode = args.first().map(String::as_str);
    // History (W5) the baseline serves from memory; these need the real thing.
    let needs_db = matches!(mode, Some("coldstart" | "matching" | "search"));
    if needs_db && matches!(db, Db::Baseline) {
        return Err("this mode reads or times a database; the baseline has none".into());
    }
    match mode {
        Some("durable") => {
            // With `--seconds`, as many messages as fit, unless also `--messages`.
            let seconds = args
                .iter()
                .any(|a| a == "--seconds")
                .then(|| arg(&args, "--seconds", 10.0));
            let most = if seconds.is_some() { usize::MAX } else { 200 };
            durable::run(
                db,
                durable::Params {
                    senders: arg(&args, "--senders", 16),
                    messages: arg(&args, "--messages", most),
                    seconds,
                    one_room: arg(&args, "--rooms", String::from("one")) == "one",
                },
            )
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
        Some("pairs") => pairs::run(
            db,
            pairs::Params {
                pairs: arg(&args, "--pairs", 1000),
                rate: arg(&args, "--rate", 1.0),
                seconds: arg(&args, "--seconds", 10.0),
            },
        )
        .await?
        .report(&args),
        Some("idle") => {
            let sockets = arg(&args, "--sockets", 2000);
            idle::run(
                db,
                idle::Params {
                    sockets,
                    step: arg(&args, "--step", sockets),
                    per_user: arg(&args, "--per-user", 500),
                    per_address: arg(&args, "--per-address", 10_000),
                },
            )
            .await?
            .report(&args)
        }
        Some("capacity") => capacity::run(
            db,
            capacity::Params {
                members: arg(&args, "--members", 100),
                senders: arg(&args, "--senders", 10),
                from: arg(&args, "--from", 100.0),
                factor: arg(&args, "--factor", 1.5),
                max_rate: arg(&args, "--max-rate", 20_000.0),
                seconds: arg(&args, "--seconds", 4.0),
                p99_limit_ms: arg(&args, "--p99-ms", 100.0),
                refine: arg(&args, "--refine", 2),
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
        Some("baseline-server") => baseline::serve().await,
        _ => {
            eprintln!(
                "usage: loadgen durable|room|pairs|idle|capacity|history|coldstart|smoke|matching|search \
                 --db sqlite|postgres|baseline [options] (see the source)"
            );
            std::process::exit(2);
        }
    }
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

/// Every mode for a second or two at tiny sizes, on SQLite, and the
/// open-loop and closed-loop ones on the baseline too. Fails on anything
/// broken (errors, lost messages, nothing done), never on timing.
async fn smoke() -> Result<(), BoxError> {
    let mut broken: Vec<String> = Vec::new();
    for db in [Db::Sqlite, Db::Baseline] {
        let durable = durable::run(
            db,
            durable::Params {
                senders: 2,
                messages: 20,
                seconds: None,
                one_room: true,
            },
        )
        .await?;
        println!("{}", durable.line());
        let rate = durable.num("msgs_per_sec");
        if durable.num("messages") != 40.0 || rate.is_nan() || rate <= 0.0 {
            broken.push(format!("durable on {db}: no throughput"));
        }
        let room = room::run(
            db,
            room::Params {
                members: 10,
                senders: 2,
                rate: 20.0,
                seconds: 2.0,
            },
        )
        .await?;
        println!("{}", room.line());
        open_loop_ok(&room, &mut broken);
    }
    let pairs = pairs::run(
        Db::Sqlite,
        pairs::Params {
            pairs: 5,
            rate: 2.0,
            seconds: 2.0,
        },
    )
    .await?;
    println!("{}", pairs.line());
    open_loop_ok(&pairs, &mut broken);
    let capacity = capacity::run(
        Db::Baseline,
        capacity::Params {
            members: 5,
            senders: 2,
            from: 20.0,
            factor: 2.0,
            max_rate: 40.0,
            seconds: 1.0,
            // Generous: a debug build on a busy machine; only breakage fails.
            p99_limit_ms: 10_000.0,
            refine: 0,
        },
    )
    .await?;
    println!("{}", capacity.line());
    if capacity.num("passing_rate") != 40.0 {
        broken.push("capacity: a step failed".into());
    }
    let idle = idle::run(
        Db::Sqlite,
        idle::Params {
            sockets: 20,
            step: 10,
            per_user: 4,
            per_address: 8,
        },
    )
    .await?;
    println!("{}", idle.line());
    if idle.num("reached") != 20.0 {
        broken.push("idle: not every socket opened".into());
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
        broken.push("history: errors or no requests".into());
    }
    if broken.is_empty() {
        println!("smoke ok");
        Ok(())
    } else {
        Err(broken.join("; ").into())
    }
}

/// An open-loop run sent something, and everything arrived and was acked.
fn open_loop_ok(s: &Summary, broken: &mut Vec<String>) {
    let what = format!("{} on {}", s.text("bench"), s.text("db"));
    if s.num("sent") == 0.0 || s.num("delivered") == 0.0 {
        broken.push(format!("{what}: nothing sent or delivered"));
    }
    if s.num("lost") != 0.0 || s.num("errors") != 0.0 || s.num("acked") != s.num("sent") {
        broken.push(format!("{what}: lost messages, errors or missing acks"));
    }
}
