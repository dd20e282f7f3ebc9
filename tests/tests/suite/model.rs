//! A property test of the messaging engine against a model: random sends,
//! disconnects and reconnect-with-resume by four clients (two tabs of one
//! person, and two others) in two rooms. The model is each room's log in
//! ack order. Every ack must extend its room's log by exactly one seq, and
//! at the end every client's view of each of its rooms equals the log.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use proptest::prelude::*;
use shared::ws::{ClientMsg, ServerMsg};

use crate::harness::{Backend, TestApp, TestUser, WsClient};

#[derive(Clone, Debug)]
enum Op {
    Send { client: usize, room: usize },
    Disconnect { client: usize },
    Reconnect { client: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, 0..2usize).prop_map(|(client, room)| Op::Send { client, room }),
        2 => (0..4usize).prop_map(|client| Op::Disconnect { client }),
        2 => (0..4usize).prop_map(|client| Op::Reconnect { client }),
    ]
}

struct Client {
    user: TestUser,
    /// The rooms this client's person belongs to.
    rooms: Vec<i64>,
    ws: Option<WsClient>,
    /// What this client has seen: room → seq → client_msg_id.
    view: HashMap<i64, BTreeMap<i64, String>>,
}

impl Client {
    fn absorb(&mut self, msg: &ServerMsg) {
        if let ServerMsg::Message(m) = msg {
            let previous = self
                .view
                .entry(m.room_id)
                .or_default()
                .insert(m.seq, m.client_msg_id.clone());
            assert!(
                previous.is_none_or(|p| p == m.client_msg_id),
                "seq {} of room {} changed its message",
                m.seq,
                m.room_id
            );
        }
    }

    /// Read whatever has already arrived, without waiting.
    async fn drain(&mut self) {
        while let Some(ws) = self.ws.as_mut()
            && let Ok(Some(msg)) = ws.try_next(Duration::from_millis(1)).await
        {
            self.absorb(&msg);
        }
    }

    async fn connect_and_resume(&mut self, app: &TestApp) {
        let mut ws = app.ws(&self.user).await;
        for room in self.rooms.clone() {
            let after_seq = self
                .view
                .get(&room)
                .and_then(|v| v.keys().next_back().copied())
                .unwrap_or(0);
            ws.send(&ClientMsg::Resume {
                room_id: room,
                after_seq,
                changes_since: None,
            })
            .await;
            loop {
                let msg = ws.next().await;
                self.absorb(&msg);
                if matches!(msg, ServerMsg::Resumed { room_id, .. } if room_id == room) {
                    break;
                }
            }
        }
        self.ws = Some(ws);
    }
}

async fn run(backend: Backend, ops: Vec<Op>) {
    let app = TestApp::spawn(backend).await;
    let a = app.user("Asha Patel").await;
    let b = app.user("Ben Carter").await;
    let c = app.user("Cara Jones").await;
    let ab = app.direct_room(&a, b.id).await.id;
    let ac = app.direct_room(&a, c.id).await.id;
    let mut clients = Vec::new();
    for (user, rooms) in [
        (&a, vec![ab, ac]),
        (&a, vec![ab, ac]),
        (&b, vec![ab]),
        (&c, vec![ac]),
    ] {
        let mut client = Client {
            user: user.clone(),
            rooms,
            ws: None,
            view: HashMap::new(),
        };
        client.connect_and_resume(&app).await;
        clients.push(client);
    }
    let mut log: HashMap<i64, Vec<String>> = HashMap::new();

    for (n, op) in ops.into_iter().enumerate() {
        match op {
            Op::Send { client, room } => {
                let c = &mut clients[client];
                let room = c.rooms[room % c.rooms.len()];
                let Some(mut ws) = c.ws.take() else { continue };
                let id = format!("op{n}");
                ws.send_text(room, &id, &format!("message {n}")).await;
                let mut acked = None;
                while acked.is_none() {
                    let msg = ws.next().await;
                    if let ServerMsg::Ack {
                        client_msg_id,
                        seq,
                        room_id,
                        ..
                    } = &msg
                        && *client_msg_id == id
                    {
                        acked = Some((*room_id, *seq));
                    }
                    c.absorb(&msg);
                }
                c.ws = Some(ws);
                let entries = log.entry(room).or_default();
                assert_eq!(
                    acked,
                    Some((room, entries.len() as i64 + 1)),
                    "the ack extends the log by one"
                );
                entries.push(id);
            }
            Op::Disconnect { client } => {
                // Whatever was in flight to this client is lost with the socket.
                clients[client].ws = None;
            }
            Op::Reconnect { client } => {
                let c = &mut clients[client];
                if c.ws.is_none() {
                    c.connect_and_resume(&app).await;
                }
            }
        }
        for c in &mut clients {
            c.drain().await;
        }
    }

    // Bring everyone back, then wait until each view is complete.
    for c in &mut clients {
        if c.ws.is_none() {
            c.connect_and_resume(&app).await;
        }
    }
    for c in &mut clients {
        for room in c.rooms.clone() {
            let expected: BTreeMap<i64, String> = log
                .get(&room)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, id)| (i as i64 + 1, id.clone()))
                .collect();
            let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
            while c.view.get(&room).map_or(0, BTreeMap::len) < expected.len() {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "a view never caught up"
                );
                if let Some(ws) = c.ws.as_mut()
                    && let Ok(Some(msg)) = ws.try_next(Duration::from_millis(50)).await
                {
                    c.absorb(&msg);
                }
            }
            assert_eq!(c.view.get(&room).cloned().unwrap_or_default(), expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_client_converges_to_the_server_log_sqlite(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(run(Backend::Sqlite, ops));
    }

    #[test]
    fn every_client_converges_to_the_server_log_postgres(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(run(Backend::Postgres, ops));
    }
}
