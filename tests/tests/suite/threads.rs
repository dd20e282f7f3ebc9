//! Practice threads, search and the glossary through the real API and
//! websocket on both databases: the thread's life (replies, quotes, marks,
//! answer, pin, lock, close), live updates to watchers only, follows and
//! their notifications, search that never leaks what the searcher cannot
//! read and follows edits and deletes, and the glossary's suggestions.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use shared::api::glossary::{DecideTerm, GlossaryResponse, GlossaryTerm, SuggestTerm};
use shared::api::notifications::{ListNotificationsResponse, NotificationKind};
use shared::api::search::{SearchHitPlace, SearchResponse};
use shared::api::threads::{
    CreatePost, CreateThread, EditPost, EditThread, HelpfulResponse, ListThreadsResponse,
    MarkThreadRead, PostView, PreviewMarkdown, PreviewResponse, SetAnswer, SetFollow, SetHelpful,
    SetThreadState, ThreadResponse, Visibility,
};
use shared::taxonomy::{ActivityType, ApprovalStatus, Topic};
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::{Backend, TestApp, TestUser, error, json};

both!(
    a_thread_lives_through_replies_marks_answer_and_state,
    posts_are_sanitised_markdown_with_glossary_terms_explained,
    replies_edits_and_marks_reach_watchers_and_nobody_else,
    following_a_thread_or_topic_notifies_of_new_activity,
    search_finds_only_what_the_searcher_may_read,
    search_follows_edits_and_deletes,
    cooperative_threads_stay_inside_their_cooperative,
    glossary_suggestions_wait_for_the_programme_team,
    signed_out_callers_are_refused_everywhere,
);

fn new_thread(title: &str, body: &str, topics: &[Topic]) -> CreateThread {
    CreateThread {
        title: title.into(),
        body: body.into(),
        topics: topics.to_vec(),
        activity_types: vec![ActivityType::Arts],
        visibility: Visibility::Members,
        organisation_id: None,
    }
}

async fn create(app: &TestApp, who: &TestUser, req: &CreateThread) -> ThreadResponse {
    json(
        app.post("/api/threads", Some(who), req).await,
        StatusCode::CREATED,
    )
    .await
}

async fn reply(
    app: &TestApp,
    who: &TestUser,
    thread: i64,
    body: &str,
    quote: Option<i64>,
) -> PostView {
    json(
        app.post(
            &format!("/api/threads/{thread}/posts"),
            Some(who),
            &CreatePost {
                body: body.into(),
                quote_post_id: quote,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn thread(app: &TestApp, who: &TestUser, id: i64) -> ThreadResponse {
    json(
        app.get(&format!("/api/threads/{id}"), Some(who)).await,
        StatusCode::OK,
    )
    .await
}

async fn list(app: &TestApp, who: &TestUser, topic: Option<Topic>) -> ListThreadsResponse {
    let path = match topic {
        Some(t) => format!("/api/threads?topic={}", t.slug()),
        None => "/api/threads".to_owned(),
    };
    json(app.get(&path, Some(who)).await, StatusCode::OK).await
}

async fn search(app: &TestApp, who: &TestUser, query: &str) -> SearchResponse {
    json(
        app.get(&format!("/api/search?{query}"), Some(who)).await,
        StatusCode::OK,
    )
    .await
}

/// The places of the hits, as `post:ID` / `message:ID`.
fn places(r: &SearchResponse) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| match &h.place {
            SearchHitPlace::Post { post_id, .. } => format!("post:{post_id}"),
            SearchHitPlace::Message { message_id, .. } => format!("message:{message_id}"),
        })
        .collect()
}

async fn delete(app: &TestApp, path: &str, who: &TestUser) -> reqwest::Response {
    // As the app does: a write carries a JSON body (the CSRF guard wants one).
    app.request(Method::DELETE, path, Some(who))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("DELETE")
}

async fn a_thread_lives_through_replies_marks_answer_and_state(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let admin = app.admin("Asha Patel").await;

    // Bad input is refused with the field named.
    let mut bad = new_thread("  ", "Body", &[Topic::Safeguarding]);
    let e = error(
        app.post("/api/threads", Some(&alice), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("title"));
    bad = new_thread("Title", "Body", &[]);
    let e = error(
        app.post("/api/threads", Some(&alice), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("topics"));

    let t = create(
        &app,
        &alice,
        &new_thread(
            "How do you supervise volunteers?",
            "We have **twelve** volunteers and one paid coordinator.",
            &[Topic::TrainingAndSupervision, Topic::BoundariesAndWellbeing],
        ),
    )
    .await;
    let id = t.thread.id;
    assert_eq!(t.posts.len(), 1);
    assert!(t.posts[0].opening);
    assert!(t.posts[0].html.contains("<strong>twelve</strong>"));
    assert!(t.can.moderate && t.can.reply);
    assert!(t.thread.following, "the author follows their thread");

    // Listed under its topics and not others; new to Bob, not to Alice.
    let under = list(&app, &bob, Some(Topic::TrainingAndSupervision)).await;
    assert_eq!(under.threads.len(), 1);
    assert_eq!(under.threads[0].unread_count, 1);
    assert!(
        list(&app, &bob, Some(Topic::Safeguarding))
            .await
            .threads
            .is_empty()
    );
    assert_eq!(list(&app, &alice, None).await.threads[0].unread_count, 0);
    let e = error(
        app.get("/api/threads?topic=knitting", Some(&bob)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("topic"));

    // Bob replies quoting the opening post; Alice now has one unread.
    let opening = t.posts[0].id;
    let r = reply(
        &app,
        &bob,
        id,
        "Monthly group supervision works for us.",
        Some(opening),
    )
    .await;
    let quote = r.quote.as_ref().expect("quote");
    assert_eq!(quote.post_id, opening);
    assert!(quote.excerpt.starts_with("We have twelve volunteers"));
    assert_eq!(list(&app, &alice, None).await.threads[0].unread_count, 1);
    assert_eq!(list(&app, &alice, None).await.threads[0].reply_count, 1);
    let res = app
        .post(
            &format!("/api/threads/{id}/read"),
            Some(&alice),
            &MarkThreadRead { post_id: r.id },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(list(&app, &alice, None).await.threads[0].unread_count, 0);

    // "This helped me": counted once per person, never for one's own post.
    for _ in 0..2 {
        let h: HelpfulResponse = json(
            app.put(
                &format!("/api/posts/{}/helpful", r.id),
                Some(&alice),
                &SetHelpful { helpful: true },
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(h.helpful_count, 1);
    }
    error(
        app.put(
            &format!("/api/posts/{}/helpful", r.id),
            Some(&bob),
            &SetHelpful { helpful: true },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let seen = thread(&app, &alice, id).await;
    assert_eq!(seen.helped, [r.id]);
    assert_eq!(seen.posts[1].helpful_count, 1);

    // Only the author (or an admin) marks the answer, pins, locks, closes.
    assert!(!thread(&app, &bob, id).await.can.moderate);
    error(
        app.put(
            &format!("/api/threads/{id}/answer"),
            Some(&bob),
            &SetAnswer {
                post_id: Some(r.id),
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.put(
            &format!("/api/threads/{id}/answer"),
            Some(&alice),
            &SetAnswer {
                post_id: Some(opening),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let answered: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/answer"),
            Some(&alice),
            &SetAnswer {
                post_id: Some(r.id),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(answered.thread.answer_post_id, Some(r.id));
    error(
        app.put(
            &format!("/api/threads/{id}/state"),
            Some(&bob),
            &SetThreadState {
                pinned: Some(true),
                ..Default::default()
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // A newer thread lists first until the older one is pinned (by an admin).
    let newer = create(
        &app,
        &bob,
        &new_thread("Newer", "Text", &[Topic::Safeguarding]),
    )
    .await;
    assert_eq!(list(&app, &bob, None).await.threads[0].id, newer.thread.id);
    let pinned: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/state"),
            Some(&admin),
            &SetThreadState {
                pinned: Some(true),
                ..Default::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(pinned.thread.pinned);
    assert_eq!(list(&app, &bob, None).await.threads[0].id, id);

    // Closed: no replies until reopened. Locked: no edits either.
    let closed: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/state"),
            Some(&alice),
            &SetThreadState {
                closed: Some(true),
                ..Default::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(closed.thread.closed && !closed.can.reply);
    let no = CreatePost {
        body: "One more".into(),
        quote_post_id: None,
    };
    error(
        app.post(&format!("/api/threads/{id}/posts"), Some(&bob), &no)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let _: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/state"),
            Some(&alice),
            &SetThreadState {
                closed: Some(false),
                locked: Some(true),
                ..Default::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    error(
        app.post(&format!("/api/threads/{id}/posts"), Some(&bob), &no)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    error(
        app.put(
            &format!("/api/posts/{}", r.id),
            Some(&bob),
            &EditPost {
                body: "Changed".into(),
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let _: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/state"),
            Some(&alice),
            &SetThreadState {
                locked: Some(false),
                ..Default::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;

    // Only one's own posts are edited or deleted; a deleted answer stops being it.
    error(
        app.put(
            &format!("/api/posts/{}", r.id),
            Some(&alice),
            &EditPost {
                body: "Mine now".into(),
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let edited: PostView = json(
        app.put(
            &format!("/api/posts/{}", r.id),
            Some(&bob),
            &EditPost {
                body: "Fortnightly *group* supervision.".into(),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(edited.edited_at.is_some() && edited.html.contains("<em>group</em>"));
    let gone: PostView = json(
        delete(&app, &format!("/api/posts/{}", r.id), &bob).await,
        StatusCode::OK,
    )
    .await;
    assert!(gone.deleted && gone.body.is_empty() && gone.html.is_empty());
    let after = thread(&app, &alice, id).await;
    assert_eq!(after.thread.answer_post_id, None);
    assert_eq!(after.thread.reply_count, 0);

    // The author edits the title and topics with the opening post.
    let edit = EditThread {
        title: "Supervising volunteers".into(),
        body: "Twelve volunteers, one coordinator.".into(),
        topics: vec![Topic::TrainingAndSupervision],
        activity_types: vec![],
    };
    error(
        app.put(&format!("/api/threads/{id}"), Some(&bob), &edit)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let e: ThreadResponse = json(
        app.put(&format!("/api/threads/{id}"), Some(&alice), &edit)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(e.thread.title, "Supervising volunteers");
    assert_eq!(e.thread.topics, [Topic::TrainingAndSupervision]);
    assert!(
        list(&app, &bob, Some(Topic::BoundariesAndWellbeing))
            .await
            .threads
            .is_empty()
    );

    // Deleting the thread takes it away from everyone.
    error(
        delete(&app, &format!("/api/threads/{id}"), &bob).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        delete(&app, &format!("/api/threads/{id}"), &alice)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    error(
        app.get(&format!("/api/threads/{id}"), Some(&bob)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(
        list(&app, &bob, None)
            .await
            .threads
            .iter()
            .all(|t| t.id != id)
    );
}

async fn posts_are_sanitised_markdown_with_glossary_terms_explained(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let body = "Our ICB said yes.<script>alert(1)</script> [x](javascript:alert(1)) \
                ![pixel](https://tracker.example/p.png) <img src=x onerror=alert(1)>";
    let t = create(
        &app,
        &alice,
        &new_thread("Bid news", body, &[Topic::PartnershipsWithHealth]),
    )
    .await;
    let html = &t.posts[0].html;
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("javascript:"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "raw HTML shows as text: {html}"
    );
    assert!(
        html.contains("href=\"https://tracker.example/p.png\""),
        "image became a link: {html}"
    );
    assert!(html.contains("class=\"gloss\""), "ICB explained: {html}");
    assert!(html.contains("role=\"tooltip\""));
    // The preview renders the same way.
    let preview: PreviewResponse = json(
        app.post(
            "/api/markdown/preview",
            Some(&alice),
            &PreviewMarkdown { body: body.into() },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        preview.html,
        html.replace(&format!("gl-p{}-", t.posts[0].id), "gl-preview-")
    );
}

async fn replies_edits_and_marks_reach_watchers_and_nobody_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let carol = app.user("Carol Finch").await;
    let t = create(
        &app,
        &alice,
        &new_thread(
            "Burn-out",
            "How do you rest?",
            &[Topic::BoundariesAndWellbeing],
        ),
    )
    .await;
    let id = t.thread.id;
    let other = create(
        &app,
        &alice,
        &new_thread("Other", "Elsewhere", &[Topic::Safeguarding]),
    )
    .await;

    let mut alice_ws = app.ws(&alice).await;
    let mut carol_ws = app.ws(&carol).await;
    alice_ws
        .send(&ClientMsg::WatchThread {
            thread_id: id,
            watching: true,
        })
        .await;
    // Carol is connected but watches a different thread.
    carol_ws
        .send(&ClientMsg::WatchThread {
            thread_id: other.thread.id,
            watching: true,
        })
        .await;
    // Let the watches land before acting.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let r = reply(&app, &bob, id, "Protected lunch breaks.", None).await;
    let live = alice_ws
        .next_matching(|m| matches!(m, ServerMsg::ThreadPost { .. }))
        .await;
    let ServerMsg::ThreadPost { post } = live else {
        unreachable!()
    };
    assert_eq!(post.id, r.id);
    assert!(post.html.contains("Protected lunch breaks."));

    let _: PostView = json(
        app.put(
            &format!("/api/posts/{}", r.id),
            Some(&bob),
            &EditPost {
                body: "Protected **lunch** breaks.".into(),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ServerMsg::ThreadPost { post } = alice_ws
        .next_matching(|m| matches!(m, ServerMsg::ThreadPost { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(post.html.contains("<strong>lunch</strong>") && post.edited_at.is_some());

    let _: HelpfulResponse = json(
        app.put(
            &format!("/api/posts/{}/helpful", r.id),
            Some(&carol),
            &SetHelpful { helpful: true },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ServerMsg::ThreadPost { post } = alice_ws
        .next_matching(|m| matches!(m, ServerMsg::ThreadPost { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(post.helpful_count, 1);

    let _: ThreadResponse = json(
        app.put(
            &format!("/api/threads/{id}/answer"),
            Some(&alice),
            &SetAnswer {
                post_id: Some(r.id),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        alice_ws
            .next_matching(|m| matches!(m, ServerMsg::ThreadChanged { .. }))
            .await,
        ServerMsg::ThreadChanged { thread_id: id }
    );

    carol_ws
        .expect_none(
            |m| {
                matches!(
                    m,
                    ServerMsg::ThreadPost { .. } | ServerMsg::ThreadChanged { .. }
                )
            },
            Duration::from_millis(300),
        )
        .await;

    // Stop watching: nothing more arrives.
    alice_ws
        .send(&ClientMsg::WatchThread {
            thread_id: id,
            watching: false,
        })
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    reply(&app, &bob, id, "And walks.", None).await;
    alice_ws
        .expect_none(
            |m| matches!(m, ServerMsg::ThreadPost { .. }),
            Duration::from_millis(300),
        )
        .await;

    // Watching a thread that does not exist is refused on the socket.
    carol_ws
        .send(&ClientMsg::WatchThread {
            thread_id: 999_999,
            watching: true,
        })
        .await;
    let err = carol_ws
        .next_matching(|m| matches!(m, ServerMsg::Error { .. }))
        .await;
    let ServerMsg::Error { error, .. } = err else {
        unreachable!()
    };
    assert_eq!(error.kind, shared::ErrorKind::NotFound);
}

async fn notifications(app: &TestApp, who: &TestUser) -> ListNotificationsResponse {
    json(
        app.get("/api/notifications", Some(who)).await,
        StatusCode::OK,
    )
    .await
}

async fn following_a_thread_or_topic_notifies_of_new_activity(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let carol = app.user("Carol Finch").await;

    // Carol follows Safeguarding and hears about a new thread there, live.
    let res = app
        .put(
            "/api/topics/safeguarding/follow",
            Some(&carol),
            &SetFollow { following: true },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        list(&app, &carol, None).await.followed_topics,
        [Topic::Safeguarding]
    );
    let mut carol_ws = app.ws(&carol).await;
    let t = create(
        &app,
        &alice,
        &new_thread("Policy review", "Ours is due.", &[Topic::Safeguarding]),
    )
    .await;
    let id = t.thread.id;
    let ServerMsg::Notification(n) = carol_ws
        .next_matching(|m| matches!(m, ServerMsg::Notification(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(n.kind, NotificationKind::NewThread);
    assert_eq!(n.thread_id, Some(id));
    // Not for a thread under another topic, nor to the author.
    create(
        &app,
        &alice,
        &new_thread("Funding", "Grants?", &[Topic::FundingAndSustainability]),
    )
    .await;
    assert_eq!(notifications(&app, &carol).await.notifications.len(), 1);
    assert!(notifications(&app, &alice).await.notifications.is_empty());

    // The author follows their thread; a replier follows it too.
    let r = reply(&app, &bob, id, "Ours was last month.", None).await;
    let alice_notes = notifications(&app, &alice).await.notifications;
    assert_eq!(alice_notes.len(), 1);
    assert_eq!(alice_notes[0].kind, NotificationKind::ThreadReply);
    assert_eq!(
        (alice_notes[0].thread_id, alice_notes[0].post_id),
        (Some(id), Some(r.id))
    );
    assert!(
        notifications(&app, &bob).await.notifications.is_empty(),
        "not for one's own reply"
    );
    reply(&app, &alice, id, "Thanks!", None).await;
    assert_eq!(notifications(&app, &bob).await.notifications.len(), 1);

    // Carol follows the thread, then unfollows: only the reply in between reaches her.
    let before = notifications(&app, &carol).await.notifications.len();
    let res = app
        .put(
            &format!("/api/threads/{id}/follow"),
            Some(&carol),
            &SetFollow { following: true },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(thread(&app, &carol, id).await.thread.following);
    reply(&app, &bob, id, "One more thing.", None).await;
    let _ = app
        .put(
            &format!("/api/threads/{id}/follow"),
            Some(&carol),
            &SetFollow { following: false },
        )
        .await;
    reply(&app, &bob, id, "And another.", None).await;
    assert_eq!(
        notifications(&app, &carol).await.notifications.len(),
        before + 1
    );
}

/// Send `body` in `room` over a fresh socket of `who`; the stored message id.
async fn say(app: &TestApp, who: &TestUser, room: i64, body: &str) -> i64 {
    let mut ws = app.ws(who).await;
    let id = format!("m-{}", body.len() + body.as_bytes()[0] as usize * 1000);
    ws.send_text(room, &id, body).await;
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. }))
        .await
    {
        ServerMsg::Ack { id, .. } => id,
        _ => unreachable!(),
    }
}

async fn search_finds_only_what_the_searcher_may_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let carol = app.user("Carol Finch").await;
    let dave = app.user("Dave Okoro").await;
    let ab = app.direct_room(&alice, bob.id).await;
    let cd = app.direct_room(&carol, dave.id).await;
    let ab_msg = say(
        &app,
        &alice,
        ab.id,
        "Our commissioning bid to the ICB is due Friday",
    )
    .await;
    let cd_msg = say(&app, &carol, cd.id, "Private: the commissioning bid lost").await;
    let t = create(
        &app,
        &dave,
        &new_thread(
            "Tips for commissioning bids",
            "Start with the outcomes framework.",
            &[Topic::CommissioningAndSocialPrescribing],
        ),
    )
    .await;
    let post = format!("post:{}", t.posts[0].id);

    let for_alice = search(&app, &alice, "q=commissioning").await;
    assert!(places(&for_alice).contains(&format!("message:{ab_msg}")));
    assert!(places(&for_alice).contains(&post), "title words are found");
    assert!(
        !places(&for_alice).contains(&format!("message:{cd_msg}")),
        "never another pair's room"
    );
    let for_carol = search(&app, &carol, "q=commissioning+bid").await;
    assert!(places(&for_carol).contains(&format!("message:{cd_msg}")));
    assert!(!places(&for_carol).contains(&format!("message:{ab_msg}")));

    // Snippets mark the matched words, as text.
    let hit = for_alice
        .hits
        .iter()
        .find(|h| matches!(h.place, SearchHitPlace::Message { .. }))
        .expect("message hit");
    assert!(
        hit.snippet
            .iter()
            .any(|p| p.hit && p.text.eq_ignore_ascii_case("commissioning"))
    );
    let SearchHitPlace::Message { room_title, .. } = &hit.place else {
        unreachable!()
    };
    assert_eq!(room_title, "Bob Teague");

    // Prefixes, stems and filters.
    assert!(places(&search(&app, &alice, "q=commiss").await).contains(&post));
    assert!(places(&search(&app, &alice, "q=bids").await).contains(&format!("message:{ab_msg}")));
    let threads_only = search(
        &app,
        &alice,
        "q=commissioning&topic=commissioning-and-social-prescribing",
    )
    .await;
    assert_eq!(places(&threads_only), std::slice::from_ref(&post));
    assert!(
        search(&app, &alice, "q=commissioning&topic=safeguarding")
            .await
            .hits
            .is_empty()
    );
    assert_eq!(
        places(&search(&app, &alice, "q=commissioning&scope=messages").await),
        [format!("message:{ab_msg}")]
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    assert!(
        search(&app, &alice, &format!("q=commissioning&from={tomorrow}"))
            .await
            .hits
            .is_empty()
    );
    assert_eq!(
        search(&app, &alice, &format!("q=commissioning&to={tomorrow}"))
            .await
            .hits
            .len(),
        2
    );

    // Leaving the room takes its messages out of one's results.
    assert_eq!(
        app.leave(&alice, ab.id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert!(
        !places(&search(&app, &alice, "q=commissioning").await)
            .contains(&format!("message:{ab_msg}"))
    );

    // Query syntax cannot be injected, and nonsense is refused clearly.
    assert!(
        search(&app, &alice, "q=%22commissioning%22+OR+*+NEAR(x)")
            .await
            .hits
            .len()
            <= 1
    );
    let e = error(
        app.get("/api/search?q=%2A%2A", Some(&alice)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("q"));
    error(
        app.get(
            "/api/search?q=x&from=2026-05-02&to=2026-05-01",
            Some(&alice),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
}

async fn search_follows_edits_and_deletes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let room = app.direct_room(&alice, bob.id).await;
    let msg = say(&app, &alice, room.id, "The allotment rota needs volunteers").await;
    let t = create(
        &app,
        &bob,
        &new_thread(
            "Gardening groups",
            "Our allotment is thriving",
            &[Topic::InclusionAndOutreach],
        ),
    )
    .await;
    let r = reply(
        &app,
        &alice,
        t.thread.id,
        "Allotment sessions on Tuesdays",
        None,
    )
    .await;
    assert_eq!(search(&app, &bob, "q=allotment").await.hits.len(), 3);

    // A message edit replaces its words in the index; a delete removes them.
    let mut ws = app.ws(&alice).await;
    ws.send(&ClientMsg::Edit {
        message_id: msg,
        body: "The orchard rota needs volunteers".into(),
    })
    .await;
    ws.next_matching(|m| matches!(m, ServerMsg::MessageUpdated { .. }))
        .await;
    assert!(!places(&search(&app, &bob, "q=allotment").await).contains(&format!("message:{msg}")));
    assert!(places(&search(&app, &bob, "q=orchard").await).contains(&format!("message:{msg}")));
    ws.send(&ClientMsg::Delete { message_id: msg }).await;
    ws.next_matching(|m| matches!(m, ServerMsg::MessageUpdated { .. }))
        .await;
    assert!(search(&app, &bob, "q=orchard").await.hits.is_empty());

    // Posts likewise, and a thread's title edit too.
    let _: PostView = json(
        app.put(
            &format!("/api/posts/{}", r.id),
            Some(&alice),
            &EditPost {
                body: "Orchard sessions on Tuesdays".into(),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        places(&search(&app, &bob, "q=orchard").await),
        [format!("post:{}", r.id)]
    );
    let _: PostView = json(
        delete(&app, &format!("/api/posts/{}", r.id), &alice).await,
        StatusCode::OK,
    )
    .await;
    assert!(search(&app, &bob, "q=orchard").await.hits.is_empty());
    let edit = EditThread {
        title: "Community growing".into(),
        body: "Our plot is thriving".into(),
        topics: vec![Topic::InclusionAndOutreach],
        activity_types: vec![],
    };
    let _: ThreadResponse = json(
        app.put(&format!("/api/threads/{}", t.thread.id), Some(&bob), &edit)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(search(&app, &alice, "q=allotment").await.hits.is_empty());
    assert_eq!(search(&app, &alice, "q=growing").await.hits.len(), 1);
    // A deleted thread is found by no one.
    assert_eq!(
        delete(&app, &format!("/api/threads/{}", t.thread.id), &bob)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(search(&app, &alice, "q=growing").await.hits.is_empty());
    assert!(search(&app, &bob, "q=plot").await.hits.is_empty());
}

async fn cooperative_threads_stay_inside_their_cooperative(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let admin = app.admin("Asha Patel").await;
    // No co-operative exists yet, so nobody may write one...
    let mut req = new_thread("Joint bid", "Co-op only", &[Topic::PartnershipsWithHealth]);
    req.visibility = Visibility::Coop { coop_id: 1 };
    let e = error(
        app.post("/api/threads", Some(&alice), &req).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("visibility"));
    // ...and one stored for co-op 1 is invisible to a member and an admin alike.
    let plain = "Joint bid to the hospice consortium";
    let (t, p) = server::db::threads::create(
        &app.state.db,
        server::db::threads::NewThread {
            title: "Consortium bid",
            body: plain,
            plain,
            topics: &[Topic::PartnershipsWithHealth],
            activity_types: &[],
            coop_id: Some(1),
            author_id: alice.id,
            organisation_id: None,
        },
    )
    .await
    .expect("stored");
    let mut ws = app.ws(&admin).await;
    for who in [&alice, &admin] {
        error(
            app.get(&format!("/api/threads/{}", t.id), Some(who)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert!(list(&app, who, None).await.threads.is_empty());
        assert!(search(&app, who, "q=consortium").await.hits.is_empty());
        let reply = CreatePost {
            body: "Me too".into(),
            quote_post_id: None,
        };
        error(
            app.post(&format!("/api/threads/{}/posts", t.id), Some(who), &reply)
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        error(
            app.put(
                &format!("/api/posts/{}/helpful", p.id),
                Some(who),
                &SetHelpful { helpful: true },
            )
            .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        error(
            app.put(
                &format!("/api/threads/{}/follow", t.id),
                Some(who),
                &SetFollow { following: true },
            )
            .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    ws.send(&ClientMsg::WatchThread {
        thread_id: t.id,
        watching: true,
    })
    .await;
    let ServerMsg::Error { error, .. } = ws
        .next_matching(|m| matches!(m, ServerMsg::Error { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(error.kind, shared::ErrorKind::NotFound);
}

async fn glossary(app: &TestApp, who: &TestUser) -> GlossaryResponse {
    json(app.get("/api/glossary", Some(who)).await, StatusCode::OK).await
}

async fn glossary_suggestions_wait_for_the_programme_team(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let bob = app.user("Bob Teague").await;
    let admin = app.admin("Asha Patel").await;

    // Seeded with plain-English terms.
    let seeded = glossary(&app, &alice).await.terms;
    for term in [
        "ICB",
        "PCN",
        "link worker",
        "social prescribing",
        "VCSE",
        "DES",
    ] {
        assert!(seeded.iter().any(|t| t.term == term), "{term} seeded");
    }

    let suggestion = SuggestTerm {
        term: "Place-based partnership".into(),
        aliases: vec!["place partnership".into()],
        definition: "The local part of an integrated care system, around a town or borough.".into(),
    };
    let bad = SuggestTerm {
        definition: " ".into(),
        ..suggestion.clone()
    };
    let e = error(
        app.post("/api/glossary", Some(&alice), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("definition"));
    let s: GlossaryTerm = json(
        app.post("/api/glossary", Some(&alice), &suggestion).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(s.status, ApprovalStatus::Pending);
    error(
        app.post("/api/glossary", Some(&bob), &suggestion).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Pending: not a term yet; the suggester and admins see it, others do not.
    assert!(
        !glossary(&app, &alice)
            .await
            .terms
            .iter()
            .any(|t| t.id == s.id)
    );
    assert_eq!(glossary(&app, &alice).await.suggestions[0].id, s.id);
    assert!(glossary(&app, &bob).await.suggestions.is_empty());
    assert_eq!(glossary(&app, &admin).await.suggestions[0].id, s.id);
    let text = PreviewMarkdown {
        body: "Our place-based partnership met.".into(),
    };
    let before: PreviewResponse = json(
        app.post("/api/markdown/preview", Some(&bob), &text).await,
        StatusCode::OK,
    )
    .await;
    assert!(!before.html.contains("gloss"));

    // Only admins decide; declining needs a reason.
    let approve = DecideTerm {
        approve: true,
        reason: None,
    };
    error(
        app.post(
            &format!("/api/glossary/{}/decision", s.id),
            Some(&bob),
            &approve,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let decline = DecideTerm {
        approve: false,
        reason: None,
    };
    let e = error(
        app.post(
            &format!("/api/glossary/{}/decision", s.id),
            Some(&admin),
            &decline,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    let approved: GlossaryTerm = json(
        app.post(
            &format!("/api/glossary/{}/decision", s.id),
            Some(&admin),
            &approve,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved.status, ApprovalStatus::Approved);
    error(
        app.post(
            &format!("/api/glossary/{}/decision", s.id),
            Some(&admin),
            &approve,
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        glossary(&app, &bob)
            .await
            .terms
            .iter()
            .any(|t| t.id == s.id)
    );
    let after: PreviewResponse = json(
        app.post("/api/markdown/preview", Some(&bob), &text).await,
        StatusCode::OK,
    )
    .await;
    assert!(after.html.contains("class=\"gloss\""), "{}", after.html);
    assert!(
        after
            .html
            .contains("The local part of an integrated care system")
    );

    // An admin's own term is in at once; a declined one shows its reason to the suggester.
    let own: GlossaryTerm = json(
        app.post(
            "/api/glossary",
            Some(&admin),
            &SuggestTerm {
                term: "Core20PLUS5".into(),
                aliases: vec![],
                definition: "NHS England's approach to reducing health inequalities.".into(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(own.status, ApprovalStatus::Approved);
    let s2: GlossaryTerm = json(
        app.post(
            "/api/glossary",
            Some(&bob),
            &SuggestTerm {
                term: "Thing".into(),
                aliases: vec![],
                definition: "A thing.".into(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let declined: GlossaryTerm = json(
        app.post(
            &format!("/api/glossary/{}/decision", s2.id),
            Some(&admin),
            &DecideTerm {
                approve: false,
                reason: Some("Too vague to help anyone.".into()),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined.status, ApprovalStatus::Declined);
    let mine = glossary(&app, &bob).await.suggestions;
    assert_eq!(
        mine[0].decision_reason.as_deref(),
        Some("Too vague to help anyone.")
    );
}

async fn signed_out_callers_are_refused_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("Alice Moyo").await;
    let t = create(
        &app,
        &alice,
        &new_thread("Open", "Text", &[Topic::Safeguarding]),
    )
    .await;
    let (id, post) = (t.thread.id, t.posts[0].id);
    let body = serde_json::json!({});
    let cases = [
        (Method::GET, "/api/threads".to_owned()),
        (Method::POST, "/api/threads".to_owned()),
        (Method::GET, format!("/api/threads/{id}")),
        (Method::PUT, format!("/api/threads/{id}")),
        (Method::DELETE, format!("/api/threads/{id}")),
        (Method::POST, format!("/api/threads/{id}/posts")),
        (Method::PUT, format!("/api/posts/{post}")),
        (Method::DELETE, format!("/api/posts/{post}")),
        (Method::PUT, format!("/api/posts/{post}/helpful")),
        (Method::PUT, format!("/api/threads/{id}/state")),
        (Method::PUT, format!("/api/threads/{id}/answer")),
        (Method::PUT, format!("/api/threads/{id}/follow")),
        (Method::PUT, "/api/topics/safeguarding/follow".to_owned()),
        (Method::POST, format!("/api/threads/{id}/read")),
        (Method::POST, "/api/markdown/preview".to_owned()),
        (Method::GET, "/api/search?q=open".to_owned()),
        (Method::GET, "/api/glossary".to_owned()),
        (Method::POST, "/api/glossary".to_owned()),
        (Method::POST, "/api/glossary/1/decision".to_owned()),
    ];
    for (method, path) in cases {
        let res = app
            .request(method.clone(), &path, None)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // Nothing changed.
    let again = thread(&app, &alice, id).await;
    assert_eq!(again.posts, t.posts);
    assert!(!again.thread.pinned && !again.thread.closed);
}

both!(the_demo_world_has_practice_threads_and_a_glossary);

async fn the_demo_world_has_practice_threads_and_a_glossary(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    server::demo::seed(&app.state.db).await.expect("seed");
    server::demo::seed(&app.state.db).await.expect("seed again");
    let priya = app.demo_user("priya@demo.example").await;
    let all = list(&app, &priya, None).await.threads;
    let open = all
        .iter()
        .filter(|t| t.visibility == Visibility::Members)
        .count();
    assert_eq!(open, 8, "seeded once");
    // And her co-operative's own thread (Harbour Arts is in the Plymouth co-op).
    assert_eq!(all.len() - open, 1, "{all:?}");
    assert!(all[0].pinned, "the welcome is pinned first");
    assert!(all.iter().any(|t| t.closed));
    assert!(all.iter().any(|t| t.answer_post_id.is_some()));
    let covered: std::collections::HashSet<Topic> =
        all.iter().flat_map(|t| t.topics.iter().copied()).collect();
    assert!(
        covered.len() >= 10,
        "threads across the topics: {covered:?}"
    );
    // Her demo conversation and the safeguarding thread are both found.
    let found = search(&app, &priya, "q=safeguarding+policy").await;
    assert!(
        found
            .hits
            .iter()
            .any(|h| matches!(h.place, SearchHitPlace::Post { .. }))
    );
    assert!(
        found
            .hits
            .iter()
            .any(|h| matches!(h.place, SearchHitPlace::Message { .. }))
    );
    // Posts explain glossary terms.
    let welcome = thread(&app, &priya, all[0].id).await;
    assert!(welcome.posts[0].html.contains("class=\"gloss\""));
}
