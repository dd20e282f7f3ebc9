//! Read markers and unread counts, read receipts and their setting, typing,
//! presence, and editing or deleting one's own messages, through real
//! websocket clients on both databases.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shared::ErrorKind;
use shared::api::auth::MeResponse;
use shared::api::rooms::{ListMessagesResponse, ListRoomsResponse, ReadMarker, RoomSummary};
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};

use crate::both;
use crate::harness::{Backend, TestApp, TestUser, WsClient, json};

both!(
    leaving_cuts_delivery_and_history_at_once,
    resume_replays_edits_and_deletes_made_while_away,
    read_markers_sync_tabs_count_unread_and_send_receipts,
    receipts_can_be_turned_off,
    typing_reaches_the_others_and_is_never_stored,
    presence_follows_connections_and_the_background,
    own_messages_can_be_edited_and_deleted,
);

const QUIET: Duration = Duration::from_millis(300);

async fn pair(app: &TestApp) -> (TestUser, TestUser, i64) {
    let a = app.user("Priya Shah").await;
    let b = app.user("Tom Penhaligon").await;
    let room = app.direct_room(&a, b.id).await;
    (a, b, room.id)
}

/// Send, and read up to the sender's own copy of the message.
async fn send(ws: &mut WsClient, room: i64, id: &str, body: &str) -> i64 {
    ws.send_text(room, id, body).await;
    let ServerMsg::Ack { seq, .. } = ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    else {
        unreachable!()
    };
    ws.next_matching(|m| matches!(m, ServerMsg::Message(v) if v.seq == seq))
        .await;
    seq
}

async fn room_of(app: &TestApp, user: &TestUser, room: i64) -> RoomSummary {
    let rooms: ListRoomsResponse =
        json(app.get("/api/rooms", Some(user)).await, StatusCode::OK).await;
    rooms
        .rooms
        .into_iter()
        .find(|r| r.id == room)
        .expect("the room is listed")
}

fn is_read(m: &ServerMsg) -> bool {
    matches!(m, ServerMsg::Read { .. })
}

async fn read_markers_sync_tabs_count_unread_and_send_receipts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    for i in 1..=3 {
        send(&mut a_ws, room, &format!("m{i}"), &format!("message {i}")).await;
    }
    let before = room_of(&app, &b, room).await;
    assert_eq!((before.last_read_seq, before.unread_count), (0, 3));
    assert_eq!(
        room_of(&app, &a, room).await.unread_count,
        0,
        "your own messages are not unread"
    );

    let mut tab1 = app.ws(&b).await;
    let mut tab2 = app.ws(&b).await;
    tab1.send(&ClientMsg::Read {
        room_id: room,
        seq: 2,
    })
    .await;
    let mine = ServerMsg::Read {
        room_id: room,
        user_id: b.id,
        seq: 2,
        unread_count: Some(1),
    };
    assert_eq!(tab1.next_matching(is_read).await, mine);
    assert_eq!(
        tab2.next_matching(is_read).await,
        mine,
        "the other tab follows"
    );
    let receipt = ServerMsg::Read {
        room_id: room,
        user_id: b.id,
        seq: 2,
        unread_count: None,
    };
    assert_eq!(a_ws.next_matching(is_read).await, receipt);
    assert_eq!(
        room_of(&app, &a, room).await.read_by,
        vec![ReadMarker {
            user_id: b.id,
            seq: 2
        }]
    );

    // Backwards is ignored (no receipt); past the end is clamped.
    tab2.send(&ClientMsg::Read {
        room_id: room,
        seq: 1,
    })
    .await;
    for tab in [&mut tab1, &mut tab2] {
        assert!(matches!(
            tab.next_matching(is_read).await,
            ServerMsg::Read { seq: 2, .. }
        ));
    }
    a_ws.expect_none(is_read, QUIET).await;
    tab2.send(&ClientMsg::Read {
        room_id: room,
        seq: 99,
    })
    .await;
    assert!(matches!(
        tab1.next_matching(is_read).await,
        ServerMsg::Read {
            seq: 3,
            unread_count: Some(0),
            ..
        }
    ));
    let after = room_of(&app, &b, room).await;
    assert_eq!((after.last_read_seq, after.unread_count), (3, 0));

    // A new message from A is unread again; B's own are not.
    send(&mut a_ws, room, "m4", "one more").await;
    send(&mut tab1, room, "r1", "a reply").await;
    assert_eq!(room_of(&app, &b, room).await.unread_count, 1);

    let outsider = app.user("Daniel Kaur").await;
    let mut out_ws = app.ws(&outsider).await;
    out_ws
        .send(&ClientMsg::Read {
            room_id: room,
            seq: 1,
        })
        .await;
    assert!(
        matches!(out_ws.next().await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound)
    );
}

async fn receipts_can_be_turned_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    send(&mut a_ws, room, "m1", "hello").await;

    let res = app
        .request(reqwest::Method::PUT, "/api/me/settings", Some(&b))
        .json(&json!({"read_receipts": false}))
        .send()
        .await
        .expect("settings");
    let me: MeResponse = json(res, StatusCode::OK).await;
    assert!(!me.read_receipts);

    let mut b_ws = app.ws(&b).await;
    b_ws.send(&ClientMsg::Read {
        room_id: room,
        seq: 1,
    })
    .await;
    assert!(
        matches!(
            b_ws.next_matching(is_read).await,
            ServerMsg::Read { seq: 1, .. }
        ),
        "B's own tabs still sync"
    );
    a_ws.expect_none(is_read, QUIET).await;
    assert!(
        room_of(&app, &a, room).await.read_by.is_empty(),
        "no receipt in the room list either"
    );
    let me: MeResponse = json(app.get("/api/me", Some(&b)).await, StatusCode::OK).await;
    assert!(!me.read_receipts, "the setting is kept");
}

async fn typing_reaches_the_others_and_is_never_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await.hearing_ephemeral();
    let mut b_ws = app.ws(&b).await.hearing_ephemeral();
    let is_typing = |m: &ServerMsg| matches!(m, ServerMsg::Typing { .. });

    a_ws.send(&ClientMsg::Typing {
        room_id: room,
        active: true,
    })
    .await;
    match b_ws.next_matching(is_typing).await {
        ServerMsg::Typing {
            room_id,
            user_id,
            display_name,
            active,
            expires_in_ms,
        } => {
            assert_eq!(
                (room_id, user_id, display_name.as_str(), active),
                (room, a.id, "Priya Shah", true)
            );
            assert!(expires_in_ms > 0 && expires_in_ms <= 10_000);
        }
        _ => unreachable!(),
    }
    // A repeat straight away is not relayed; the typist hears nothing back.
    a_ws.send(&ClientMsg::Typing {
        room_id: room,
        active: true,
    })
    .await;
    b_ws.expect_none(is_typing, QUIET).await;
    a_ws.send(&ClientMsg::Typing {
        room_id: room,
        active: false,
    })
    .await;
    assert!(matches!(
        b_ws.next_matching(is_typing).await,
        ServerMsg::Typing { active: false, .. }
    ));
    a_ws.expect_none(is_typing, QUIET).await;

    let history: ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&b))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(history.messages.is_empty(), "typing is never a message");

    let outsider = app.user("Daniel Kaur").await;
    let mut out_ws = app.ws(&outsider).await.hearing_ephemeral();
    out_ws
        .send(&ClientMsg::Typing {
            room_id: room,
            active: true,
        })
        .await;
    assert!(
        matches!(out_ws.next().await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound)
    );
    b_ws.expect_none(is_typing, QUIET).await;
}

async fn presence_follows_connections_and_the_background(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, _room) = pair(&app).await;
    let stranger = app.user("Ruth Adeyemi").await;
    let mut stranger_ws = app.ws(&stranger).await.hearing_ephemeral();
    let mut a_ws = app.ws(&a).await.hearing_ephemeral();
    let is_presence = |m: &ServerMsg| matches!(m, ServerMsg::Presence { .. });

    let mut b_ws = app.ws(&b).await.hearing_ephemeral();
    // B hears who is around; A hears that B arrived.
    assert_eq!(
        b_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: a.id,
            status: PresenceStatus::Online
        }
    );
    assert_eq!(
        a_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: b.id,
            status: PresenceStatus::Online
        }
    );

    b_ws.send(&ClientMsg::SetPresence {
        status: PresenceStatus::Away,
    })
    .await;
    assert_eq!(
        a_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: b.id,
            status: PresenceStatus::Away
        }
    );
    b_ws.send(&ClientMsg::SetPresence {
        status: PresenceStatus::Online,
    })
    .await;
    assert_eq!(
        a_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: b.id,
            status: PresenceStatus::Online
        }
    );
    drop(b_ws);
    assert_eq!(
        a_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: b.id,
            status: PresenceStatus::Offline
        }
    );

    // Someone who shares no room with them learns nothing, until a room is
    // shared: then both learn where the other is at once.
    stranger_ws.expect_silence(QUIET).await;
    app.direct_room(&stranger, a.id).await;
    assert_eq!(
        stranger_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: a.id,
            status: PresenceStatus::Online
        }
    );
    assert_eq!(
        a_ws.next_matching(is_presence).await,
        ServerMsg::Presence {
            user_id: stranger.id,
            status: PresenceStatus::Online
        }
    );
}

async fn own_messages_can_be_edited_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let mut b_ws = app.ws(&b).await;
    a_ws.send_text(room, "m1", "Meeting on Thursday").await;
    let ServerMsg::Message(original) = b_ws
        .next_matching(|m| matches!(m, ServerMsg::Message(_)))
        .await
    else {
        unreachable!()
    };
    let is_update = |m: &ServerMsg| matches!(m, ServerMsg::MessageUpdated(_));

    a_ws.send(&ClientMsg::Edit {
        message_id: original.id,
        body: "Meeting on Friday".into(),
    })
    .await;
    for ws in [&mut a_ws, &mut b_ws] {
        let ServerMsg::MessageUpdated(m) = ws.next_matching(is_update).await else {
            unreachable!()
        };
        assert_eq!(
            (m.id, m.seq, m.body.as_str(), m.deleted),
            (original.id, original.seq, "Meeting on Friday", false)
        );
        assert!(m.edited_at.is_some());
    }

    // Someone else's message, or a message that does not exist: not found.
    b_ws.send(&ClientMsg::Edit {
        message_id: original.id,
        body: "hijack".into(),
    })
    .await;
    assert!(
        matches!(b_ws.next_matching(|m| matches!(m, ServerMsg::Error { .. })).await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound)
    );
    b_ws.send(&ClientMsg::Delete {
        message_id: original.id,
    })
    .await;
    assert!(
        matches!(b_ws.next_matching(|m| matches!(m, ServerMsg::Error { .. })).await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound)
    );
    a_ws.send(&ClientMsg::Edit {
        message_id: original.id,
        body: "  ".into(),
    })
    .await;
    assert!(
        matches!(a_ws.next_matching(|m| matches!(m, ServerMsg::Error { .. })).await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::Validation)
    );

    a_ws.send(&ClientMsg::Delete {
        message_id: original.id,
    })
    .await;
    for ws in [&mut a_ws, &mut b_ws] {
        let ServerMsg::MessageUpdated(m) = ws.next_matching(is_update).await else {
            unreachable!()
        };
        assert!(m.deleted);
        assert!(m.body.is_empty(), "a tombstone carries no text");
    }
    let history: ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&b))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history.messages.len(), 1, "the tombstone keeps its place");
    assert!(history.messages[0].deleted && history.messages[0].body.is_empty());
    assert_eq!(
        room_of(&app, &b, room).await.unread_count,
        0,
        "a deleted message is not unread"
    );

    a_ws.send(&ClientMsg::Edit {
        message_id: original.id,
        body: "back again".into(),
    })
    .await;
    assert!(
        matches!(a_ws.next_matching(|m| matches!(m, ServerMsg::Error { .. })).await, ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound)
    );
}

async fn resume_replays_edits_and_deletes_made_while_away(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let first = send(&mut a_ws, room, "m1", "Meeting on Thursday").await;
    let second = send(&mut a_ws, room, "m2", "Bring the rota").await;
    assert_eq!((first, second), (1, 2));
    let history: ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&b))
            .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<i64> = history.messages.iter().map(|m| m.id).collect();

    let b_ws = app.ws(&b).await;
    let away_since = b_ws.ready_at;
    drop(b_ws);
    a_ws.send(&ClientMsg::Edit {
        message_id: ids[0],
        body: "Meeting on Friday".into(),
    })
    .await;
    a_ws.next_matching(|m| matches!(m, ServerMsg::MessageUpdated(_)))
        .await;
    a_ws.send(&ClientMsg::Delete { message_id: ids[1] }).await;
    a_ws.next_matching(|m| matches!(m, ServerMsg::MessageUpdated(_)))
        .await;
    send(&mut a_ws, room, "m3", "See you there").await;

    let mut b_ws = app.ws(&b).await;
    b_ws.send(&ClientMsg::Resume {
        room_id: room,
        after_seq: 2,
        changes_since: Some(away_since),
    })
    .await;
    let mut replay = Vec::new();
    loop {
        match b_ws.next().await {
            ServerMsg::MessageUpdated(m) => replay.push(format!(
                "updated {} {:?} deleted={}",
                m.seq, m.body, m.deleted
            )),
            ServerMsg::Message(m) => replay.push(format!("new {} {:?}", m.seq, m.body)),
            ServerMsg::Resumed { last_seq, .. } => {
                assert_eq!(last_seq, 3);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        replay,
        [
            "updated 1 \"Meeting on Friday\" deleted=false",
            "updated 2 \"\" deleted=true",
            "new 3 \"See you there\"",
        ]
    );

    // Without a time, only new messages come back.
    b_ws.send(&ClientMsg::Resume {
        room_id: room,
        after_seq: 2,
        changes_since: None,
    })
    .await;
    assert!(matches!(b_ws.next().await, ServerMsg::Message(m) if m.seq == 3));
    assert!(matches!(b_ws.next().await, ServerMsg::Resumed { .. }));
}

async fn leaving_cuts_delivery_and_history_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (a, b, room) = pair(&app).await;
    let mut a_ws = app.ws(&a).await;
    let mut b_tab1 = app.ws(&b).await.hearing_ephemeral();
    let mut b_tab2 = app.ws(&b).await;
    send(&mut a_ws, room, "m1", "before").await;
    b_tab1
        .next_matching(|m| matches!(m, ServerMsg::Message(_)))
        .await;

    let res = app.leave(&b, room).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for tab in [&mut b_tab1, &mut b_tab2] {
        assert_eq!(
            tab.next_matching(|m| matches!(m, ServerMsg::RoomRemoved { .. }))
                .await,
            ServerMsg::RoomRemoved { room_id: room }
        );
    }

    // From now on nothing of the room reaches B, live or on request.
    send(&mut a_ws, room, "m2", "after").await;
    a_ws.send(&ClientMsg::Typing {
        room_id: room,
        active: true,
    })
    .await;
    b_tab1
        .expect_none(
            |m| matches!(m, ServerMsg::Message(_) | ServerMsg::Typing { .. }),
            Duration::from_secs(1),
        )
        .await;
    let path = format!("/api/rooms/{room}/messages");
    crate::harness::error(
        app.get(&path, Some(&b)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for msg in [
        ClientMsg::Resume {
            room_id: room,
            after_seq: 0,
            changes_since: None,
        },
        ClientMsg::Read {
            room_id: room,
            seq: 2,
        },
        ClientMsg::Send {
            room_id: room,
            client_msg_id: "late".into(),
            body: "hello?".into(),
        },
    ] {
        b_tab2.send(&msg).await;
        assert!(matches!(
            b_tab2.next_matching(|m| matches!(m, ServerMsg::Error { .. })).await,
            ServerMsg::Error { error, .. } if error.kind == ErrorKind::NotFound
        ));
    }
    let rooms: ListRoomsResponse =
        json(app.get("/api/rooms", Some(&b)).await, StatusCode::OK).await;
    assert!(rooms.rooms.is_empty());
    let again = app.leave(&b, room).await;
    crate::harness::error(again, StatusCode::NOT_FOUND, "not_found").await;

    // Opening the conversation again brings B back, history and all.
    let reopened: RoomSummary = json(
        app.post(
            "/api/rooms/direct",
            Some(&a),
            &shared::api::rooms::OpenDirectRoom { user_id: b.id },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened.id, room);
    assert!(matches!(
        b_tab2.next_matching(|m| matches!(m, ServerMsg::RoomAdded { .. })).await,
        ServerMsg::RoomAdded { room: r } if r.id == room && r.unread_count == 2
    ));
    let history: ListMessagesResponse = json(app.get(&path, Some(&b)).await, StatusCode::OK).await;
    assert_eq!(history.messages.len(), 2);
}
