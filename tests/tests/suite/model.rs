//! A property test of the messaging engine against a model: random sends,
//! disconnects, reconnects with resume, and people leaving and rejoining
//! rooms, by four clients (two tabs of one person, and two others) in two
//! rooms. The model is each room's log in ack order. Every ack must extend
//! its room's log by exactly one seq; nothing of a room reaches someone who
//! left it; a send after leaving is refused; and at the end every client's
//! view of each of its rooms equals the log.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use proptest::prelude::*;
use reqwest::StatusCode;
use shared::ErrorKind;
use shared::ws::{ClientMsg, ServerMsg};

use crate::harness::{Backend, TestApp, TestUser, WsClient};

#[derive(Clone, Debug)]
enum Op {
    Send {
        client: usize,
        room: usize,
    },
    Disconnect {
        client: usize,
    },
    Reconnect {
        client: usize,
    },
    /// Ben (0) or Cara (1) leaves their room with Asha.
    Leave {
        person: usize,
    },
    /// Asha opens that conversation again, which brings them back.
    Rejoin {
        person: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, 0..2usize).prop_map(|(client, room)| Op::Send { client, room }),
        2 => (0..4usize).prop_map(|client| Op::Disconnect { client }),
        2 => (0..4usize).prop_map(|client| Op::Reconnect { client }),
        1 => (0..2usize).prop_map(|person| Op::Leave { person }),
        1 => (0..2usize).prop_map(|person| Op::Rejoin { person }),
    ]
}

struct Client {
    user: TestUser,
    /// The rooms this client's person can be in.
    rooms: Vec<i64>,
    ws: Option<WsClient>,
    /// What this client has seen: room → seq → client_msg_id.
    view: HashMap<i64, BTreeMap<i64, String>>,
    /// Rooms this connection was told it left (and not given back yet).
    left: HashSet<i64>,
}

impl Client {
    fn absorb(&mut self, msg: &ServerMsg) {
        match msg {
            ServerMsg::RoomRemoved { room_id } => {
                self.left.insert(*room_id);
            }
            ServerMsg::RoomAdded { room } => {
                self.left.remove(&room.id);
            }
            ServerMsg::Message(m) => {
                assert!(
                    !self.left.contains(&m.room_id),
                    "seq {} of room {} reached someone who had left it",
                    m.seq,
                    m.room_id
                );
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
            _ => {}
        }
    }

    /// Read whatever has already arrived, without waiting.
    async fn drain(&mut self) {
        let Some(mut ws) = self.ws.take() else {
            return;
        };
        while let Ok(Some(msg)) = ws.try_next(Duration::from_millis(1)).await {
            self.absorb(&msg);
        }
        self.ws = Some(ws);
    }

    /// Ask for what this client missed in `room` and read up to `resumed`.
    async fn resume(&mut self, ws: &mut WsClient, room: i64) {
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
        self.read_until(
            ws,
            |m| matches!(m, ServerMsg::Resumed { room_id, .. } if *room_id == room),
        )
        .await;
    }

    /// Absorb events from `ws` up to and including the first matching one.
    async fn read_until(&mut self, ws: &mut WsClient, stop: impl Fn(&ServerMsg) -> bool) {
        loop {
            let msg = ws.next().await;
            self.absorb(&msg);
            if stop(&msg) {
                return;
            }
        }
    }

    /// A fresh connection, resuming the rooms the person is in now.
    async fn connect(&mut self, app: &TestApp, member_of: &HashSet<i64>) {
        let mut ws = app.ws(&self.user).await;
        self.left.clear();
        for room in self.rooms.clone() {
            if member_of.contains(&room) {
                self.resume(&mut ws, room).await;
            } else {
                self.left.insert(room);
            }
        }
        self.ws = Some(ws);
    }
}

/// Asha opens her conversation with `user` again, which brings them back.
async fn reopen(app: &TestApp, asha: &TestUser, user: &TestUser) {
    let res = app
        .post(
            "/api/rooms/direct",
            Some(asha),
            &shared::api::rooms::OpenDirectRoom { user_id: user.id },
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

async fn run(backend: Backend, ops: Vec<Op>) {
    let app = TestApp::spawn(backend).await;
    let a = app.user("Asha Patel").await;
    let b = app.user("Ben Carter").await;
    let c = app.user("Cara Jones").await;
    let ab = app.direct_room(&a, b.id).await.id;
    let ac = app.direct_room(&a, c.id).await.id;
    // Which rooms each person is in right now, by user id.
    let mut member_of: HashMap<i64, HashSet<i64>> = HashMap::from([
        (a.id, HashSet::from([ab, ac])),
        (b.id, HashSet::from([ab])),
        (c.id, HashSet::from([ac])),
    ]);
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
            left: HashSet::new(),
        };
        client.connect(&app, &member_of[&user.id]).await;
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
                let is_member = member_of[&c.user.id].contains(&room);
                let mut outcome = None;
                while outcome.is_none() {
                    let msg = ws.next().await;
                    match &msg {
                        ServerMsg::Ack {
                            client_msg_id,
                            seq,
                            room_id,
                            ..
                        } if *client_msg_id == id => outcome = Some(Ok((*room_id, *seq))),
                        ServerMsg::Error {
                            error,
                            client_msg_id: Some(failed),
                            ..
                        } if *failed == id => outcome = Some(Err(error.kind)),
                        _ => {}
                    }
                    c.absorb(&msg);
                }
                c.ws = Some(ws);
                if is_member {
                    let entries = log.entry(room).or_default();
                    assert_eq!(
                        outcome,
                        Some(Ok((room, entries.len() as i64 + 1))),
                        "the ack extends the log by one"
                    );
                    entries.push(id);
                } else {
                    assert_eq!(
                        outcome,
                        Some(Err(ErrorKind::NotFound)),
                        "sending after leaving"
                    );
                }
            }
            Op::Disconnect { client } => {
                // Whatever was in flight to this client is lost with the socket.
                clients[client].ws = None;
            }
            Op::Reconnect { client } => {
                let c = &mut clients[client];
                if c.ws.is_none() {
                    let rooms = member_of[&c.user.id].clone();
                    c.connect(&app, &rooms).await;
                }
            }
            Op::Leave { person } => {
                let (user, room) = if person == 0 { (&b, ab) } else { (&c, ac) };
                if member_of
                    .get_mut(&user.id)
                    .is_some_and(|rooms| rooms.remove(&room))
                {
                    assert_eq!(app.leave(user, room).await.status(), StatusCode::NO_CONTENT);
                    // The leaver's connections hear it before anything else of the room.
                    for client in clients.iter_mut().filter(|cl| cl.user.id == user.id) {
                        if let Some(mut ws) = client.ws.take() {
                            client
                                .read_until(&mut ws, |m| {
                                    matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room)
                                })
                                .await;
                            client.ws = Some(ws);
                        }
                    }
                }
            }
            Op::Rejoin { person } => {
                let (user, room) = if person == 0 { (&b, ab) } else { (&c, ac) };
                if member_of
                    .get_mut(&user.id)
                    .is_some_and(|rooms| rooms.insert(room))
                {
                    reopen(&app, &a, user).await;
                    // Connected clients are given the room back, then catch up.
                    for client in clients.iter_mut().filter(|cl| cl.user.id == user.id) {
                        if let Some(mut ws) = client.ws.take() {
                            client
                                .read_until(&mut ws, |m| {
                                    matches!(m, ServerMsg::RoomAdded { room: r } if r.id == room)
                                })
                                .await;
                            client.resume(&mut ws, room).await;
                            client.ws = Some(ws);
                        }
                    }
                }
            }
        }
        for c in &mut clients {
            c.drain().await;
        }
    }

    // Everyone back in every room and connected; then each view must be the log.
    for (person, user) in [&b, &c].into_iter().enumerate() {
        let room = if person == 0 { ab } else { ac };
        if member_of
            .get_mut(&user.id)
            .is_some_and(|rooms| rooms.insert(room))
        {
            reopen(&app, &a, user).await;
        }
    }
    for c in &mut clients {
        // Reconnecting gives a clean start with every room.
        let rooms = member_of[&c.user.id].clone();
        c.connect(&app, &rooms).await;
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
                c.drain().await;
                tokio::time::sleep(Duration::from_millis(20)).await;
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
