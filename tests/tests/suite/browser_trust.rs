//! Trust and safety in Chromium: a staff member raises an immediate-risk
//! safeguarding concern (the 999 guidance shows before the button) and
//! their organisation's safeguarding lead, already on the concerns page,
//! sees it arrive and acknowledges it while the raiser's page follows; a
//! member reports a message, the programme team hides it from the
//! moderation queue and the author's open room shows the tombstone; a
//! person signs their other sessions out from the settings page, and a
//! browser whose session is ended elsewhere lands on the log-in page told
//! why. axe-core checks every page reached.

use fantoccini::key::Key;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use shared::api::auth::ListSessionsResponse;
use shared::api::concerns::ListConcernsResponse;
use shared::api::threads::{CreatePost, CreateThread, PostView, ThreadResponse, Visibility};
use shared::taxonomy::Topic;

use crate::harness::browser::{Browser, Driver};
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, json, require_site};

const GUIDANCE: &str = "If someone is in immediate danger, call 999 now";

async fn send(b: &Browser, text: &str) {
    b.type_into("#composer", text).await;
    b.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
}

/// The id of the message in the open room whose text contains `text`,
/// once the server has confirmed it.
async fn message_id(b: &Browser, text: &str) -> i64 {
    let find = format!(
        "const li = [...document.querySelectorAll('#messages li.message[data-message-id]')]
            .find(l => l.textContent.includes({text:?}));"
    );
    b.wait_for_script(&format!("{find} return !!li;"), "the message is confirmed")
        .await;
    b.eval(&format!("{find} return Number(li.dataset.messageId);"))
        .await
        .as_i64()
        .unwrap_or_else(|| panic!("no confirmed message containing {text:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_raises_an_immediate_concern_and_the_lead_acknowledges_it_live() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    server::demo::seed(&app.state.db).await.expect("seed");
    // Priya leads Harbour Arts Collective and is its safeguarding lead.
    let priya = app.demo_user("priya@demo.example").await;
    let mine: ListConcernsResponse =
        json(app.get("/api/concerns", Some(&priya)).await, StatusCode::OK).await;
    let harbour = mine
        .organisations
        .iter()
        .find(|o| o.name == "Harbour Arts Collective")
        .expect("Priya is staff of Harbour Arts")
        .id;
    // Nell joins its staff through Priya's invitation.
    let nell = app.user("Nell Staff").await;
    app.join_staff(&priya, harbour, &nell).await;

    let driver = Driver::start().await;
    let lead = driver.browser().await;
    let raiser = driver.browser().await;

    // The lead has her concerns open: nothing to handle yet.
    lead.log_in_with(
        &app,
        "priya@demo.example",
        server::demo::DEMO_PASSWORD,
        "Priya Shah",
    )
    .await;
    lead.click("#nav-concerns").await;
    lead.wait_for_text("h1", "Safeguarding concerns").await;
    lead.wait_for_text("#concerns-raised", "You have not raised any concerns")
        .await;
    assert_eq!(lead.count("#concerns-handling .concern-row").await, 0);

    // Nell goes from the header to the form.
    raiser.log_in(&app, &nell, "Nell Staff").await;
    raiser.click("#nav-concerns").await;
    raiser
        .wait_for_text("#concerns-raised", "You have not raised")
        .await;
    raiser.assert_accessible("concerns, none yet").await;
    raiser.click("#raise-concern").await;
    raiser.wait_for_path("/concerns/new").await;
    raiser
        .wait_for_text("h1", "Raise a safeguarding concern")
        .await;
    // Her organisation is offered, and the programme team alone.
    raiser
        .find(&format!("#concern-organisation option[value='{harbour}']"))
        .await;
    let fallback = raiser
        .text_content("#concern-organisation option[value='']")
        .await;
    assert_eq!(
        fallback.as_deref(),
        Some("No organisation: programme team only")
    );
    raiser.assert_accessible("raise a concern").await;

    // Choosing "Immediate risk of harm" brings the 999 guidance, before the button.
    assert_eq!(raiser.count("#concern-immediate-guidance").await, 0);
    raiser.click("#concern-priority-immediate").await;
    raiser
        .wait_for_text("#concern-immediate-guidance", GUIDANCE)
        .await;
    let role = raiser
        .eval("return document.querySelector('#concern-immediate-guidance').getAttribute('role');")
        .await;
    assert_eq!(role, "alert", "the guidance is announced");
    assert!(
        raiser
            .comes_before("#concern-immediate-guidance", "#concern-submit")
            .await,
        "the 999 guidance comes before the submit button"
    );
    raiser
        .choose("#concern-organisation", &harbour.to_string())
        .await;
    raiser
        .fill(
            "#concern-at-risk",
            "A participant at the Thursday studio session",
        )
        .await;
    raiser
        .fill(
            "#concern-what-happened",
            "They said they had stopped taking their medication and had a plan to hurt themselves tonight. I called 999 and stayed with them.",
        )
        .await;
    raiser.assert_accessible("raise a concern, immediate").await;
    raiser.click("#concern-submit").await;

    // Her concern's page says who it went to.
    raiser.wait_for_path("/concerns/").await;
    raiser.wait_for_text("#concern-raised", "Priya Shah").await;
    raiser
        .wait_for_text("#concern-raised", "programme team")
        .await;
    raiser.wait_for_text("#concern-status", "New").await;
    raiser
        .wait_for_text("#concern-title", "Immediate risk of harm")
        .await;
    raiser
        .wait_for_text("#concern-history", "Nell Staff raised the concern")
        .await;
    assert_eq!(
        raiser.count("#concern-acknowledge").await,
        0,
        "the raiser cannot acknowledge her own concern"
    );
    raiser.assert_accessible("a concern, just raised").await;

    // The lead's list shows it without a reload.
    lead.wait_for_count("#concerns-handling .concern-row", 1)
        .await;
    lead.wait_for_text("#concerns-handling .concern-row", "Immediate risk of harm")
        .await;
    lead.wait_for_text("#concerns-handling .concern-row", "Harbour Arts Collective")
        .await;
    lead.assert_accessible("concerns, one to handle").await;
    lead.click("#concerns-handling .concern-row a.concern-link")
        .await;
    lead.wait_for_text("#concern-what-text", "stopped taking their medication")
        .await;
    // Only the steps open from "new".
    lead.find("#concern-acknowledge").await;
    assert_eq!(lead.count("#concern-actioned").await, 0);
    assert_eq!(lead.count("#concern-reopen").await, 0);
    lead.assert_accessible("a concern to handle").await;
    lead.click("#concern-acknowledge").await;
    lead.wait_for_text("#concern-status", "Acknowledged").await;
    lead.find("#concern-actioned").await;
    // Closing needs a note of what was done.
    lead.click("#concern-close").await;
    lead.wait_for_text("#concern-status-note-error", "note")
        .await;
    lead.wait_for_text("#concern-status", "Acknowledged").await;

    // The raiser's open page follows.
    raiser
        .wait_for_text("#concern-status", "Acknowledged")
        .await;
    raiser
        .wait_for_text("#concern-history", "Priya Shah acknowledged it")
        .await;
    raiser
        .wait_for_text("#concern-status-message", "acknowledged")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_message_is_hidden_by_the_programme_team_and_the_room_shows_the_tombstone() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin_user = app.admin("Ada Moderator").await;
    let asha = app.user("Asha Patel").await;
    let ben = app.user("Ben Hughes").await;
    let room = app.direct_room(&asha, ben.id).await;
    let room_url = app.url(&format!("/rooms/{}", room.id));

    let driver = Driver::start().await;
    let admin = driver.browser().await;
    let author = driver.browser().await;
    let reporter = driver.browser().await;

    // The programme team has the queue open: nothing waiting.
    admin.log_in(&app, &admin_user, "Ada Moderator").await;
    admin.click("#nav-moderation").await;
    admin
        .wait_for_text("#report-count", "No open reports")
        .await;
    assert_eq!(admin.count("#moderation-count").await, 0);

    author.log_in(&app, &asha, "Asha Patel").await;
    author.goto(&room_url).await;
    author.find("#composer").await;
    reporter.log_in(&app, &ben, "Ben Hughes").await;
    reporter.goto(&room_url).await;
    reporter.find("#composer").await;

    let nasty = "Nobody wants you at the group, just stay away.";
    send(&author, nasty).await;
    reporter.wait_for_text("#messages", nasty).await;
    let id = message_id(&reporter, nasty).await;
    let item = format!("#message-{id}");

    // One's own message has no "Report".
    author
        .wait_for_count(&format!("{item} .item-menu-toggle"), 1)
        .await;
    assert_eq!(author.count(&format!("{item} .report-open")).await, 0);

    // Ben reports it from the message's menu.
    reporter.click(&format!("#m{id}-menu")).await;
    reporter
        .find(&format!("{item} a.raise-concern[href*='message_id={id}']"))
        .await;
    reporter.click(&format!("#m{id}-report")).await;
    reporter
        .click(&format!("#m{id}-report-reason-harassment"))
        .await;
    reporter
        .fill(
            &format!("#m{id}-report-detail"),
            "Said to someone who has just started coming.",
        )
        .await;
    reporter
        .assert_accessible("room, reporting a message")
        .await;
    reporter.click(&format!("{item} .report-submit")).await;
    reporter
        .wait_for_text(
            &format!("{item} .report-done"),
            "Thanks. The programme team will review it.",
        )
        .await;

    // The queue shows it without a reload, and the header counts it.
    admin.wait_for_count(".report-card", 1).await;
    admin.wait_for_text(".report-card", nasty).await;
    admin
        .wait_for_text(".report-card .report-reason", "Harassment or abuse")
        .await;
    admin
        .wait_for_text(".report-card .report-reporter", "Ben Hughes")
        .await;
    admin
        .wait_for_text(".report-card .report-author", "Asha Patel")
        .await;
    admin
        .wait_for_text(".report-card", "just started coming")
        .await;
    admin.wait_for_text("#moderation-count", "1").await;
    admin.assert_accessible("moderation queue").await;

    // Hiding needs a reason the author will read.
    admin.click(".report-card .report-hide").await;
    admin.find(".report-card textarea.moderation-reason").await;
    admin.click(".report-card .report-confirm").await;
    admin
        .wait_for_text(".report-card .field-error", "reason")
        .await;
    admin.assert_accessible("moderation, hiding").await;
    admin
        .fill(
            ".report-card textarea.moderation-reason",
            "Unkind to a new member; please keep the group welcoming.",
        )
        .await;
    admin.click(".report-card .report-confirm").await;
    admin.wait_for_text("#moderation-status", "hidden").await;
    admin.wait_for_count(".report-card", 0).await;
    admin.wait_for_absent("#moderation-count").await;

    // Both open rooms show the tombstone in place of the message, live.
    author.wait_for_text(&item, "Hidden by a moderator").await;
    author.wait_without_text(&item, nasty).await;
    reporter.wait_for_text(&item, "Hidden by a moderator").await;
    assert_eq!(
        reporter.count(&format!("{item} .item-menu-toggle")).await,
        0,
        "nothing to do with hidden content"
    );
    author.assert_accessible("room, a hidden message").await;

    // The actioned report is in the queue's "actioned" view.
    admin.choose("#report-status-filter", "actioned").await;
    admin.wait_for_count(".report-card", 1).await;
    admin
        .wait_for_text(".report-card .report-tags", "Hidden")
        .await;
    admin.find(".report-card .report-restore").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_thread_post_is_hidden_and_the_open_thread_shows_the_tombstone() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin_user = app.admin("Ada Moderator").await;
    let asha = app.user("Asha Patel").await;
    let ben = app.user("Ben Hughes").await;
    let thread: ThreadResponse = json(
        app.post(
            "/api/threads",
            Some(&ben),
            &CreateThread {
                title: "Keeping volunteers safe on lone shifts".into(),
                body: "How do you check in with volunteers who open up alone?".into(),
                topics: vec![Topic::Safeguarding],
                activity_types: Vec::new(),
                visibility: Visibility::Members,
                organisation_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let thread_id = thread.thread.id;
    let spam = "Cheap followers for your charity page, message me now!";
    let reply: PostView = json(
        app.post(
            &format!("/api/threads/{thread_id}/posts"),
            Some(&asha),
            &CreatePost {
                body: spam.into(),
                quote_post_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let post = format!("#post-{}", reply.id);
    let thread_url = app.url(&format!("/threads/{thread_id}"));

    let driver = Driver::start().await;
    let admin = driver.browser().await;
    let reader = driver.browser().await;
    admin.log_in(&app, &admin_user, "Ada Moderator").await;
    admin.goto(&app.url("/moderation")).await;
    admin
        .wait_for_text("#report-count", "No open reports")
        .await;
    reader.log_in(&app, &ben, "Ben Hughes").await;
    reader.goto(&thread_url).await;
    reader.wait_for_text(&post, spam).await;

    // Ben reports Asha's reply; "Raise a concern" sits beside "Report".
    reader.click(&format!("#p{}-menu", reply.id)).await;
    reader
        .find(&format!(
            "{post} a.raise-concern[href*='post_id={}']",
            reply.id
        ))
        .await;
    reader.click(&format!("#p{}-report", reply.id)).await;
    reader
        .click(&format!("#p{}-report-reason-spam", reply.id))
        .await;
    reader.assert_accessible("thread, reporting a post").await;
    reader.click(&format!("{post} .report-submit")).await;
    reader
        .wait_for_text(
            &format!("{post} .report-done"),
            "Thanks. The programme team will review it.",
        )
        .await;

    // The programme team hides it; the thread page shows the tombstone live.
    admin.wait_for_count(".report-card", 1).await;
    admin
        .wait_for_text(".report-card .report-reason", "Spam or advertising")
        .await;
    admin
        .wait_for_text(".report-card a.report-where", "practice thread")
        .await;
    admin.click(".report-card .report-hide").await;
    admin
        .fill(".report-card textarea.moderation-reason", "Advertising.")
        .await;
    admin.click(".report-card .report-confirm").await;
    admin
        .wait_for_text("#moderation-status", "post is hidden")
        .await;
    reader.wait_for_text(&post, "Hidden by a moderator").await;
    reader.wait_without_text(&post, spam).await;
    reader.assert_accessible("thread, a hidden post").await;
}

/// `DELETE /api/me/sessions/{id}` as `who`.
async fn end_session(app: &TestApp, who: &TestUser, id: i64) -> reqwest::Response {
    app.request(Method::DELETE, &format!("/api/me/sessions/{id}"), Some(who))
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("DELETE")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_out_their_other_sessions_from_settings() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    // Signing up is one session (an API client here) ...
    let sid = app.user("Sid Moreno").await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    // ... and the browser is another.
    b.log_in(&app, &sid, "Sid Moreno").await;
    b.goto(&app.url("/settings")).await;
    b.wait_for_count(".session-item", 2).await;
    b.wait_for_text(".session-item.current", "This device")
        .await;
    assert_eq!(b.count(".session-item .session-this-device").await, 1);
    assert_eq!(
        b.count(".session-item.current .session-sign-out").await,
        0,
        "this device signs out with Log out"
    );
    b.assert_accessible("settings, two sessions").await;

    // Sign the other one out: the list shows one, and that client is out.
    b.click(".session-item:not(.current) .session-sign-out")
        .await;
    b.wait_for_count(".session-item", 1).await;
    b.wait_for_text("#sessions-status", "Signed out of that session")
        .await;
    assert_eq!(b.count("#sign-out-others").await, 0);
    let res = app.get("/api/me", Some(&sid)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // The browser is still signed in.
    b.wait_for_text("#current-user", "Sid Moreno").await;

    // Two more log-ins elsewhere; "Sign out of all other sessions" ends both.
    let phone = app.log_in(&sid.email, PASSWORD).await;
    let laptop = app.log_in(&sid.email, PASSWORD).await;
    b.goto(&app.url("/settings")).await;
    b.wait_for_count(".session-item", 3).await;
    b.click("#sign-out-others").await;
    b.wait_for_text("#sessions-status", "Signed out of 2 other sessions")
        .await;
    b.wait_for_count(".session-item", 1).await;
    b.assert_accessible("settings, signed out of the others")
        .await;
    for other in [&phone, &laptop] {
        let res = app.get("/api/me", Some(other)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }

    // Ended from elsewhere, the browser goes to the log-in page and says why.
    let tablet = app.log_in(&sid.email, PASSWORD).await;
    let list: ListSessionsResponse = json(
        app.get("/api/me/sessions", Some(&tablet)).await,
        StatusCode::OK,
    )
    .await;
    let browser_session = list
        .sessions
        .iter()
        .find(|s| !s.current)
        .expect("the browser's session")
        .id;
    let res = end_session(&app, &tablet, browser_session).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    b.wait_for_path("/login").await;
    b.wait_for_text("#login-notice", "You were signed out.")
        .await;
    b.assert_accessible("log in, signed out elsewhere").await;
}
