//! Content reports and moderation through the real API and websocket on
//! both databases: reporting only what one can read, the programme team's
//! queue (and nobody else's), hiding and restoring messages and posts as
//! the room, the thread, search and the author see it, warnings, and
//! suspensions that sign a person out at once.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::audit_event;
use shared::ErrorKind;
use shared::api::auth::Login;
use shared::api::moderation::{
    CreateReport, ListReportsResponse, ModerationReason, ModerationUserView, ReportCreated,
    ReportReason, ReportStatus, ReportView, SuspendUser,
};
use shared::api::notifications::{ListNotificationsResponse, NotificationKind};
use shared::api::rooms::{ListMessagesResponse, MessageView};
use shared::api::search::{SearchHitPlace, SearchResponse};
use shared::api::threads::{
    CreatePost, CreateThread, EditPost, EditThread, PostView, ThreadResponse, Visibility,
};
use shared::taxonomy::{ActivityType, Topic};
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, WsClient, error, json};

both!(
    a_report_reaches_the_moderators_queue_with_its_copy,
    only_what_one_can_read_is_reportable,
    moderation_is_for_the_programme_team_only,
    a_dismissed_report_leaves_the_queue,
    a_hidden_message_is_a_tombstone_for_the_room,
    a_hidden_post_is_gone_from_the_thread_and_search,
    a_warning_reaches_the_person,
    a_suspension_signs_the_person_out_until_lifted,
);

const QUIET: Duration = Duration::from_millis(300);

fn report_message(message_id: i64, reason: ReportReason, detail: &str) -> CreateReport {
    CreateReport {
        message_id: Some(message_id),
        post_id: None,
        reason,
        detail: detail.into(),
    }
}

fn report_post(post_id: i64) -> CreateReport {
    CreateReport {
        message_id: None,
        post_id: Some(post_id),
        reason: ReportReason::Harmful,
        detail: String::new(),
    }
}

fn because(reason: &str, report_id: Option<i64>) -> ModerationReason {
    ModerationReason {
        reason: reason.into(),
        report_id,
    }
}

/// `from` sends `body` in `room`; the stored message as the room sees it.
async fn send(ws: &mut WsClient, room: i64, id: &str, body: &str) -> i64 {
    ws.send_text(room, id, body).await;
    let ServerMsg::Ack { id, .. } = ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    else {
        unreachable!()
    };
    id
}

async fn next_update(ws: &mut WsClient) -> MessageView {
    let ServerMsg::MessageUpdated(m) = ws
        .next_matching(|m| matches!(m, ServerMsg::MessageUpdated(_)))
        .await
    else {
        unreachable!()
    };
    m
}

async fn next_notification(ws: &mut WsClient) -> shared::api::notifications::NotificationView {
    let ServerMsg::Notification(n) = ws
        .next_matching(|m| matches!(m, ServerMsg::Notification(_)))
        .await
    else {
        unreachable!()
    };
    n
}

async fn next_open_count(ws: &mut WsClient) -> i64 {
    let ServerMsg::ReportsChanged { open_count } = ws
        .next_matching(|m| matches!(m, ServerMsg::ReportsChanged { .. }))
        .await
    else {
        unreachable!()
    };
    open_count
}

async fn queue(app: &TestApp, admin: &TestUser, status: &str) -> ListReportsResponse {
    json(
        app.get(
            &format!("/api/moderation/reports?status={status}"),
            Some(admin),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn file_report(app: &TestApp, who: &TestUser, req: &CreateReport) -> i64 {
    let created: ReportCreated = json(
        app.post("/api/reports", Some(who), req).await,
        StatusCode::CREATED,
    )
    .await;
    created.id
}

async fn history(app: &TestApp, who: &TestUser, room: i64) -> Vec<MessageView> {
    let page: ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{room}/messages"), Some(who))
            .await,
        StatusCode::OK,
    )
    .await;
    page.messages
}

async fn search(app: &TestApp, who: &TestUser, q: &str) -> Vec<String> {
    let res: SearchResponse = json(
        app.get(&format!("/api/search?q={q}"), Some(who)).await,
        StatusCode::OK,
    )
    .await;
    res.hits
        .iter()
        .map(|h| match &h.place {
            SearchHitPlace::Post { post_id, .. } => format!("post:{post_id}"),
            SearchHitPlace::Message { message_id, .. } => format!("message:{message_id}"),
        })
        .collect()
}

async fn audit_details(app: &TestApp, event: &str) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq(event))
        .all(&app.state.db)
        .await
        .expect("audit rows")
        .into_iter()
        .filter_map(|e| e.detail)
        .collect()
}

async fn login(app: &TestApp, who: &TestUser) -> reqwest::Response {
    app.post(
        "/api/auth/login",
        None,
        &Login {
            email: who.email.clone(),
            password: PASSWORD.into(),
            code: None,
        },
    )
    .await
}

async fn a_report_reaches_the_moderators_queue_with_its_copy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let admin = app.admin("Asha Patel").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut bob_ws = app.ws(&bob).await;
    let mut alice_ws = app.ws(&alice).await;
    let mut admin_ws = app.ws(&admin).await;
    let id = send(
        &mut bob_ws,
        room,
        "m1",
        "You are useless and everyone knows it",
    )
    .await;

    let report = file_report(
        &app,
        &alice,
        &report_message(id, ReportReason::Harassment, "He keeps doing this."),
    )
    .await;
    assert_eq!(
        next_open_count(&mut admin_ws).await,
        1,
        "the moderators hear of it"
    );
    alice_ws
        .expect_none(|m| matches!(m, ServerMsg::ReportsChanged { .. }), QUIET)
        .await;

    // The queue holds the copy, who reported it and why, and whose it is.
    let list: ListReportsResponse = json(
        app.get("/api/moderation/reports", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.open_count, 1);
    let [r] = list.reports.as_slice() else {
        panic!("one report: {list:?}")
    };
    assert_eq!(r.id, report);
    assert_eq!(r.status, ReportStatus::Open);
    assert_eq!(r.reason, ReportReason::Harassment);
    assert_eq!(r.detail, "He keeps doing this.");
    assert_eq!(r.reporter.as_ref().map(|u| u.id), Some(alice.id));
    assert_eq!(r.content.text, "You are useless and everyone knows it");
    assert_eq!(r.content.author.as_ref().map(|u| u.id), Some(bob.id));
    assert_eq!(
        (r.content.message_id, r.content.room_id),
        (Some(id), Some(room))
    );

    // The copy stays as reported when the author edits the message.
    bob_ws
        .send(&ClientMsg::Edit {
            message_id: id,
            body: "Sorry, that was unkind".into(),
        })
        .await;
    next_update(&mut bob_ws).await;
    let one: ReportView = json(
        app.get(&format!("/api/moderation/reports/{report}"), Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one.content.text, "You are useless and everyone knows it");

    // Reporting again while it is open gives the same report back.
    let again: ReportCreated = json(
        app.post(
            "/api/reports",
            Some(&alice),
            &report_message(id, ReportReason::Other, ""),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.id, report);
    assert_eq!(queue(&app, &admin, "open").await.reports.len(), 1);

    // Reading the copies is on the record.
    let reads = audit_details(&app, "sensitive_read").await;
    assert!(
        reads.contains(&"reports list (open)".to_owned()),
        "{reads:?}"
    );
    assert!(reads.contains(&format!("report {report}")), "{reads:?}");
}

async fn only_what_one_can_read_is_reportable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let carol = app.user("Carol Singh").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut bob_ws = app.ws(&bob).await;
    let id = send(&mut bob_ws, room, "m1", "A private word").await;

    // Carol is not in the room: the message does not exist for her.
    error(
        app.post(
            "/api/reports",
            Some(&carol),
            &report_message(id, ReportReason::Spam, ""),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Nor does a message that was never sent.
    error(
        app.post(
            "/api/reports",
            Some(&alice),
            &report_message(id + 1000, ReportReason::Spam, ""),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // One's own message is not for reporting.
    let e = error(
        app.post(
            "/api/reports",
            Some(&bob),
            &report_message(id, ReportReason::Spam, ""),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.message, "You cannot report your own message.");
    // Exactly one thing at a time.
    for (message_id, post_id) in [(None, None), (Some(id), Some(1))] {
        let req = CreateReport {
            message_id,
            post_id,
            reason: ReportReason::Other,
            detail: String::new(),
        };
        error(
            app.post("/api/reports", Some(&alice), &req).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    }
    // Details are bounded.
    let e = error(
        app.post(
            "/api/reports",
            Some(&alice),
            &report_message(id, ReportReason::Other, &"x".repeat(2001)),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("detail"));
    // A deleted message is gone for reports too.
    bob_ws.send(&ClientMsg::Delete { message_id: id }).await;
    next_update(&mut bob_ws).await;
    error(
        app.post(
            "/api/reports",
            Some(&alice),
            &report_message(id, ReportReason::Spam, ""),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Signed out: no reports at all.
    error(
        app.post(
            "/api/reports",
            None,
            &report_message(id, ReportReason::Spam, ""),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

async fn moderation_is_for_the_programme_team_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut bob_ws = app.ws(&bob).await;
    let id = send(&mut bob_ws, room, "m1", "Something to report").await;
    let report = file_report(&app, &alice, &report_message(id, ReportReason::Spam, "")).await;

    // One body serves every step (a suspension's days are optional).
    let body = because("Because", None);
    let posts = [
        format!("/api/moderation/reports/{report}/dismiss"),
        format!("/api/moderation/messages/{id}/hide"),
        format!("/api/moderation/messages/{id}/restore"),
        "/api/moderation/posts/1/hide".to_owned(),
        "/api/moderation/posts/1/restore".to_owned(),
        format!("/api/moderation/users/{}/warn", bob.id),
        format!("/api/moderation/users/{}/suspend", bob.id),
        format!("/api/moderation/users/{}/unsuspend", bob.id),
    ];
    let gets = [
        "/api/moderation/reports".to_owned(),
        "/api/moderation/reports?status=dismissed".to_owned(),
        format!("/api/moderation/reports/{report}"),
        format!("/api/moderation/users/{}", bob.id),
    ];
    // The reporter and the reported alike are refused, saying why.
    for who in [&alice, &bob] {
        for path in &gets {
            error(
                app.get(path, Some(who)).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        for path in &posts {
            error(
                app.post(path, Some(who), &body).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
    }
    // Signed out: not even that.
    error(
        app.get("/api/moderation/reports", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // Nothing happened: the message is as it was, bob can still sign in.
    let seen = history(&app, &alice, room).await;
    assert_eq!(seen[0].body, "Something to report");
    assert!(!seen[0].hidden);
    assert_eq!(login(&app, &bob).await.status(), StatusCode::OK);
    let reads = audit_details(&app, "sensitive_read").await;
    assert!(reads.is_empty(), "no copies were read: {reads:?}");
}

async fn a_dismissed_report_leaves_the_queue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let admin = app.admin("Asha Patel").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut bob_ws = app.ws(&bob).await;
    let first = send(&mut bob_ws, room, "m1", "Buy my course").await;
    let second = send(&mut bob_ws, room, "m2", "Only nine pounds").await;
    let older = file_report(&app, &alice, &report_message(first, ReportReason::Spam, "")).await;
    let newer = file_report(
        &app,
        &alice,
        &report_message(second, ReportReason::Spam, ""),
    )
    .await;

    // The open queue is oldest first.
    let open = queue(&app, &admin, "open").await;
    let ids: Vec<i64> = open.reports.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![older, newer]);

    let mut admin_ws = app.ws(&admin).await;
    let dismissed: ReportView = json(
        app.post(
            &format!("/api/moderation/reports/{older}/dismiss"),
            Some(&admin),
            &because("Not spam, a friend's joke", None),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dismissed.status, ReportStatus::Dismissed);
    assert_eq!(dismissed.resolved_by.as_ref().map(|u| u.id), Some(admin.id));
    assert!(dismissed.resolved_at.is_some());
    assert_eq!(next_open_count(&mut admin_ws).await, 1);

    let open = queue(&app, &admin, "open").await;
    assert_eq!(open.open_count, 1);
    assert_eq!(
        open.reports.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![newer]
    );
    let done = queue(&app, &admin, "dismissed").await;
    assert_eq!(
        done.reports.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![older]
    );
    // Once is enough; the content stayed as it was.
    error(
        app.post(
            &format!("/api/moderation/reports/{older}/dismiss"),
            Some(&admin),
            &because("", None),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    error(
        app.get("/api/moderation/reports/999999", Some(&admin))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(history(&app, &alice, room).await[0].body, "Buy my course");
    let history_of_bob: ModerationUserView = json(
        app.get(&format!("/api/moderation/users/{}", bob.id), Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history_of_bob.reports_against, 2);
    assert_eq!(history_of_bob.actions[0].action, "dismiss");
    assert!(
        audit_details(&app, "authz_admin")
            .await
            .contains(&format!("dismiss report {older}"))
    );
}

async fn a_hidden_message_is_a_tombstone_for_the_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let admin = app.admin("Asha Patel").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut alice_ws = app.ws(&alice).await;
    let mut bob_ws = app.ws(&bob).await;
    let mut admin_ws = app.ws(&admin).await;
    let id = send(
        &mut bob_ws,
        room,
        "m1",
        "Here is how to hurt yourself quietly",
    )
    .await;
    let quiet = send(&mut bob_ws, room, "m2", "And another thing entirely").await;

    // Nobody reported it: moderators have no way into the room.
    error(
        app.post(
            &format!("/api/moderation/messages/{quiet}/hide"),
            Some(&admin),
            &because("Looking around", None),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let report = file_report(&app, &alice, &report_message(id, ReportReason::Harmful, "")).await;
    assert_eq!(next_open_count(&mut admin_ws).await, 1);
    let hide = format!("/api/moderation/messages/{id}/hide");
    // A reason is required, and the report must be about this message.
    let e = error(
        app.post(&hide, Some(&admin), &because("  ", Some(report)))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    let other = send(&mut alice_ws, room, "m3", "Please stop").await;
    let other_report =
        file_report(&app, &bob, &report_message(other, ReportReason::Other, "")).await;
    assert_eq!(next_open_count(&mut admin_ws).await, 2);
    let e = error(
        app.post(&hide, Some(&admin), &because("Harmful", Some(other_report)))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("report_id"));

    // Alice's phone goes quiet before the moderator acts.
    let phone = app.ws(&alice).await;
    let away_since = phone.ready_at;
    drop(phone);
    let res = app
        .post(
            &hide,
            Some(&admin),
            &because("Describes self-harm methods", Some(report)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // The other member sees the tombstone at once, and in the history.
    let live = next_update(&mut alice_ws).await;
    assert_eq!((live.id, live.hidden, live.body.as_str()), (id, true, ""));
    let seen = history(&app, &alice, room).await;
    let stored = seen.iter().find(|m| m.id == id).expect("still in history");
    assert!(stored.hidden);
    assert_eq!(stored.body, "");
    assert_eq!(seen.len(), 3, "the other messages are untouched");
    // The phone learns of it when it resumes.
    let mut phone = app.ws(&alice).await;
    let last = seen.last().map(|m| m.seq).expect("messages");
    phone
        .send(&ClientMsg::Resume {
            room_id: room,
            after_seq: last,
            changes_since: Some(away_since),
        })
        .await;
    let replayed = phone
        .next_matching(|m| matches!(m, ServerMsg::MessageUpdated(_)))
        .await;
    assert!(
        matches!(&replayed, ServerMsg::MessageUpdated(m) if m.id == id && m.hidden && m.body.is_empty()),
        "{replayed:?}"
    );

    // The author is told why, live and in the list.
    let note = next_notification(&mut bob_ws).await;
    assert_eq!(note.kind, NotificationKind::Moderation);
    assert_eq!(
        note.excerpt,
        "A moderator hid your message: Describes self-harm methods"
    );
    let listed: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(&bob)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        listed
            .notifications
            .iter()
            .any(|n| n.kind == NotificationKind::Moderation)
    );
    // ...and cannot edit it back into view, or delete it.
    bob_ws
        .send(&ClientMsg::Edit {
            message_id: id,
            body: "Edited back".into(),
        })
        .await;
    let ServerMsg::Error { error: refused, .. } = bob_ws
        .next_matching(|m| matches!(m, ServerMsg::Error { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert_eq!(
        refused.message,
        "A moderator hid this message; it cannot be edited."
    );
    bob_ws.send(&ClientMsg::Delete { message_id: id }).await;
    let ServerMsg::Error { error: refused, .. } = bob_ws
        .next_matching(|m| matches!(m, ServerMsg::Error { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(refused.kind, ErrorKind::Conflict);
    // Search no longer finds it.
    assert!(search(&app, &alice, "quietly").await.is_empty());

    // The report is actioned; the queue holds only bob's report now.
    assert_eq!(next_open_count(&mut admin_ws).await, 1);
    let actioned = queue(&app, &admin, "actioned").await;
    let [r] = actioned.reports.as_slice() else {
        panic!("one actioned report: {actioned:?}")
    };
    assert_eq!(r.id, report);
    assert_eq!(
        r.content.hidden_reason.as_deref(),
        Some("Describes self-harm methods")
    );
    assert_eq!(r.content.text, "Here is how to hurt yourself quietly");

    // Restored: the body is back for the room and for search.
    let res = app
        .post(
            &format!("/api/moderation/messages/{id}/restore"),
            Some(&admin),
            &because("", None),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let live = next_update(&mut alice_ws).await;
    assert_eq!(
        (live.id, live.hidden, live.body.as_str()),
        (id, false, "Here is how to hurt yourself quietly")
    );
    let note = next_notification(&mut bob_ws).await;
    assert_eq!(note.excerpt, "A moderator restored your message.");
    assert_eq!(
        search(&app, &alice, "quietly").await,
        vec![format!("message:{id}")]
    );
    // Restoring what is not hidden says so.
    error(
        app.post(
            &format!("/api/moderation/messages/{id}/restore"),
            Some(&admin),
            &because("", None),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let steps = audit_details(&app, "authz_admin").await;
    assert!(
        steps.contains(&format!("hide message {id} (report {report})")),
        "{steps:?}"
    );
    assert!(
        steps.contains(&format!("restore message {id}")),
        "{steps:?}"
    );
    assert!(
        steps.iter().all(|s| !s.contains("hurt")),
        "the audit log never holds the content: {steps:?}"
    );
}

fn new_thread(body: &str) -> CreateThread {
    CreateThread {
        title: "Peer support groups".into(),
        body: body.into(),
        topics: vec![Topic::PartnershipsWithHealth],
        activity_types: vec![ActivityType::Arts],
        visibility: Visibility::Members,
        organisation_id: None,
    }
}

async fn a_hidden_post_is_gone_from_the_thread_and_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let carol = app.user("Carol Singh").await;
    let admin = app.admin("Asha Patel").await;
    let thread: ThreadResponse = json(
        app.post(
            "/api/threads",
            Some(&alice),
            &new_thread("How do you run a peer group?"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let thread_id = thread.thread.id;
    let reply: PostView = json(
        app.post(
            &format!("/api/threads/{thread_id}/posts"),
            Some(&bob),
            &CreatePost {
                body: "Call Jane Doe at 07700 900123, she lives on Mill Lane".into(),
                quote_post_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        search(&app, &carol, "Mill").await,
        vec![format!("post:{}", reply.id)]
    );
    let mut carol_ws = app.ws(&carol).await;
    carol_ws
        .send(&ClientMsg::WatchThread {
            thread_id,
            watching: true,
        })
        .await;
    let mut bob_ws = app.ws(&bob).await;
    // Let the watch land before acting.
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Carol reports it; the moderator hides it for that report.
    let report = file_report(&app, &carol, &report_post(reply.id)).await;
    let res = app
        .post(
            &format!("/api/moderation/posts/{}/hide", reply.id),
            Some(&admin),
            &because("Shares someone's address", Some(report)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // Those reading the thread see the tombstone at once, and on reload.
    let ServerMsg::ThreadPost { post } = carol_ws
        .next_matching(|m| matches!(m, ServerMsg::ThreadPost { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!((post.id, post.hidden), (reply.id, true));
    assert_eq!((post.body.as_str(), post.html.as_str()), ("", ""));
    let reread: ThreadResponse = json(
        app.get(&format!("/api/threads/{thread_id}"), Some(&carol))
            .await,
        StatusCode::OK,
    )
    .await;
    let shown = reread
        .posts
        .iter()
        .find(|p| p.id == reply.id)
        .expect("still in the thread");
    assert!(shown.hidden);
    assert!(!shown.html.contains("Mill"));
    // Search forgets it.
    assert!(search(&app, &carol, "Mill").await.is_empty());
    // The author is told, pointing at the post, and cannot edit it.
    let note = next_notification(&mut bob_ws).await;
    assert_eq!(note.kind, NotificationKind::Moderation);
    assert_eq!(note.post_id, Some(reply.id));
    assert_eq!(
        note.excerpt,
        "A moderator hid your post: Shares someone's address"
    );
    error(
        app.put(
            &format!("/api/posts/{}", reply.id),
            Some(&bob),
            &EditPost {
                body: "Call Jane Doe again".into(),
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Posts of threads the moderator can read may be hidden unreported;
    // restoring brings it back to the thread and to search.
    let res = app
        .post(
            &format!("/api/moderation/posts/{}/restore", reply.id),
            Some(&admin),
            &because("Agreed with Bob to remove the number instead", None),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let ServerMsg::ThreadPost { post } = carol_ws
        .next_matching(|m| matches!(m, ServerMsg::ThreadPost { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(!post.hidden);
    assert!(post.html.contains("Mill Lane"));
    assert_eq!(
        search(&app, &carol, "Mill").await,
        vec![format!("post:{}", reply.id)]
    );
    let opening = thread.posts[0].id;
    let res = app
        .post(
            &format!("/api/moderation/posts/{opening}/hide"),
            Some(&admin),
            &because("Off topic", None),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(search(&app, &carol, "peer").await.is_empty());
    // Editing the thread would rewrite the hidden opening post: refused.
    error(
        app.put(
            &format!("/api/threads/{thread_id}"),
            Some(&alice),
            &EditThread {
                title: "Peer support groups".into(),
                body: "Rewritten".into(),
                topics: vec![Topic::PartnershipsWithHealth],
                activity_types: vec![],
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    error(
        app.post(
            "/api/moderation/posts/999999/hide",
            Some(&admin),
            &because("Nothing", None),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let steps = audit_details(&app, "authz_admin").await;
    assert!(
        steps.contains(&format!("hide post {} (report {report})", reply.id)),
        "{steps:?}"
    );
}

async fn a_warning_reaches_the_person(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bob = app.user("Bob Carter").await;
    let admin = app.admin("Asha Patel").await;
    let mut bob_ws = app.ws(&bob).await;
    let warn = format!("/api/moderation/users/{}/warn", bob.id);
    error(
        app.post(&warn, Some(&admin), &because("", None)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let res = app
        .post(
            &warn,
            Some(&admin),
            &because("Please keep to the group's agreement", None),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let note = next_notification(&mut bob_ws).await;
    assert_eq!(note.kind, NotificationKind::Moderation);
    assert_eq!(
        note.excerpt,
        "A moderator warned you: Please keep to the group's agreement"
    );
    let standing: ModerationUserView = json(
        app.get(&format!("/api/moderation/users/{}", bob.id), Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(!standing.suspended);
    let [step] = standing.actions.as_slice() else {
        panic!("one step: {standing:?}")
    };
    assert_eq!(step.action, "warn");
    assert_eq!(step.reason, "Please keep to the group's agreement");
    assert_eq!(step.moderator.as_ref().map(|u| u.id), Some(admin.id));
    error(
        app.post(
            "/api/moderation/users/999999/warn",
            Some(&admin),
            &because("Nobody", None),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(
        audit_details(&app, "authz_admin")
            .await
            .contains(&format!("warn user {}", bob.id))
    );
}

async fn a_suspension_signs_the_person_out_until_lifted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Carter").await;
    let admin = app.admin("Asha Patel").await;
    let other_admin = app.admin("Omar Reyes").await;
    let room = app.direct_room(&alice, bob.id).await.id;
    let mut bob_ws = app.ws(&bob).await;
    let id = send(&mut bob_ws, room, "m1", "Abuse").await;
    let report = file_report(
        &app,
        &alice,
        &report_message(id, ReportReason::Harassment, ""),
    )
    .await;
    let suspend = |days, report_id| SuspendUser {
        reason: "Repeated abuse".into(),
        days,
        report_id,
    };

    // Not oneself, not another of the programme team, not for no days.
    for target in [&admin, &other_admin] {
        error(
            app.post(
                &format!("/api/moderation/users/{}/suspend", target.id),
                Some(&admin),
                &suspend(None, None),
            )
            .await,
            StatusCode::CONFLICT,
            "conflict",
        )
        .await;
    }
    let path = format!("/api/moderation/users/{}/suspend", bob.id);
    let e = error(
        app.post(&path, Some(&admin), &suspend(Some(0), None)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("days"));
    error(
        app.post(
            "/api/moderation/users/999999/suspend",
            Some(&admin),
            &suspend(None, None),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get("/api/me", Some(&bob)).await.status(),
        StatusCode::OK,
        "nothing happened yet"
    );

    let res = app
        .post(&path, Some(&admin), &suspend(Some(7), Some(report)))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The open socket closes at once, with the signed-out code.
    let frame = bob_ws.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001);
    // The cookie is dead, and signing in again is refused, saying why.
    error(
        app.get("/api/me", Some(&bob)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    error(login(&app, &bob).await, StatusCode::FORBIDDEN, "suspended").await;
    let standing: ModerationUserView = json(
        app.get(&format!("/api/moderation/users/{}", bob.id), Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(standing.suspended);
    assert_eq!(
        standing.suspension_reason.as_deref(),
        Some("Repeated abuse")
    );
    assert!(standing.suspended_until.is_some());
    assert_eq!(standing.actions[0].action, "suspend");
    let actioned = queue(&app, &admin, "actioned").await;
    assert_eq!(actioned.reports.len(), 1);
    assert!(actioned.reports[0].content.author_suspended);

    // Lifted: bob signs in again.
    let res = app
        .post(
            &format!("/api/moderation/users/{}/unsuspend", bob.id),
            Some(&admin),
            &because("", None),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(login(&app, &bob).await.status(), StatusCode::OK);
    let standing: ModerationUserView = json(
        app.get(&format!("/api/moderation/users/{}", bob.id), Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(!standing.suspended);
    assert_eq!(
        standing
            .actions
            .iter()
            .map(|a| a.action.as_str())
            .collect::<Vec<_>>(),
        vec!["unsuspend", "suspend"]
    );
    let steps = audit_details(&app, "authz_admin").await;
    assert!(
        steps.contains(&format!(
            "suspend user {} for 7 days (report {report})",
            bob.id
        )),
        "{steps:?}"
    );
    assert!(
        steps.contains(&format!("unsuspend user {}", bob.id)),
        "{steps:?}"
    );
}
