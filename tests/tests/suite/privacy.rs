//! One's own personal data through the real server on both databases: the
//! export holds every section of the person's data and nothing of anyone
//! else's (searched for in the raw JSON); erasure needs the password, ends
//! every session and socket at once, leaves tombstones that others still
//! see in place (`Deleted account`), removes the words from search, keeps
//! the safeguarding record and others' replies, ends the mentorships it can
//! without losing the organisation's records, and is audited; the last
//! admin cannot erase themself; without a session nothing answers.

use chrono::Utc;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::{audit_event, message_edit, session_note};
use shared::api::audit::ListAuditResponse;
use shared::api::concerns::{ConcernPriority, ConcernView, RaiseConcern};
use shared::api::mentorships::{
    CreateGoal, CreateSessionNote, ListGoalsResponse, ListSessionNotesResponse, MentorshipView,
};
use shared::api::moderation::{CreateReport, ModerationReason, ReportReason};
use shared::api::notifications::ListNotificationsResponse;
use shared::api::privacy::{EraseAccount, PersonalDataExport};
use shared::api::rooms::ListMessagesResponse;
use shared::api::search::SearchResponse;
use shared::api::threads::{
    CreatePost, CreateThread, PostView, SetFollow, SetHelpful, ThreadResponse, Visibility,
};
use shared::taxonomy::{ActivityType, Depth, LifecycleAction, MentorshipStatus, Priority, Topic};
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::programme::mentor_profile;
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, WsClient, error, json};

both!(
    the_export_holds_every_section_and_nothing_of_anyone_else,
    erasure_needs_the_password_and_leaves_tombstones_in_place,
    an_erased_mentor_ends_their_mentorships_and_the_records_stay,
    the_last_admin_cannot_erase_themself,
    without_a_session_nothing_is_exported_or_erased,
);

/// Send `body` in `room` and wait for its ack; the stored message id.
async fn send(ws: &mut WsClient, room: i64, id: &str, body: &str) -> i64 {
    ws.send_text(room, id, body).await;
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { client_msg_id, .. } if client_msg_id == id))
        .await
    {
        ServerMsg::Ack { id, .. } => id,
        _ => unreachable!(),
    }
}

/// Edit one's own message and wait until the room hears of it.
async fn edit(ws: &mut WsClient, message_id: i64, body: &str) {
    ws.send(&ClientMsg::Edit {
        message_id,
        body: body.into(),
    })
    .await;
    ws.next_matching(|m| matches!(m, ServerMsg::MessageUpdated(v) if v.id == message_id))
        .await;
}

fn thread_body(title: &str, body: &str) -> CreateThread {
    CreateThread {
        title: title.into(),
        body: body.into(),
        topics: vec![Topic::Safeguarding],
        activity_types: vec![ActivityType::Arts],
        visibility: Visibility::Members,
        organisation_id: None,
    }
}

async fn open_thread(app: &TestApp, who: &TestUser, title: &str, body: &str) -> ThreadResponse {
    json(
        app.post("/api/threads", Some(who), &thread_body(title, body))
            .await,
        StatusCode::CREATED,
    )
    .await
}

async fn reply(app: &TestApp, who: &TestUser, thread: i64, body: &str) -> PostView {
    json(
        app.post(
            &format!("/api/threads/{thread}/posts"),
            Some(who),
            &CreatePost {
                body: body.into(),
                quote_post_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn search(app: &TestApp, who: &TestUser, words: &str) -> SearchResponse {
    json(
        app.get(&format!("/api/search?q={words}"), Some(who)).await,
        StatusCode::OK,
    )
    .await
}

async fn raise(app: &TestApp, who: &TestUser, org: i64, what: &str) -> ConcernView {
    json(
        app.post(
            "/api/concerns",
            Some(who),
            &RaiseConcern {
                organisation_id: Some(org),
                priority: ConcernPriority::Concern,
                at_risk: "A regular at the Tuesday group".into(),
                what_happened: what.into(),
                message_id: None,
                post_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

/// `DELETE /api/me` with `password`.
async fn erase(app: &TestApp, who: Option<&TestUser>, password: &str) -> reqwest::Response {
    app.request(Method::DELETE, "/api/me", who)
        .header(CONTENT_TYPE, "application/json")
        .json(&EraseAccount {
            password: password.into(),
        })
        .send()
        .await
        .expect("DELETE /api/me")
}

/// The export's raw text and its parsed form, after checking the download headers.
async fn export(app: &TestApp, who: &TestUser) -> (String, PersonalDataExport) {
    let res = app.get("/api/me/export", Some(who)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res.headers()[CONTENT_TYPE].to_str().expect("ascii");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let disposition = res.headers()[CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let text = res.text().await.expect("body");
    let parsed: PersonalDataExport =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad export ({e}): {text}"));
    // The day in the name is the export's own (which may be just after midnight).
    let day = parsed.exported_at.format("%Y-%m-%d");
    assert_eq!(
        disposition,
        format!("attachment; filename=\"my-data-{day}.json\"")
    );
    assert!((Utc::now() - parsed.exported_at).num_minutes() < 5);
    (text, parsed)
}

async fn history(app: &TestApp, who: &TestUser, room: i64) -> ListMessagesResponse {
    json(
        app.get(&format!("/api/rooms/{room}/messages"), Some(who))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn the_export_holds_every_section_and_nothing_of_anyone_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Asha Patel").await;
    let nadia = app.user("Nadia Okafor").await;
    let bob = app.user("Bob Teague").await;
    let carol = app.user("Carol Finch").await;
    // Logged in twice more: three sessions, two log-ins in the audit log.
    app.log_in(&nadia.email, PASSWORD).await;
    let nadia = TestUser {
        cookie: app.log_in(&nadia.email, PASSWORD).await.cookie,
        ..nadia
    };
    let harbour = app
        .approved_organisation(
            &admin,
            &nadia,
            "Harbour Arts",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    app.apply_to_mentor(
        &nadia,
        &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
    )
    .await;

    // A conversation: her message (edited once) and Bob's private one.
    let room = app.direct_room(&nadia, bob.id).await;
    let mut nadia_ws = app.ws(&nadia).await;
    let mut bob_ws = app.ws(&bob).await;
    let mine = send(&mut nadia_ws, room.id, "n-1", "First draft quagga").await;
    edit(&mut nadia_ws, mine, "Planted zebracorn reply").await;
    let bobs = send(&mut bob_ws, room.id, "b-1", "Bob private okapisecret").await;

    // A thread of hers, a reply of hers in Carol's, a mark, two follows.
    let own = open_thread(
        &app,
        &nadia,
        "Planted walrus title",
        "Our walrusbody policy",
    )
    .await;
    let carols = open_thread(&app, &carol, "Carol asks", "Carol's question").await;
    let her_reply = reply(&app, &nadia, carols.thread.id, "Nadia answers narwhalreply").await;
    let carol_post = carols.posts[0].id;
    let res = app
        .put(
            &format!("/api/posts/{carol_post}/helpful"),
            Some(&nadia),
            &SetHelpful { helpful: true },
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .put(
            "/api/topics/safeguarding/follow",
            Some(&nadia),
            &SetFollow { following: true },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // A concern she raised, a report she made, a warning about her.
    let concern = raise(&app, &nadia, harbour.id, "Planted concern pangolin").await;
    let res = app
        .post(
            "/api/reports",
            Some(&nadia),
            &CreateReport {
                message_id: Some(bobs),
                post_id: None,
                reason: ReportReason::Other,
                detail: "Planted report detail".into(),
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post(
            &format!("/api/moderation/users/{}/warn", nadia.id),
            Some(&admin),
            &ModerationReason {
                reason: "Planted warning ibex".into(),
                report_id: None,
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let (text, data) = export(&app, &nadia).await;
    assert_eq!(data.format_version, 1);
    assert_eq!(data.account.id, nadia.id);
    assert_eq!(data.account.email, nadia.email);
    assert_eq!(data.account.display_name, "Nadia Okafor");
    assert!(data.account.read_receipts && !data.account.is_admin);
    assert_eq!(data.sessions.len(), 3, "{:?}", data.sessions);
    let [org] = data.organisations.as_slice() else {
        panic!("{:?}", data.organisations)
    };
    assert_eq!(
        (org.id, org.name.as_str(), org.is_lead),
        (harbour.id, "Harbour Arts", true)
    );
    let profile = data
        .mentor_profile
        .as_ref()
        .expect("her mentor application");
    assert_eq!(profile.status, "pending");
    assert_eq!(profile.expertise.len(), 1);
    assert!(
        data.rooms
            .iter()
            .any(|r| r.id == room.id && r.kind == "direct")
    );
    let [message] = data.messages.as_slice() else {
        panic!("only her own message: {:?}", data.messages)
    };
    assert_eq!(
        (message.id, message.room_id, message.body.as_str()),
        (mine, room.id, "Planted zebracorn reply")
    );
    assert_eq!(message.edits.len(), 1);
    assert_eq!(message.edits[0].previous_body, "First draft quagga");
    assert_eq!(data.posts.len(), 2, "{:?}", data.posts);
    let opening = data.posts.iter().find(|p| p.opening).expect("her thread");
    assert_eq!(opening.thread_id, own.thread.id);
    assert_eq!(opening.thread_title, "Planted walrus title");
    assert_eq!(opening.body, "Our walrusbody policy");
    assert!(
        data.posts
            .iter()
            .any(|p| p.id == her_reply.id && p.thread_title == "Carol asks")
    );
    let followed: Vec<i64> = data.followed_threads.iter().map(|t| t.id).collect();
    assert!(followed.contains(&own.thread.id), "{followed:?}");
    assert_eq!(data.followed_topics, ["safeguarding"]);
    assert_eq!(data.helpful_marks.len(), 1);
    assert_eq!(data.helpful_marks[0].post_id, carol_post);
    assert!(
        data.notifications.iter().any(
            |n| n.kind == "moderation" && n.text.as_deref().is_some_and(|t| t.contains("ibex"))
        ),
        "{:?}",
        data.notifications
    );
    let [raised] = data.concerns_raised.as_slice() else {
        panic!("{:?}", data.concerns_raised)
    };
    assert_eq!(raised.id, concern.summary.id);
    assert_eq!(raised.what_happened, "Planted concern pangolin");
    assert!(
        raised
            .history
            .iter()
            .any(|h| h.action == "raised" && h.by_you)
    );
    let [report] = data.reports_made.as_slice() else {
        panic!("{:?}", data.reports_made)
    };
    assert_eq!(
        (report.message_id, report.detail.as_str()),
        (Some(bobs), "Planted report detail")
    );
    assert!(
        data.moderation_actions
            .iter()
            .any(|a| a.action == "warn" && a.reason == "Planted warning ibex")
    );
    let logins = data
        .audit_events
        .iter()
        .filter(|a| a.event == "authn_login_success" && a.about_you)
        .count();
    assert_eq!(logins, 2);
    assert!(data.audit_events.iter().all(|a| a.by_you || a.about_you));
    // Every section is in the file, empty or not.
    let raw: serde_json::Value = serde_json::from_str(&text).expect("json");
    for key in [
        "format_version",
        "exported_at",
        "account",
        "sessions",
        "organisations",
        "coordinator_of",
        "mentor_profile",
        "mentorships",
        "rooms",
        "messages",
        "posts",
        "followed_threads",
        "followed_topics",
        "helpful_marks",
        "notifications",
        "concerns_raised",
        "reports_made",
        "moderation_actions",
        "glossary_suggestions",
        "coop_records",
        "coop_events",
        "audit_events",
    ] {
        assert!(raw.get(key).is_some(), "no {key} in the export");
    }

    // Nothing of anyone else: not Bob's message (though she reported it),
    // not his earlier words, nobody else's address.
    for planted in ["okapisecret", &bob.email, &carol.email, &admin.email] {
        assert!(!text.contains(planted), "the export holds {planted}");
    }
    // Bob's export holds his message and none of hers.
    let (bobs_text, _) = export(&app, &bob).await;
    assert!(bobs_text.contains("okapisecret"));
    for planted in ["zebracorn", "quagga", "walrusbody", &nadia.email] {
        assert!(!bobs_text.contains(planted), "Bob's export holds {planted}");
    }
}

async fn erasure_needs_the_password_and_leaves_tombstones_in_place(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Asha Patel").await;
    let lead = app.user("Lowen Tremayne").await;
    let nadia = app.user("Nadia Okafor").await;
    let bob = app.user("Bob Teague").await;
    let harbour = app
        .approved_organisation(
            &admin,
            &lead,
            "Harbour Arts",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    app.join_staff(&lead, harbour.id, &nadia).await;

    let room = app.direct_room(&nadia, bob.id).await;
    let mut nadia_ws = app.ws(&nadia).await;
    let mut bob_ws = app.ws(&bob).await;
    let first = send(
        &mut nadia_ws,
        room.id,
        "n-1",
        "Draft of the erasable zebraword",
    )
    .await;
    edit(&mut nadia_ws, first, "The erasable zebraword, edited").await;
    let second = send(&mut nadia_ws, room.id, "n-2", "Another line from Nadia").await;
    let bobs = send(&mut bob_ws, room.id, "b-1", "Bob stays here").await;

    let kept = open_thread(
        &app,
        &nadia,
        "A thread others answered",
        "Our walrusword policy",
    )
    .await;
    let bobs_reply = reply(&app, &bob, kept.thread.id, "Bob's useful reply").await;
    let lonely = open_thread(&app, &nadia, "Nobody answered this", "A lonely yakword").await;
    assert!(!search(&app, &bob, "walrusword").await.hits.is_empty());
    assert!(!search(&app, &bob, "zebraword").await.hits.is_empty());
    let concern = raise(
        &app,
        &nadia,
        harbour.id,
        "Someone at the group seemed at risk",
    )
    .await;

    let her_messages = [first, second];
    let edits_before = message_edit::Entity::find()
        .filter(message_edit::Column::MessageId.is_in(her_messages))
        .all(&app.state.db)
        .await
        .expect("read edits");
    assert_eq!(edits_before.len(), 1, "the edit left a row");

    // A wrong password changes nothing, and counts as a failed log-in.
    error(
        erase(&app, Some(&nadia), "not my password at all").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.get("/api/me", Some(&nadia)).await.status(),
        StatusCode::OK
    );
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("authn_login_fail"))
        .filter(audit_event::Column::SubjectId.eq(nadia.id))
        .all(&app.state.db)
        .await
        .expect("read audit");
    assert_eq!(failures.len(), 1);
    let still = history(&app, &bob, room.id).await;
    assert!(
        still
            .messages
            .iter()
            .any(|m| m.id == first && m.body == "The erasable zebraword, edited")
    );
    nadia_ws.send(&ClientMsg::Ping).await;
    assert_eq!(
        nadia_ws
            .next_matching(|m| matches!(m, ServerMsg::Pong))
            .await,
        ServerMsg::Pong
    );

    // The right one erases.
    let res = erase(&app, Some(&nadia), PASSWORD).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // Her socket is closed with the signed-out code, her cookie is dead,
    // and she (or anyone) cannot log in as her.
    let frame = nadia_ws.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001);
    error(
        app.get("/api/me", Some(&nadia)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    for email in [
        nadia.email.clone(),
        format!("deleted-{}@deleted.invalid", nadia.id),
    ] {
        error(
            app.post(
                "/api/auth/login",
                None,
                &serde_json::json!({ "email": email, "password": PASSWORD }),
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }

    // Bob is told to reload the room, and sees her messages as tombstones
    // in place, by `Deleted account`; his own is untouched.
    bob_ws
        .next_matching(|m| matches!(m, ServerMsg::Resync { room_id, .. } if *room_id == room.id))
        .await;
    let after = history(&app, &bob, room.id).await.messages;
    assert_eq!(after.len(), 3, "seqs stay whole: {after:?}");
    for m in after.iter().filter(|m| her_messages.contains(&m.id)) {
        assert!(m.deleted && m.body.is_empty(), "{m:?}");
        assert_eq!(m.author_name, "Deleted account");
    }
    let his = after.iter().find(|m| m.id == bobs).expect("his message");
    assert_eq!((his.body.as_str(), his.deleted), ("Bob stays here", false));
    // Her earlier bodies are gone from the database too.
    let edits_after = message_edit::Entity::find()
        .filter(message_edit::Column::MessageId.is_in(her_messages))
        .all(&app.state.db)
        .await
        .expect("read edits");
    assert!(edits_after.is_empty(), "{edits_after:?}");

    // Search finds none of her words.
    for word in ["walrusword", "zebraword", "yakword"] {
        let found = search(&app, &bob, word).await;
        assert!(found.hits.is_empty(), "{word}: {:?}", found.hits);
    }
    // The thread others answered stays with their reply; hers is gone.
    let t: ThreadResponse = json(
        app.get(&format!("/api/threads/{}", kept.thread.id), Some(&bob))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t.thread.title, "A thread others answered");
    assert_eq!(t.thread.author.display_name, "Deleted account");
    let opening = t.posts.iter().find(|p| p.opening).expect("opening post");
    assert!(opening.deleted && opening.body.is_empty());
    let reply = t
        .posts
        .iter()
        .find(|p| p.id == bobs_reply.id)
        .expect("Bob's reply");
    assert_eq!(reply.body, "Bob's useful reply");
    error(
        app.get(&format!("/api/threads/{}", lonely.thread.id), Some(&bob))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The safeguarding record stays readable by its handlers.
    for handler in [&lead, &admin] {
        let kept: ConcernView = json(
            app.get(
                &format!("/api/concerns/{}", concern.summary.id),
                Some(handler),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(kept.summary.raised_by.display_name, "Deleted account");
        assert_eq!(kept.what_happened, "Someone at the group seemed at risk");
    }

    // The audit log records it, naming the account id only.
    let log: ListAuditResponse = json(
        app.get("/api/admin/audit?event=user_deleted", Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    let [entry] = log.entries.as_slice() else {
        panic!("{:?}", log.entries)
    };
    assert_eq!(entry.subject.as_ref().map(|s| s.id), Some(nadia.id));
    assert_eq!(entry.actor.as_ref().map(|s| s.id), Some(nadia.id));
    assert!(entry.detail.is_none());
}

async fn an_erased_mentor_ends_their_mentorships_and_the_records_stay(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Asha Patel").await;
    let lead = app.user("Lowen Tremayne").await;
    let nadia = app.user("Nadia Okafor").await;
    let harbour = app
        .approved_organisation(
            &admin,
            &lead,
            "Harbour Arts",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    app.apply_to_mentor(
        &nadia,
        &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
    )
    .await;
    app.approve_mentor(&admin, nadia.id).await;
    let m = app.propose(&admin, harbour.id, nadia.id).await;
    let res = app.step(&nadia, m.id, LifecycleAction::Accept, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("/api/mentorships/{}/goals", m.id),
            Some(&lead),
            &CreateGoal {
                title: "A safeguarding policy the trustees sign".into(),
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let note = |summary: &str| CreateSessionNote {
        session_date: Utc::now().date_naive(),
        summary: summary.into(),
        next_steps: "Draft it".into(),
    };
    for (who, summary) in [
        (&nadia, "Mentor's own notes on tapirword"),
        (&lead, "The lead's notes"),
    ] {
        let res = app
            .post(
                &format!("/api/mentorships/{}/notes", m.id),
                Some(who),
                &note(summary),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let (_, data) = export(&app, &nadia).await;
    let [mine] = data.mentorships.as_slice() else {
        panic!("{:?}", data.mentorships)
    };
    assert_eq!(
        (mine.role.as_str(), mine.status.as_str()),
        ("mentor", "active")
    );
    assert_eq!(mine.goals.len(), 1);
    assert_eq!(mine.session_notes.len(), 2);
    assert_eq!(mine.session_notes.iter().filter(|n| n.by_you).count(), 1);

    let mut lead_ws = app.ws(&lead).await;
    let res = erase(&app, Some(&nadia), PASSWORD).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    lead_ws
        .next_matching(
            |msg| matches!(msg, ServerMsg::MentorshipChanged { mentorship_id } if *mentorship_id == m.id),
        )
        .await;

    // Withdrawn by the lifecycle, on the record, with the reason.
    let view: MentorshipView = json(
        app.get(&format!("/api/mentorships/{}", m.id), Some(&lead))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(view.status, MentorshipStatus::Withdrawn);
    assert_eq!(view.mentor.display_name, "Deleted account");
    let last = view.history.last().expect("history");
    assert_eq!(
        last.reason.as_deref(),
        Some("The mentor's account was deleted.")
    );
    // The organisation's goal and notes stay; hers is emptied.
    let goals: ListGoalsResponse = json(
        app.get(&format!("/api/mentorships/{}/goals", m.id), Some(&lead))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(goals.goals.len(), 1);
    let notes: ListSessionNotesResponse = json(
        app.get(&format!("/api/mentorships/{}/notes", m.id), Some(&lead))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(notes.notes.len(), 2);
    assert!(notes.notes.iter().any(|n| n.summary == "The lead's notes"));
    let stored = session_note::Entity::find()
        .filter(session_note::Column::AuthorId.eq(nadia.id))
        .all(&app.state.db)
        .await
        .expect("read notes");
    assert!(
        stored
            .iter()
            .all(|n| n.summary.is_empty() && n.next_steps.is_empty()),
        "{stored:?}"
    );
    // The lead was told, without her name.
    let told: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(&lead)).await,
        StatusCode::OK,
    )
    .await;
    let ending = told
        .notifications
        .iter()
        .find(|n| n.mentorship_id == Some(m.id) && n.excerpt.contains("account was deleted"))
        .expect("the lead hears of it");
    assert_eq!(ending.actor.display_name, "Deleted account");
    assert!(
        told.notifications
            .iter()
            .all(|n| !n.excerpt.contains("Nadia Okafor")),
        "{:?}",
        told.notifications
    );
    // She is in no directory any more.
    error(
        app.get(&format!("/api/mentors/{}", nadia.id), Some(&lead))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn the_last_admin_cannot_erase_themself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let asha = app.admin("Asha Patel").await;
    error(
        erase(&app, Some(&asha), PASSWORD).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(
        app.get("/api/me", Some(&asha)).await.status(),
        StatusCode::OK
    );
    // With a second admin, she can.
    let ben = app.admin("Ben Cole").await;
    assert_eq!(
        erase(&app, Some(&asha), PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    // And Ben, now the last one, cannot.
    error(
        erase(&app, Some(&ben), PASSWORD).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

async fn without_a_session_nothing_is_exported_or_erased(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let nadia = app.user("Nadia Okafor").await;
    error(
        app.get("/api/me/export", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    error(
        erase(&app, None, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // Someone else's cookie exports their own data, never hers: there is
    // no id to change.
    let other = app.user("Sam Stranger").await;
    let (text, data) = export(&app, &other).await;
    assert_eq!(data.account.id, other.id);
    assert!(!text.contains(&nadia.email));
    assert_eq!(
        app.get("/api/me", Some(&nadia)).await.status(),
        StatusCode::OK
    );
}
