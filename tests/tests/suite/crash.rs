//! Durability under crashes: concurrent senders keep sending while the real
//! server process is killed with SIGKILL at random moments and restarted.
//! Afterwards every acknowledged message is stored exactly once and the
//! room's seqs are gap-free. `APP_CRASH_KILLS` sets the number of kills
//! (20 in the suite; `cargo xtask crash` runs 200 for BENCHMARKS.md).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use shared::api::rooms::ListMessagesResponse;
use shared::ws::ServerMsg;

use crate::both;
use crate::harness::backend::TestDb;
use crate::harness::process::{ServerProcess, free_addr};
use crate::harness::{Api, Backend, TestUser, WsClient, json};

both!(acknowledged_messages_survive_sigkill);

const SENDERS: usize = 4;

/// A small deterministic generator (xorshift), seeded and printed per run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

async fn acknowledged_messages_survive_sigkill(backend: Backend) {
    let kills: usize = std::env::var("APP_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 | 1)
        .unwrap_or(0x9e37_79b9);
    let mut rng = Rng(seed);

    let db = TestDb::create(backend).await;
    let addr = free_addr();
    let mut server = ServerProcess::start(&db.url, addr).await;
    let api = Api::new(addr);
    let a = api.user("Crash Test Asha").await;
    let b = api.user("Crash Test Ben").await;
    let room = api.direct_room(&a, b.id).await.id;

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(HashSet::<String>::new()));
    let senders: Vec<_> = (0..SENDERS)
        .map(|n| {
            let user = if n % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(send_until_stopped(
                n,
                user,
                addr,
                room,
                stop.clone(),
                acked.clone(),
            ))
        })
        .collect();

    for _ in 0..kills {
        tokio::time::sleep(Duration::from_millis(30 + rng.below(220))).await;
        server.kill().await;
        server = ServerProcess::start(&db.url, addr).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    for sender in senders {
        sender.await.expect("sender task");
    }

    let stored = all_messages(&api, &a, room).await;
    let acked = acked.lock().expect("acked").clone();
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for (_, client_msg_id) in &stored {
        *copies.entry(client_msg_id.as_str()).or_default() += 1;
    }
    let duplicates = copies.values().filter(|&&c| c > 1).count();
    let found = acked
        .iter()
        .filter(|id| copies.contains_key(id.as_str()))
        .count();
    println!(
        "crash-test backend={backend:?} kills={kills} seed={seed} acked={} found={found} \
         duplicates={duplicates} stored={}",
        acked.len(),
        stored.len()
    );
    assert!(acked.len() > kills, "senders made progress between kills");
    assert_eq!(found, acked.len(), "every acknowledged message is stored");
    assert_eq!(duplicates, 0, "nothing is stored twice");
    let seqs: Vec<i64> = stored.iter().map(|(seq, _)| *seq).collect();
    let expected: Vec<i64> = (1..=stored.len() as i64).collect();
    assert_eq!(seqs, expected, "seqs are gap-free from 1");
    server.kill().await;
}

/// Send numbered messages one at a time; when the socket dies before the ack,
/// reconnect and resend the same `client_msg_id` (as the app does).
async fn send_until_stopped(
    n: usize,
    user: TestUser,
    addr: std::net::SocketAddr,
    room: i64,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<HashSet<String>>>,
) {
    let mut next = 0usize;
    let mut unacked: Option<String> = None;
    while !stop.load(Ordering::SeqCst) || unacked.is_some() {
        let Ok(mut ws) = WsClient::connect(addr, Some(&user.cookie), None).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        loop {
            if stop.load(Ordering::SeqCst) && unacked.is_none() {
                return;
            }
            let id = unacked.take().unwrap_or_else(|| {
                next += 1;
                format!("sender{n}-{next}")
            });
            let text = serde_json::json!({
                "type": "send", "room_id": room, "client_msg_id": id, "body": format!("crash test {id}")
            })
            .to_string();
            let sent = futures_util::SinkExt::send(
                &mut ws.stream,
                tokio_tungstenite::tungstenite::Message::text(text),
            )
            .await;
            if sent.is_err() {
                unacked = Some(id);
                break;
            }
            match wait_for_ack(&mut ws, &id).await {
                Some(()) => {
                    acked.lock().expect("acked").insert(id);
                }
                None => {
                    unacked = Some(id);
                    break;
                }
            }
        }
    }
}

async fn wait_for_ack(ws: &mut WsClient, id: &str) -> Option<()> {
    loop {
        match ws.try_next(Duration::from_secs(5)).await {
            Ok(Some(ServerMsg::Ack { client_msg_id, .. })) if client_msg_id == id => {
                return Some(());
            }
            Ok(Some(ServerMsg::Error { error, .. })) => panic!("send refused: {error:?}"),
            Ok(Some(_)) => continue,
            Ok(None) | Err(_) => return None,
        }
    }
}

/// Every message of the room, oldest first, as (seq, client_msg_id).
async fn all_messages(api: &Api, user: &TestUser, room: i64) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page: ListMessagesResponse = json(
            api.get(
                &format!("/api/rooms/{room}/messages?after_seq={after}&limit=200"),
                Some(user),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        out.extend(
            page.messages
                .iter()
                .map(|m| (m.seq, m.client_msg_id.clone())),
        );
        match page.messages.last() {
            Some(last) if page.has_more => after = last.seq,
            _ => return out,
        }
    }
}
