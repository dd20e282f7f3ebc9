//! People search, direct rooms, history paging, and refusal of non-members.

use reqwest::StatusCode;
use shared::api::rooms::{ListMessagesResponse, ListRoomsResponse, OpenDirectRoom, RoomSummary};
use shared::api::users::ListUsersResponse;
use shared::ws::ServerMsg;

use crate::both;
use crate::harness::{Backend, TestApp, error, json};

both!(
    find_people_and_open_one_direct_room_per_pair,
    history_pages_both_ways,
    non_members_cannot_see_a_room,
);

async fn find_people_and_open_one_direct_room_per_pair(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let priya = app.user("Priya Shah").await;
    let tom = app.user("Tom Penhaligon").await;
    app.user("Tomasz Nowak").await;

    let found: ListUsersResponse = json(
        app.get("/api/users?q=tom", Some(&priya)).await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<_> = found
        .users
        .iter()
        .map(|u| u.display_name.as_str())
        .collect();
    assert_eq!(names, ["Tom Penhaligon", "Tomasz Nowak"]);
    let me_too: ListUsersResponse = json(
        app.get("/api/users?q=shah", Some(&priya)).await,
        StatusCode::OK,
    )
    .await;
    assert!(me_too.users.is_empty(), "search leaves out the searcher");
    error(
        app.get("/api/users?q=t", Some(&priya)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    error(
        app.get("/api/users?q=tom", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // LIKE wildcards are matched literally.
    let wild: ListUsersResponse = json(
        app.get("/api/users?q=%25%25", Some(&priya)).await,
        StatusCode::OK,
    )
    .await;
    assert!(wild.users.is_empty());

    let mut tom_ws = app.ws(&tom).await;
    let open = OpenDirectRoom { user_id: tom.id };
    let created: RoomSummary = json(
        app.post("/api/rooms/direct", Some(&priya), &open).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created.title, "Tom Penhaligon");
    // Tom learns about the room live, titled with Priya's name.
    match tom_ws.next().await {
        ServerMsg::RoomAdded { room } => {
            assert_eq!(room.id, created.id);
            assert_eq!(room.title, "Priya Shah");
        }
        other => panic!("expected room_added, got {other:?}"),
    }
    let again: RoomSummary = json(
        app.post("/api/rooms/direct", Some(&priya), &open).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.id, created.id);
    let back = OpenDirectRoom { user_id: priya.id };
    let from_tom: RoomSummary = json(
        app.post("/api/rooms/direct", Some(&tom), &back).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        from_tom.id, created.id,
        "one room per pair, whoever opens it"
    );

    let toms: ListRoomsResponse =
        json(app.get("/api/rooms", Some(&tom)).await, StatusCode::OK).await;
    assert_eq!(toms.rooms.len(), 1);
    assert_eq!(toms.rooms[0].title, "Priya Shah");

    let myself = OpenDirectRoom { user_id: priya.id };
    error(
        app.post("/api/rooms/direct", Some(&priya), &myself).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let nobody = OpenDirectRoom { user_id: 999_999 };
    error(
        app.post("/api/rooms/direct", Some(&priya), &nobody).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn history_pages_both_ways(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sam = app.user("Sam Okafor").await;
    let margaret = app.user("Margaret Osei").await;
    let room = app.direct_room(&sam, margaret.id).await;
    let mut ws = app.ws(&sam).await;
    for i in 1..=5 {
        ws.send_text(room.id, &format!("c{i}"), &format!("message {i}"))
            .await;
        ws.next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
            .await;
    }
    let path = |q: &str| format!("/api/rooms/{}/messages{q}", room.id);
    let seqs =
        |page: &ListMessagesResponse| page.messages.iter().map(|m| m.seq).collect::<Vec<_>>();

    let newest: ListMessagesResponse = json(
        app.get(&path("?limit=2"), Some(&margaret)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seqs(&newest), [4, 5]);
    assert!(newest.has_more);
    assert_eq!(newest.messages[1].body, "message 5");
    assert_eq!(newest.messages[1].author_name, "Sam Okafor");
    let older: ListMessagesResponse = json(
        app.get(&path("?before_seq=4&limit=2"), Some(&margaret))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seqs(&older), [2, 3]);
    assert!(older.has_more);
    let oldest: ListMessagesResponse = json(
        app.get(&path("?before_seq=2&limit=2"), Some(&margaret))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seqs(&oldest), [1]);
    assert!(!oldest.has_more);
    let forward: ListMessagesResponse = json(
        app.get(&path("?after_seq=3"), Some(&margaret)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seqs(&forward), [4, 5]);
    assert!(!forward.has_more);
    error(
        app.get(&path("?after_seq=1&before_seq=3"), Some(&margaret))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    error(
        app.get(&path("?limit=lots"), Some(&margaret)).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    let rooms: ListRoomsResponse =
        json(app.get("/api/rooms", Some(&margaret)).await, StatusCode::OK).await;
    assert_eq!(rooms.rooms[0].last_seq, 5);
    assert_eq!(
        rooms.rooms[0]
            .last_message
            .as_ref()
            .map(|m| m.body.as_str()),
        Some("message 5")
    );
}

async fn non_members_cannot_see_a_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.user("Kieran Walsh").await;
    let b = app.user("Jo Reid").await;
    let outsider = app.user("Daniel Kaur").await;
    let room = app.direct_room(&a, b.id).await;

    let hidden = error(
        app.get(&format!("/api/rooms/{}/messages", room.id), Some(&outsider))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let missing = error(
        app.get("/api/rooms/987654/messages", Some(&outsider)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        hidden, missing,
        "a room you are not in looks like no room at all"
    );
    error(
        app.get("/api/rooms/not-a-number/messages", Some(&outsider))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        app.get(&format!("/api/rooms/{}/messages", room.id), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let theirs: ListRoomsResponse =
        json(app.get("/api/rooms", Some(&outsider)).await, StatusCode::OK).await;
    assert!(theirs.rooms.is_empty());
}
