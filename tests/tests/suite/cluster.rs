//! Two nodes, one PostgreSQL: two real server processes share a database,
//! and people connected to different nodes are in the same conversation:
//! messages in the same order, typing, presence, leaving a room and signing
//! out all cross from one node to the other; a node killed and started
//! again mid-conversation loses nothing that was acknowledged; a node that
//! loses its listening connection has its clients resume.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::SinkExt;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
use shared::api::rooms::ListMessagesResponse;
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};
use tokio_tungstenite::tungstenite::Message;

use crate::harness::backend::{TestDb, postgres_base};
use crate::harness::process::{ServerProcess, free_addr};
use crate::harness::{Api, Backend, TestUser, WsClient, json};

struct TwoNodes {
    db: TestDb,
    a: ServerProcess,
    b: ServerProcess,
    api_a: Api,
    api_b: Api,
}

impl TwoNodes {
    async fn start() -> Self {
        let db = TestDb::create(Backend::Postgres).await;
        let (addr_a, addr_b) = (free_addr(), free_addr());
        let a = ServerProcess::start(&db.url, addr_a).await;
        let b = ServerProcess::start(&db.url, addr_b).await;
        Self {
            db,
            a,
            b,
            api_a: Api::new(addr_a),
            api_b: Api::new(addr_b),
        }
    }
}

async fn connect(api: &Api, user: &TestUser) -> WsClient {
    WsClient::connect(api.addr, Some(&user.cookie), None)
        .await
        .expect("websocket connects")
}

/// Send and wait for the ack, skipping other events; the ack's seq.
async fn send(ws: &mut WsClient, room: i64, id: &str, body: &str) -> i64 {
    ws.send_text(room, id, body).await;
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { client_msg_id, .. } if client_msg_id == id))
        .await
    {
        ServerMsg::Ack { seq, .. } => seq,
        _ => unreachable!(),
    }
}

/// The next `message` event's (seq, client id, body).
async fn next_message(ws: &mut WsClient) -> (i64, String, String) {
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Message(_)))
        .await
    {
        ServerMsg::Message(v) => (v.seq, v.client_msg_id, v.body),
        _ => unreachable!(),
    }
}

async fn presence_of(ws: &mut WsClient, who: i64) -> PresenceStatus {
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Presence { user_id, .. } if *user_id == who))
        .await
    {
        ServerMsg::Presence { status, .. } => status,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn people_on_two_nodes_share_one_conversation() {
    let nodes = TwoNodes::start().await;
    let (api_a, api_b) = (&nodes.api_a, &nodes.api_b);
    // Accounts made on one node sign in on the other: one database.
    let asha = api_a.user("Cluster Asha").await;
    let ben = api_b.user("Cluster Ben").await;
    let room = api_a.direct_room(&asha, ben.id).await.id;

    let mut ben_b = connect(api_b, &ben).await.hearing_ephemeral();
    let mut asha_a = connect(api_a, &asha).await.hearing_ephemeral();
    // (Opening the room told Ben she was offline then; that may land first.)
    ben_b
        .next_matching(|m| {
            matches!(m, ServerMsg::Presence { user_id, status: PresenceStatus::Online }
                if *user_id == asha.id)
        })
        .await;

    // Messages both ways, in one order, the same on both nodes.
    for i in 0..15 {
        asha_a
            .send_text(room, &format!("a{i}"), &format!("from A {i}"))
            .await;
    }
    ben_b.send_text(room, "b0", "from B").await;
    let mut seen_by_ben = Vec::new();
    let mut acked_b = None;
    while seen_by_ben.len() < 16 || acked_b.is_none() {
        match ben_b.next().await {
            ServerMsg::Message(v) => seen_by_ben.push((v.seq, v.client_msg_id, v.body)),
            ServerMsg::Ack { seq, .. } => acked_b = Some(seq),
            _ => {}
        }
    }
    let acked_b = acked_b.unwrap_or_default();
    let mut seen_by_asha = Vec::new();
    while seen_by_asha.len() < 16 {
        seen_by_asha.push(next_message(&mut asha_a).await);
    }
    // Each node delivers another node's messages in commit order; Ben's own
    // may overtake them on his node, and the app places every message by
    // its seq, so the conversation reads the same on both.
    let from_a: Vec<i64> = seen_by_ben
        .iter()
        .filter(|m| m.1.starts_with('a'))
        .map(|m| m.0)
        .collect();
    assert!(
        from_a.is_sorted(),
        "node A's messages arrive in order: {from_a:?}"
    );
    seen_by_ben.sort();
    seen_by_asha.sort();
    let seqs: Vec<i64> = seen_by_ben.iter().map(|m| m.0).collect();
    assert_eq!(seqs, (1..=16).collect::<Vec<_>>(), "gap-free, each once");
    assert_eq!(
        seen_by_ben, seen_by_asha,
        "the same conversation on both nodes"
    );
    assert!(seen_by_ben.iter().any(|m| m.0 == acked_b && m.1 == "b0"));
    let a_bodies: Vec<&str> = seen_by_ben
        .iter()
        .filter(|m| m.1.starts_with('a'))
        .map(|m| m.2.as_str())
        .collect();
    let expected: Vec<String> = (0..15).map(|i| format!("from A {i}")).collect();
    assert_eq!(
        a_bodies, expected,
        "Asha's messages in the order she sent them"
    );

    // Typing on A shows on B.
    asha_a
        .send(&ClientMsg::Typing {
            room_id: room,
            active: true,
        })
        .await;
    let typing = ben_b
        .next_matching(|m| matches!(m, ServerMsg::Typing { .. }))
        .await;
    assert!(
        matches!(typing, ServerMsg::Typing { room_id, user_id, active: true, .. }
            if room_id == room && user_id == asha.id),
        "{typing:?}"
    );

    // Presence: away on A is away on B; a second device on B keeps Ben
    // online for Asha when his first goes to the background.
    asha_a
        .send(&ClientMsg::SetPresence {
            status: PresenceStatus::Away,
        })
        .await;
    assert_eq!(presence_of(&mut ben_b, asha.id).await, PresenceStatus::Away);
    let ben_a = connect(api_a, &ben).await;
    ben_b
        .send(&ClientMsg::SetPresence {
            status: PresenceStatus::Away,
        })
        .await;
    asha_a
        .expect_none(
            |m| {
                matches!(m, ServerMsg::Presence { user_id, status }
                    if *user_id == ben.id && *status != PresenceStatus::Online)
            },
            Duration::from_millis(700),
        )
        .await;
    drop(ben_a);
    assert_eq!(
        presence_of(&mut asha_a, ben.id).await,
        PresenceStatus::Away,
        "his device on A gone, only the background one on B is left"
    );
    // Someone connecting to B is told that Asha (on A) is around.
    let mut ben_b2 = connect(api_b, &ben).await.hearing_ephemeral();
    assert_eq!(
        presence_of(&mut ben_b2, asha.id).await,
        PresenceStatus::Away
    );
    drop(ben_b2);
    drop(asha_a);
    assert_eq!(
        presence_of(&mut ben_b, asha.id).await,
        PresenceStatus::Offline,
        "Asha's only socket, on A, closed"
    );

    // Leaving, through node A, takes effect on Ben's socket on node B.
    let mut asha_a = connect(api_a, &asha).await;
    let res = api_a.leave(&ben, room).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let removed = ben_b
        .next_matching(|m| matches!(m, ServerMsg::RoomRemoved { .. }))
        .await;
    assert!(matches!(removed, ServerMsg::RoomRemoved { room_id } if room_id == room));
    send(&mut asha_a, room, "after-leave", "Ben has gone").await;
    ben_b
        .expect_none(
            |m| matches!(m, ServerMsg::Message(_)),
            Duration::from_secs(1),
        )
        .await;

    // Signing out on node A closes Ben's socket on node B.
    let res = api_a
        .post("/api/auth/logout", Some(&ben), &serde_json::json!({}))
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let frame = ben_b.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001, "{frame:?}");
    drop(nodes.b);
    drop(nodes.a);
    drop(nodes.db);
}

#[tokio::test]
async fn a_node_restarted_mid_conversation_loses_nothing_acknowledged() {
    let TwoNodes {
        db,
        a,
        mut b,
        api_a,
        api_b,
    } = TwoNodes::start().await;
    let asha = api_a.user("Restart Asha").await;
    let ben = api_a.user("Restart Ben").await;
    let room = api_a.direct_room(&asha, ben.id).await.id;
    let mut asha_a = connect(&api_a, &asha).await;

    // Ben talks through node B, which is killed (SIGKILL) and started again
    // on the same address halfway; his client reconnects and re-sends what
    // was not acknowledged, with the same ids.
    let mut ben_b = connect(&api_b, &ben).await;
    let mut acked = Vec::new();
    let total = 30;
    let mut i = 0;
    let mut restarted = false;
    while i < total {
        if i == total / 2 && !restarted {
            restarted = true;
            b.kill().await;
            b = ServerProcess::start(&db.url, api_b.addr).await;
        }
        let id = format!("ben-{i}");
        let frame = serde_json::to_string(&ClientMsg::Send {
            room_id: room,
            client_msg_id: id.clone(),
            body: format!("message {i}"),
        })
        .expect("json");
        // The node may be gone under the socket: a failed write is a retry.
        let sent = ben_b.stream.send(Message::text(frame)).await.is_ok();
        let ack = sent
            && loop {
                match ben_b.try_next(Duration::from_secs(5)).await {
                    Ok(Some(ServerMsg::Ack { client_msg_id, .. })) if client_msg_id == id => {
                        break true;
                    }
                    Ok(Some(_)) => continue,
                    Ok(None) | Err(_) => break false,
                }
            };
        if ack {
            acked.push(id);
            i += 1;
        } else {
            // The socket died with the node: reconnect and try again.
            ben_b = reconnect(&api_b, &ben).await;
        }
    }
    assert_eq!(acked.len(), total);

    // Asha, on node A all along, heard every acknowledged message live.
    let mut heard = HashSet::new();
    while heard.len() < total {
        let (_, id, _) = next_message(&mut asha_a).await;
        heard.insert(id);
    }
    assert_eq!(heard, acked.iter().cloned().collect::<HashSet<_>>());

    // And the history holds each exactly once.
    let page: ListMessagesResponse = json(
        api_a
            .get(
                &format!("/api/rooms/{room}/messages?limit=100"),
                Some(&asha),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<String> = page.messages.into_iter().map(|m| m.client_msg_id).collect();
    assert_eq!(ids, acked, "once each, in the order acknowledged");
    drop((a, b));
}

async fn reconnect(api: &Api, user: &TestUser) -> WsClient {
    for _ in 0..100 {
        if let Ok(ws) = WsClient::connect(api.addr, Some(&user.cookie), None).await {
            return ws;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("could not reconnect to {}", api.addr);
}

#[tokio::test]
async fn a_node_that_loses_its_listening_connection_has_its_clients_resume() {
    let nodes = TwoNodes::start().await;
    let asha = nodes.api_a.user("Listen Asha").await;
    let ben = nodes.api_a.user("Listen Ben").await;
    let room = nodes.api_a.direct_room(&asha, ben.id).await.id;
    let mut asha_a = connect(&nodes.api_a, &asha).await;
    let mut ben_b = connect(&nodes.api_b, &ben).await;

    // Cut every LISTEN connection to this database (both nodes').
    let name = nodes
        .db
        .url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let admin = Database::connect(format!("{}/postgres", postgres_base()))
        .await
        .expect("connect as admin");
    let cut = admin
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND query LIKE 'LISTEN%'",
            [name.into()],
        ))
        .await
        .expect("terminate listeners");
    assert_eq!(cut.rows_affected(), 2, "one listener per node");

    // Their sockets are closed with "reconnect and resume" (1012)...
    for ws in [&mut asha_a, &mut ben_b] {
        let frame = ws.closed().await.expect("a close frame");
        assert_eq!(u16::from(frame.code), 1012, "{frame:?}");
    }
    // ...and once the clients are back, the conversation crosses again.
    let mut asha_a = reconnect(&nodes.api_a, &asha).await;
    let mut ben_b = reconnect(&nodes.api_b, &ben).await;
    let mut delivered = false;
    for attempt in 0..20 {
        // The nodes listen again within moments; until then a message is
        // stored but only heard by resuming.
        send(
            &mut ben_b,
            room,
            &format!("after-cut-{attempt}"),
            "still here",
        )
        .await;
        if let Some(ServerMsg::Message(_)) = asha_a.next_within(Duration::from_millis(500)).await {
            delivered = true;
            break;
        }
    }
    assert!(delivered, "node A hears node B again");
}

#[tokio::test]
async fn sqlite_says_it_is_a_single_node_when_asked_to_cluster() {
    let db = TestDb::create(Backend::Sqlite).await;
    let (server, output) = ServerProcess::start_logging_with(
        &db.url,
        free_addr(),
        "pretty",
        &[("APP_CLUSTER", "true")],
    )
    .await;
    server.kill().await;
    let text = output.text().await;
    assert!(
        text.contains("SQLite is a single node"),
        "no single-node notice in:\n{text}"
    );
}
