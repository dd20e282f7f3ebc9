//! The websocket: live exchange, resume, idempotency, refusals, bad frames.

use std::time::Duration;

use reqwest::StatusCode;
use shared::api::rooms::ListMessagesResponse;
use shared::ws::{ClientMsg, ServerMsg};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::both;
use crate::harness::{Backend, TestApp, TestUser, WsClient, json};

both!(
    two_people_exchange_messages_live,
    concurrent_senders_get_gap_free_seqs_delivered_in_order,
    resume_returns_exactly_the_missed_messages,
    a_repeated_client_msg_id_is_stored_once,
    a_retry_after_a_restart_is_still_stored_once,
    non_members_cannot_send_or_resume,
    malformed_and_oversized_frames,
    the_socket_needs_a_session_and_our_origin,
);

async fn pair(app: &TestApp) -> (TestUser, TestUser, i64) {
    let a = app.user("Priya Shah").await;
    let b = app.user("Tom Penhaligon").await;
    let room = app.direct_room(&a, b.id).await;
    (a, b, room.id)
}

fn is_message(m: &ServerMsg) -> bool {
    matches!(m, ServerMsg::Message(_))
}

async fn history(app: &TestApp, user: &TestUser, room_id: i64) -> ListMessagesResponse {
    json(
        app.get(&format!("/api/rooms/{room_id}/messages"), Some(user))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn two_people_exchange_messages_live(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let mut a_tab2 = app.ws(&a).await;
    let mut b_ws = app.ws(&b).await;

    a_ws.send_text(room, "c-1", "Could we talk about our safeguarding policy?")
        .await;
    let ack = a_ws.next().await;
    let ServerMsg::Ack {
        seq,
        client_msg_id,
        duplicate,
        ..
    } = ack
    else {
        panic!("expected ack first, got {ack:?}");
    };
    assert_eq!((seq, client_msg_id.as_str(), duplicate), (1, "c-1", false));
    for ws in [&mut a_ws, &mut a_tab2, &mut b_ws] {
        let ServerMsg::Message(m) = ws.next_matching(is_message).await else {
            unreachable!()
        };
        assert_eq!(m.seq, 1);
        assert_eq!(m.author_id, a.id);
        assert_eq!(m.author_name, "Priya Shah");
        assert_eq!(m.body, "Could we talk about our safeguarding policy?");
        assert_eq!(m.client_msg_id, "c-1");
    }

    b_ws.send_text(room, "r-1", "Of course.\nThursday?").await;
    let ServerMsg::Message(reply) = a_ws.next_matching(is_message).await else {
        unreachable!()
    };
    assert_eq!(
        (reply.seq, reply.body.as_str()),
        (2, "Of course.\nThursday?")
    );

    let stored = history(&app, &b, room).await;
    assert_eq!(stored.messages.len(), 2);
}

async fn concurrent_senders_get_gap_free_seqs_delivered_in_order(backend: Backend) {
    const SOCKETS_PER_PERSON: usize = 3;
    const EACH: usize = 20;
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut sockets = Vec::new();
    for user in [&a, &b] {
        for _ in 0..SOCKETS_PER_PERSON {
            sockets.push(app.ws(user).await);
        }
    }
    let total = 2 * SOCKETS_PER_PERSON * EACH;
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(n, mut ws)| {
            tokio::spawn(async move {
                // Send everything at once, then read until every message is in.
                for i in 0..EACH {
                    ws.send_text(
                        room,
                        &format!("s{n}-{i}"),
                        &format!("from socket {n}, #{i}"),
                    )
                    .await;
                }
                let mut seen = Vec::new();
                let mut acks = 0;
                while seen.len() < total || acks < EACH {
                    match ws.next().await {
                        ServerMsg::Message(m) => seen.push(m.seq),
                        ServerMsg::Ack { .. } => acks += 1,
                        other => panic!("unexpected {other:?}"),
                    }
                }
                seen
            })
        })
        .collect();
    for task in tasks {
        let seen = task.await.expect("socket task");
        let expected: Vec<i64> = (1..=total as i64).collect();
        assert_eq!(seen, expected, "every socket sees every seq once, in order");
    }
    let stored = history(&app, &a, room).await;
    assert_eq!(stored.messages.last().map(|m| m.seq), Some(total as i64));
}

async fn resume_returns_exactly_the_missed_messages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let mut b_ws = app.ws(&b).await;
    a_ws.send_text(room, "m1", "one").await;
    a_ws.next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await;
    b_ws.next_matching(is_message).await;
    drop(b_ws);

    for (id, body) in [("m2", "two"), ("m3", "three"), ("m4", "four")] {
        a_ws.send_text(room, id, body).await;
        a_ws.next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
            .await;
    }

    let mut b_ws = app.ws(&b).await;
    b_ws.send(&ClientMsg::Resume {
        room_id: room,
        after_seq: 1,
        changes_since: None,
    })
    .await;
    let mut replayed = Vec::new();
    loop {
        match b_ws.next().await {
            ServerMsg::Message(m) => replayed.push((m.seq, m.body)),
            ServerMsg::Resumed { room_id, last_seq } => {
                assert_eq!((room_id, last_seq), (room, 4));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        replayed,
        [(2, "two".into()), (3, "three".into()), (4, "four".into())]
    );
    b_ws.expect_silence(Duration::from_millis(300)).await;

    // Caught up: nothing to replay.
    b_ws.send(&ClientMsg::Resume {
        room_id: room,
        after_seq: 4,
        changes_since: None,
    })
    .await;
    assert_eq!(
        b_ws.next().await,
        ServerMsg::Resumed {
            room_id: room,
            last_seq: 4
        }
    );
    // A cursor from the future (say, the client kept state across a reset) gets resync.
    b_ws.send(&ClientMsg::Resume {
        room_id: room,
        after_seq: 40,
        changes_since: None,
    })
    .await;
    assert_eq!(
        b_ws.next().await,
        ServerMsg::Resync {
            room_id: room,
            last_seq: 4
        }
    );
}

async fn a_repeated_client_msg_id_is_stored_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let mut b_ws = app.ws(&b).await;
    a_ws.send_text(room, "same-id", "hello").await;
    let first = a_ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await;
    a_ws.send_text(room, "same-id", "hello").await;
    let second = a_ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await;
    let (
        ServerMsg::Ack {
            id: id1,
            seq: s1,
            duplicate: d1,
            ..
        },
        ServerMsg::Ack {
            id: id2,
            seq: s2,
            duplicate: d2,
            ..
        },
    ) = (first, second)
    else {
        unreachable!()
    };
    assert_eq!((id1, s1, d1), (id2, s2, false));
    assert!(d2, "the retry is marked as a duplicate");

    b_ws.next_matching(is_message).await;
    b_ws.expect_silence(Duration::from_millis(300)).await;
    assert_eq!(history(&app, &b, room).await.messages.len(), 1);

    // Another person may use the same client id: it is unique per author.
    b_ws.send_text(room, "same-id", "hi back").await;
    let ServerMsg::Ack { seq, duplicate, .. } = b_ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!((seq, duplicate), (2, false));
}

async fn a_retry_after_a_restart_is_still_stored_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    a_ws.send_text(room, "before-restart", "sent once").await;
    let ServerMsg::Ack { id, .. } = a_ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    else {
        unreachable!()
    };
    drop(a_ws);

    let app = app.restart().await;
    let mut a_ws = app.ws(&a).await;
    a_ws.send_text(room, "before-restart", "sent once").await;
    let ServerMsg::Ack {
        id: again,
        duplicate,
        ..
    } = a_ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(again, id);
    assert!(duplicate);
    assert_eq!(history(&app, &b, room).await.messages.len(), 1);
}

async fn non_members_cannot_send_or_resume(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let outsider = app.user("Daniel Kaur").await;
    let mut a_ws = app.ws(&a).await;
    let mut out_ws = app.ws(&outsider).await;

    out_ws.send_text(room, "sneak", "let me in").await;
    match out_ws.next().await {
        ServerMsg::Error {
            error,
            client_msg_id,
            room_id,
        } => {
            assert_eq!(error.kind, shared::ErrorKind::NotFound);
            assert_eq!(client_msg_id.as_deref(), Some("sneak"));
            assert_eq!(room_id, Some(room));
        }
        other => panic!("expected an error, got {other:?}"),
    }
    out_ws
        .send(&ClientMsg::Resume {
            room_id: room,
            after_seq: 0,
            changes_since: None,
        })
        .await;
    assert!(
        matches!(out_ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::NotFound)
    );
    a_ws.expect_silence(Duration::from_millis(300)).await;
    assert!(
        history(&app, &b, room).await.messages.is_empty(),
        "nothing was stored"
    );

    // The members' conversation does not leak to the outsider's socket.
    a_ws.send_text(room, "private", "just us").await;
    a_ws.next_matching(is_message).await;
    out_ws.expect_silence(Duration::from_millis(300)).await;
}

async fn malformed_and_oversized_frames(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, _b, room) = pair(&app).await;
    let mut ws = app.ws(&a).await;

    ws.send_raw(Message::text("this is not json")).await;
    assert!(
        matches!(ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::BadRequest)
    );
    ws.send_raw(Message::text(r#"{"type":"launch_rockets"}"#))
        .await;
    assert!(
        matches!(ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::BadRequest)
    );
    ws.send_raw(Message::binary(vec![1u8, 2, 3])).await;
    assert!(
        matches!(ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::BadRequest)
    );
    ws.send_text(room, "empty", "   ").await;
    assert!(
        matches!(ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::Validation)
    );
    ws.send_text(room, "has spaces in id", "hi").await;
    assert!(
        matches!(ws.next().await, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::Validation)
    );
    // Still open and working after all that.
    ws.send(&ClientMsg::Ping).await;
    assert_eq!(ws.next().await, ServerMsg::Pong);

    let body = "x".repeat(70 * 1024);
    let _ = futures_util::SinkExt::send(
        &mut ws.stream,
        Message::text(format!(
            r#"{{"type":"send","room_id":{room},"client_msg_id":"big","body":"{body}"}}"#
        )),
    )
    .await;
    let frame = ws.closed().await.expect("a close frame");
    assert_eq!(frame.code, CloseCode::Size, "closed with 1009");

    // The server is unharmed: a new connection works.
    let mut again = app.ws(&a).await;
    again.send(&ClientMsg::Ping).await;
    assert_eq!(again.next().await, ServerMsg::Pong);
}

async fn the_socket_needs_a_session_and_our_origin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.user("Megan Hughes").await;
    let status = |e: tokio_tungstenite::tungstenite::Error| match e {
        tokio_tungstenite::tungstenite::Error::Http(res) => res.status().as_u16(),
        other => panic!("expected an HTTP refusal, got {other}"),
    };
    let anonymous = WsClient::connect(app.addr, None, None)
        .await
        .err()
        .expect("refused");
    assert_eq!(status(anonymous), 401);
    let evil = WsClient::connect(app.addr, Some(&a.cookie), Some("https://evil.example"))
        .await
        .err()
        .expect("refused");
    assert_eq!(status(evil), 403);
    let ours = WsClient::connect(app.addr, Some(&a.cookie), Some(&app.origin())).await;
    assert!(ours.is_ok(), "our own origin is allowed");
}

both!(a_reader_that_never_reads_is_cut_off_without_slowing_others);

/// A connection that stops reading (a phone in a tunnel, a stuck tab) fills
/// its socket buffers, then its bounded queue; the server closes it with
/// 1013 so its client resumes later, and everyone else keeps getting every
/// message.
async fn a_reader_that_never_reads_is_cut_off_without_slowing_others(backend: Backend) {
    const MESSAGES: usize = 2_500;
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut stuck = app.ws(&b).await;
    let mut reader = app.ws(&b).await;
    let mut sender = app.ws(&a).await;
    assert_eq!(app.state.hub.connection_count(), 3);

    let body = "x".repeat(8_000);
    // The sender reads its acks as it goes, like any live client.
    let send_all = async {
        for batch in 0..MESSAGES / 50 {
            for i in 0..50 {
                sender
                    .send_text(room, &format!("flood-{batch}-{i}"), &body)
                    .await;
            }
            let mut acks = 0;
            while acks < 50 {
                if let ServerMsg::Ack { .. } = sender.next().await {
                    acks += 1;
                }
            }
        }
    };
    let read_all = async {
        let mut seen = 0;
        while seen < MESSAGES {
            if let ServerMsg::Message(_) = reader.next().await {
                seen += 1;
            }
        }
        seen
    };
    let ((), seen) = tokio::join!(send_all, read_all);
    assert_eq!(seen, MESSAGES, "the reading connection got everything");

    // The stuck one was dropped by the hub, and its socket ends with 1013
    // once it finally reads.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while app.state.hub.connection_count() > 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the stuck connection is still registered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let frame = stuck.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 1013);
}

both!(a_send_that_fails_in_a_batch_fails_alone);

/// The writer stores a batch in one transaction; one send that cannot be
/// stored (here, into a room that does not exist) must not take the sends
/// committed with it down, nor repeat or lose any of them.
async fn a_send_that_fails_in_a_batch_fails_alone(backend: Backend) {
    use server::messaging::writer::Job;

    let app = TestApp::spawn(backend).await;
    let a = app.user("Batch Asha").await;
    let b = app.user("Batch Ben").await;
    let room = app.direct_room(&a, b.id).await.id;
    let job = |room_id: i64, id: String| Job {
        room_id,
        author_id: a.id,
        author_name: "Batch Asha".into(),
        client_msg_id: id,
        body: "in a batch".into(),
    };
    // Submitted together, so the writer takes them as one batch (or a few).
    let sends = (0..20).map(|i| {
        let room_id = if i == 7 { 999_999 } else { room };
        app.state
            .writer
            .submit(job(room_id, format!("batch-{i}")), None)
    });
    let results = futures_util::future::join_all(sends).await;
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.is_ok(), i != 7, "send {i}: {:?}", r.as_ref().err());
    }
    // A retry of a stored send in the next batch is a duplicate, not a copy.
    let again = app
        .state
        .writer
        .submit(job(room, "batch-3".into()), None)
        .await
        .expect("retry");
    assert!(again.duplicate);
    let page: ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{room}/messages?limit=100"), Some(&a))
            .await,
        StatusCode::OK,
    )
    .await;
    let seqs: Vec<i64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=19).collect::<Vec<_>>(), "gap-free, each once");
}
