//! Mentions raise in-app notifications for members who can see the room,
//! except in rooms they muted; the list and its unread count.

use reqwest::StatusCode;
use serde_json::json;
use shared::api::notifications::{ListNotificationsResponse, NotificationKind};
use shared::api::rooms::RoomSummary;
use shared::ws::ServerMsg;

use crate::both;
use crate::harness::{Backend, TestApp, TestUser, WsClient, error, json};

both!(
    mentions_notify_only_members_who_can_see_the_room,
    a_muted_room_raises_no_notification,
);

async fn notifications(app: &TestApp, user: &TestUser) -> ListNotificationsResponse {
    json(
        app.get("/api/notifications", Some(user)).await,
        StatusCode::OK,
    )
    .await
}

async fn say(ws: &mut WsClient, room: i64, id: &str, body: &str) {
    ws.send_text(room, id, body).await;
    ws.next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await;
}

async fn mentions_notify_only_members_who_can_see_the_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let priya = app.user("Priya Shah").await;
    let tom = app.user("Tom Penhaligon").await;
    let daniel = app.user("Daniel Kaur").await;
    let room = app.direct_room(&priya, tom.id).await.id;
    let mut ws = app.ws(&priya).await;
    let mut tom_ws = app.ws(&tom).await;
    let mut daniel_ws = app.ws(&daniel).await;
    let is_notification = |m: &ServerMsg| matches!(m, ServerMsg::Notification(_));

    say(
        &mut ws,
        room,
        "m1",
        "@tom penhaligon could you and @Daniel Kaur look at this? (@Priya Shah)",
    )
    .await;
    let toms = notifications(&app, &tom).await;
    assert_eq!(toms.unread_count, 1);
    let n = &toms.notifications[0];
    assert_eq!(
        (n.kind, n.room_id, n.seq, n.read),
        (NotificationKind::Mention, Some(room), Some(1), false)
    );
    assert_eq!(n.actor.display_name, "Priya Shah");
    assert!(n.excerpt.starts_with("@tom penhaligon could you"));
    // Pushed live as well, to the person mentioned only.
    let ServerMsg::Notification(live) = tom_ws.next_matching(is_notification).await else {
        unreachable!()
    };
    assert_eq!(&live, n);
    daniel_ws
        .expect_none(is_notification, std::time::Duration::from_millis(300))
        .await;
    assert_eq!(
        notifications(&app, &daniel).await.unread_count,
        0,
        "Daniel cannot see the room"
    );
    assert_eq!(
        notifications(&app, &priya).await.unread_count,
        0,
        "no notification for yourself"
    );

    say(&mut ws, room, "m2", "plain message, no mention").await;
    say(&mut ws, room, "m3", "@Tom Penhaligon one more").await;
    let toms = notifications(&app, &tom).await;
    assert_eq!(toms.unread_count, 2);
    assert_eq!(toms.notifications[0].seq, Some(3), "newest first");

    let first = toms.notifications[1].id;
    let res = app
        .post(
            "/api/notifications/read",
            Some(&tom),
            &json!({"up_to_id": first}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let toms = notifications(&app, &tom).await;
    assert_eq!(toms.unread_count, 1);
    assert!(toms.notifications[1].read && !toms.notifications[0].read);
    assert_eq!(
        tom_ws
            .next_matching(|m| matches!(m, ServerMsg::NotificationsRead { .. }))
            .await,
        ServerMsg::NotificationsRead {
            up_to_id: first,
            unread_count: 1
        },
        "other tabs learn the new count"
    );
    // Someone else's ids change nothing of yours.
    let res = app
        .post(
            "/api/notifications/read",
            Some(&daniel),
            &json!({"up_to_id": i64::MAX}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(notifications(&app, &tom).await.unread_count, 1);
    error(
        app.get("/api/notifications", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

async fn a_muted_room_raises_no_notification(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let priya = app.user("Priya Shah").await;
    let tom = app.user("Tom Penhaligon").await;
    let outsider = app.user("Daniel Kaur").await;
    let room = app.direct_room(&priya, tom.id).await.id;
    let mut ws = app.ws(&priya).await;
    let mute = |muted: bool| json!({ "muted": muted });
    let path = format!("/api/rooms/{room}/settings");

    let res = app
        .request(reqwest::Method::PUT, &path, Some(&tom))
        .json(&mute(true))
        .send()
        .await
        .expect("put");
    let muted: RoomSummary = json(res, StatusCode::OK).await;
    assert!(muted.muted);
    say(&mut ws, room, "m1", "@Tom Penhaligon are you there?").await;
    assert_eq!(notifications(&app, &tom).await.unread_count, 0, "muted");
    let listed: shared::api::rooms::ListRoomsResponse =
        json(app.get("/api/rooms", Some(&tom)).await, StatusCode::OK).await;
    assert!(listed.rooms[0].muted);
    assert_eq!(
        listed.rooms[0].unread_count, 1,
        "the message itself still counts as unread"
    );

    let res = app
        .request(reqwest::Method::PUT, &path, Some(&tom))
        .json(&mute(false))
        .send()
        .await
        .expect("put");
    assert!(!json::<RoomSummary>(res, StatusCode::OK).await.muted);
    say(&mut ws, room, "m2", "@Tom Penhaligon now?").await;
    assert_eq!(notifications(&app, &tom).await.unread_count, 1);

    let res = app
        .request(reqwest::Method::PUT, &path, Some(&outsider))
        .json(&mute(true))
        .send()
        .await
        .expect("put");
    error(res, StatusCode::NOT_FOUND, "not_found").await;
}
