//! Browser flows of the practice threads, search and the glossary: a thread
//! asked under a topic (with the form's own checks and the Markdown
//! preview), answered live from another browser with a quote, marked
//! helpful and as the answer, and found again by search; glossary terms
//! explaining themselves on focus in thread posts and chat messages; and
//! the glossary page's filter, suggestions and the programme team's approval.
//! axe-core checks every page and state reached.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::key::Key;
use reqwest::StatusCode;
use serde_json::Value;
use shared::api::glossary::GlossaryResponse;
use shared::api::threads::{CreateThread, ThreadResponse, Visibility};
use shared::taxonomy::Topic;

use crate::harness::browser::{Browser, Driver};
use crate::harness::{Backend, TestApp, json, require_site};

const WAIT: Duration = Duration::from_secs(15);

/// The start of the seeded glossary's definition of "ICB".
const ICB_MEANS: &str = "The NHS body that plans and pays";

/// The attribute `attr` of the first element matching `css`.
async fn attr(b: &Browser, css: &str, attr: &str) -> Option<String> {
    b.find(css)
        .await
        .attr(attr)
        .await
        .expect("read an attribute")
}

/// Waits until the attribute `name` of `css` reads `value`.
async fn wait_for_attr(b: &Browser, css: &str, name: &str, value: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = match b.client.find(Locator::Css(css)).await {
            Ok(el) => el.attr(name).await.ok().flatten(),
            Err(_) => None,
        };
        if now.as_deref() == Some(value) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{css} never had {name}={value:?}; it has {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the first element matching `css` is (or is not) displayed.
async fn wait_displayed(b: &Browser, css: &str, shown: bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = match b.client.find(Locator::Css(css)).await {
            Ok(el) => el.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        };
        if now == shown {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            let page = b.client.source().await.unwrap_or_default();
            let verb = if shown { "never shown" } else { "never hidden" };
            panic!("{css} {verb}; page:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for a thread's own address (`/threads/12`, not `/threads/new`)
/// and returns its id.
async fn wait_for_thread_page(b: &Browser) -> i64 {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let url = b.client.current_url().await.expect("url");
        if let Some(id) = url
            .path()
            .strip_prefix("/threads/")
            .and_then(|id| id.parse().ok())
        {
            return id;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never reached a thread, at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The post id an `article.post` carries.
async fn post_id(b: &Browser, css: &str) -> i64 {
    attr(b, css, "data-post-id")
        .await
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{css} has no data-post-id"))
}

/// Leaves a mark in the page's window: it survives anything but a reload.
async fn mark_document(b: &Browser) {
    b.eval("window.__sameDocument = true; return true;").await;
}

async fn assert_same_document(b: &Browser, what: &str) {
    assert_eq!(
        b.eval("return window.__sameDocument === true;").await,
        Value::Bool(true),
        "the page was reloaded: {what}"
    );
}

/// The first glossary mark inside `scope` explains itself while it has
/// keyboard focus and hides again on Escape, which also takes focus off it.
async fn gloss_explains_on_focus(b: &Browser, scope: &str, page: &str) {
    let gloss = format!("{scope} .gloss");
    let tip = format!("{scope} .gloss-tip");
    b.wait_for_text(&gloss, "ICB").await;
    // The tip is the one the term names as its description.
    let described_by = attr(b, &gloss, "aria-describedby")
        .await
        .expect("the term points at its explanation");
    assert_eq!(
        attr(b, &tip, "id").await.as_deref(),
        Some(described_by.as_str()),
        "aria-describedby names the tip"
    );
    assert_eq!(attr(b, &tip, "role").await.as_deref(), Some("tooltip"));
    assert_eq!(attr(b, &gloss, "tabindex").await.as_deref(), Some("0"));
    assert!(
        !b.find(&tip).await.is_displayed().await.expect("displayed?"),
        "the explanation of ICB shows before anyone asks ({page})"
    );

    b.client
        .execute(
            "document.querySelector(arguments[0]).focus(); return true;",
            vec![Value::String(gloss.clone())],
        )
        .await
        .expect("focus the term");
    b.wait_for_script(
        "return !!document.activeElement && document.activeElement.classList.contains('gloss');",
        "the term has focus",
    )
    .await;
    wait_displayed(b, &tip, true).await;
    let shown = b.find(&tip).await.text().await.expect("tip text");
    assert!(
        shown.starts_with("ICB") && shown.contains(ICB_MEANS),
        "the explanation reads {shown:?}"
    );
    b.assert_accessible(&format!("{page} with a glossary explanation open"))
        .await;

    b.find(&gloss)
        .await
        .send_keys(&char::from(Key::Escape).to_string())
        .await
        .expect("press Escape");
    wait_displayed(b, &tip, false).await;
    assert_eq!(
        b.eval(
            "return !!document.activeElement && document.activeElement.classList.contains('gloss');"
        )
        .await,
        Value::Bool(false),
        "Escape takes focus off the term"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_is_asked_answered_live_marked_helpful_and_found() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let alice = app.user("Alice Ahmed").await;
    let bob = app.user("Bob Baker").await;
    let driver = Driver::start().await;
    let a = driver.browser().await;
    let b = driver.browser().await;
    let title = "Handling a disclosure at a drop-in craft session";

    // The list, empty, then narrowed to a topic that Alice follows.
    a.log_in(&app, &alice, "Alice Ahmed").await;
    a.click("#nav-threads").await;
    a.wait_for_path("/threads").await;
    a.wait_for_text("#thread-list-status", "No threads yet.")
        .await;
    a.assert_accessible("threads (none yet)").await;
    a.choose("#thread-topic", "safeguarding").await;
    a.wait_for_script(
        "return location.pathname === '/threads' && location.search === '?topic=safeguarding';",
        "the topic is in the address",
    )
    .await;
    a.wait_for_text("#thread-list-status", "No threads under Safeguarding yet.")
        .await;
    wait_for_attr(&a, "#follow-topic", "aria-pressed", "false").await;
    a.click("#follow-topic").await;
    wait_for_attr(&a, "#follow-topic", "aria-pressed", "true").await;
    a.wait_for_text("#follow-topic-status", "You are following Safeguarding.")
        .await;
    a.assert_accessible("threads (filtered to a topic)").await;

    // New thread: the filtered topic comes ticked.
    a.click("#new-thread").await;
    a.wait_for_path("/threads/new").await;
    let ticked = a.find("#thread-topics-safeguarding").await;
    assert!(
        ticked.is_selected().await.expect("ticked?"),
        "the list's topic is ticked already"
    );
    a.assert_accessible("new thread").await;

    // Without a topic the form says so, where the topics are, and stays.
    a.fill("#thread-title", title).await;
    a.click("#thread-topics-safeguarding").await;
    a.type_into(
        "#thread-body",
        "We run a **drop-in** craft session on Tuesdays.\n\nWhen a participant makes a disclosure, \
         who do we tell first: our own lead, or the ICB?",
    )
    .await;
    a.click("#post-thread").await;
    a.wait_for_text("#thread-topics-error", "Choose at least one topic.")
        .await;
    assert_eq!(
        a.client.current_url().await.expect("url").path(),
        "/threads/new",
        "an incomplete thread is not posted"
    );
    assert_eq!(
        a.text_content("#thread-title-error").await.as_deref(),
        Some(""),
        "the title is fine"
    );
    a.assert_accessible("new thread (no topic)").await;
    a.click("#thread-topics-safeguarding").await;
    a.click("#thread-activity-arts").await;

    // The preview is the server's rendering: bold, and the term explained.
    a.click("#thread-body-show-preview").await;
    wait_for_attr(&a, "#thread-body-show-preview", "aria-pressed", "true").await;
    a.wait_for_text("#thread-body-preview strong", "drop-in")
        .await;
    a.wait_for_text("#thread-body-preview .gloss", "ICB").await;
    a.wait_for_content("#thread-body-preview .gloss-tip", ICB_MEANS, true)
        .await;
    wait_displayed(&a, "#thread-body", false).await;
    a.assert_accessible("new thread (preview)").await;
    a.click("#thread-body-write").await;
    wait_for_attr(&a, "#thread-body-write", "aria-pressed", "true").await;
    wait_displayed(&a, "#thread-body", true).await;

    a.click("#post-thread").await;
    let thread_id = wait_for_thread_page(&a).await;
    a.wait_for_text("#thread-title", title).await;
    let opening = post_id(&a, "#posts article.post.opening").await;
    let opening_css = format!("#post-{opening}");
    a.wait_for_text(&format!("{opening_css} .post-body strong"), "drop-in")
        .await;
    a.wait_for_text(&format!("{opening_css} .post-body .gloss"), "ICB")
        .await;
    a.find(&format!("{opening_css}.mine")).await;
    a.assert_accessible("thread (just posted)").await;
    mark_document(&a).await;

    // Bob replies, quoting Alice.
    b.log_in(&app, &bob, "Bob Baker").await;
    b.goto(&app.url(&format!("/threads/{thread_id}"))).await;
    b.wait_for_text("#thread-title", title).await;
    b.click(&format!("{opening_css} .quote-reply")).await;
    b.wait_for_text("#quoting", "Quoting Alice Ahmed").await;
    b.type_into(
        "#reply-body",
        "Tell your safeguarding lead the same day, and write down their words, not yours.",
    )
    .await;
    b.assert_accessible("thread (writing a reply with a quote)")
        .await;
    b.click("#post-reply").await;
    b.wait_for_text("#thread-status", "Your reply is posted.")
        .await;
    b.wait_for_absent("#quoting").await;

    // Alice sees it arrive, with its quote, without reloading.
    a.wait_for_count("#posts article.post", 2).await;
    let reply = post_id(&a, "#posts article.post:not(.opening)").await;
    let reply_css = format!("#post-{reply}");
    a.wait_for_text(&format!("{reply_css} .post-body"), "write down their words")
        .await;
    a.wait_for_text(
        &format!("{reply_css} blockquote.quote .quote-author"),
        "Alice Ahmed wrote:",
    )
    .await;
    a.wait_for_text(&format!("{reply_css} blockquote.quote"), "drop-in")
        .await;
    a.wait_for_content("#announcer", "New reply from Bob Baker", true)
        .await;
    assert_same_document(&a, "the reply arrived live").await;
    a.assert_accessible("thread (a live reply)").await;

    // "This helped me", then the answer.
    let helpful = format!("{reply_css} button.helpful");
    wait_for_attr(&a, &helpful, "aria-pressed", "false").await;
    a.click(&helpful).await;
    wait_for_attr(&a, &helpful, "aria-pressed", "true").await;
    a.wait_for_content(&format!("{reply_css} .helpful-count"), "Helped 1", true)
        .await;
    a.click(&format!("{reply_css} .mark-answer")).await;
    a.wait_for_text("#thread-status", "Marked as the answer.")
        .await;
    a.wait_for_text(&format!("{reply_css} .answer-badge"), "Answer")
        .await;
    a.find(&format!("{reply_css}.answer")).await;
    a.wait_for_text(".thread-badges .thread-badge.answered", "Answered")
        .await;
    wait_for_attr(&a, "#answer-link", "href", &format!("#post-{reply}")).await;
    // The mark survived the thread reloading after the answer.
    wait_for_attr(&a, &helpful, "aria-pressed", "true").await;
    a.wait_for_text(&format!("{reply_css} .mark-answer"), "Unmark as answer")
        .await;
    assert_same_document(&a, "marking").await;
    a.assert_accessible("thread (reply marked helpful and the answer)")
        .await;
    // "Go to the answer" takes keyboard focus to it.
    a.click("#answer-link").await;
    a.wait_for_script(
        &format!(
            "return !!document.activeElement && document.activeElement.id === 'post-{reply}';"
        ),
        "the answer has focus",
    )
    .await;

    // Bob's page follows live: the count on his post and the answer.
    b.wait_for_content(
        &format!("{reply_css} .helpful-count"),
        "Helped 1 person",
        true,
    )
    .await;
    b.wait_for_text(&format!("{reply_css} .answer-badge"), "Answer")
        .await;
    b.find("#answer-link").await;
    assert_eq!(
        b.count(&format!("{reply_css} button.helpful")).await,
        0,
        "nobody marks their own post"
    );
    b.assert_accessible("thread (own reply marked helpful and the answer)")
        .await;

    // The list shows the reply and the answer.
    a.click("#nav-threads").await;
    let row = format!("#thread-list li.thread-row[data-thread-id='{thread_id}']");
    a.wait_for_text(&format!("{row} .thread-title a"), title)
        .await;
    a.wait_for_text(&format!("{row} .thread-replies"), "1 reply")
        .await;
    a.wait_for_text(&format!("{row} .thread-badge.answered"), "Answered")
        .await;
    // Alice read the reply as it arrived: nothing is new to her.
    assert_eq!(
        a.count(&format!("{row}.has-unread")).await,
        0,
        "a reply read live is not unread"
    );
    a.assert_accessible("threads (one answered)").await;

    // Search finds it by a word of its title, and leads back to it.
    a.click("#nav-search").await;
    a.wait_for_path("/search").await;
    a.fill("#search-q", "disclosure").await;
    a.click("#search-submit").await;
    a.wait_for_text("#search-status", "for “disclosure”").await;
    let hit = format!(
        "#search-results li.search-hit[data-kind='post'] \
         h2.search-hit-title a[href='/threads/{thread_id}#post-{opening}']"
    );
    a.wait_for_text(&hit, title).await;
    let mark = a
        .text_content("#search-results li.search-hit[data-kind='post'] .search-snippet mark")
        .await
        .unwrap_or_default();
    assert_eq!(
        mark.to_lowercase(),
        "disclosure",
        "the snippet marks the word"
    );
    a.assert_accessible("search results").await;
    a.click(&hit).await;
    a.wait_for_path(&format!("/threads/{thread_id}")).await;
    a.wait_for_text("#thread-title", title).await;
    a.find(&format!("{opening_css}[data-linked]")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_glossary_term_explains_itself_on_focus() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let carol = app.user("Carol Cole").await;
    let dan = app.user("Dan Dale").await;
    let priya = app.admin("Priya Shah").await;

    // Dan asks in a thread and writes to Carol, both times naming the ICB.
    let thread: ThreadResponse = json(
        app.post(
            "/api/threads",
            Some(&dan),
            &CreateThread {
                title: "Winter wellbeing grants".into(),
                body: "Has anyone applied to the ICB for a winter wellbeing grant?".into(),
                topics: vec![Topic::FundingAndSustainability],
                activity_types: Vec::new(),
                visibility: Visibility::Members,
                organisation_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let room = app.direct_room(&dan, carol.id).await;
    let mut dan_ws = app.ws(&dan).await;
    dan_ws
        .send_text(
            room.id,
            "icb-1",
            "The ICB has opened its winter grants round.",
        )
        .await;
    dan_ws.next().await;

    let driver = Driver::start().await;
    let c = driver.browser().await;
    c.log_in(&app, &carol, "Carol Cole").await;

    // In a thread post (rendered by the server)…
    c.goto(&app.url(&format!("/threads/{}", thread.thread.id)))
        .await;
    c.wait_for_text("#thread-title", "Winter wellbeing grants")
        .await;
    c.assert_accessible("thread with a glossary term").await;
    gloss_explains_on_focus(&c, "#posts article.post.opening .post-body", "thread").await;

    // …and in a chat message (rendered by the app).
    c.goto(&app.url(&format!("/rooms/{}", room.id))).await;
    c.wait_for_text("#room-title", "Dan Dale").await;
    c.wait_for_text("#messages", "winter grants round").await;
    gloss_explains_on_focus(&c, "#messages .message-body", "room").await;

    // The glossary page lists the terms; the filter narrows them.
    let seeded: GlossaryResponse =
        json(app.get("/api/glossary", Some(&carol)).await, StatusCode::OK).await;
    let icb = seeded
        .terms
        .iter()
        .find(|t| t.term == "ICB")
        .expect("the glossary is seeded with ICB");
    let all = seeded.terms.len();
    c.click("#nav-glossary").await;
    c.wait_for_path("/glossary").await;
    c.wait_for_text(&format!("#glossary-list dt#term-{}", icb.id), "ICB")
        .await;
    c.wait_for_count("#glossary-list dt", all).await;
    c.wait_for_text("#glossary-count", &format!("{all} terms."))
        .await;
    c.wait_for_text("#glossary-list", ICB_MEANS).await;
    c.assert_accessible("glossary").await;

    c.fill("#glossary-filter", "Integrated Care Board").await;
    c.find(&format!("#glossary-list dt#term-{}", icb.id)).await;
    c.wait_for_text("#glossary-count", "match “Integrated Care Board”")
        .await;
    let narrowed = c.count("#glossary-list dt").await;
    assert!(
        (1..all).contains(&narrowed),
        "the filter narrows {all} terms to {narrowed}"
    );
    c.assert_accessible("glossary (filtered)").await;
    c.fill("#glossary-filter", "zzyzx").await;
    c.wait_for_count("#glossary-list dt", 0).await;
    c.wait_for_text("#glossary-count", "No term matches “zzyzx”.")
        .await;
    // Emptied as a person would, with Backspace (so the page hears it).
    c.fill("#glossary-filter", "z").await;
    c.type_into("#glossary-filter", &char::from(Key::Backspace).to_string())
        .await;
    c.wait_for_count("#glossary-list dt", all).await;

    // Carol suggests a term; it waits for the programme team.
    c.fill("#suggest-term", "MDT").await;
    c.fill("#suggest-aliases", "multidisciplinary team").await;
    c.fill(
        "#suggest-definition",
        "A team of people from different professions (GPs, nurses, social workers) who meet to plan one person's care together.",
    )
    .await;
    c.click("#suggest-submit").await;
    c.wait_for_text("#suggest-done", "the programme team will review “MDT”")
        .await;
    c.wait_for_text("#my-suggestions", "MDT").await;
    wait_for_attr(
        &c,
        "#my-suggestions li.approval-item",
        "data-status",
        "pending",
    )
    .await;
    c.wait_for_text("#my-suggestions", "Waiting for approval")
        .await;
    c.wait_for_count("#glossary-list dt", all).await;
    c.wait_without_text("#glossary-list", "MDT").await;
    c.assert_accessible("glossary (a term suggested)").await;

    // The programme team sees it waiting and approves it.
    let pending: GlossaryResponse =
        json(app.get("/api/glossary", Some(&priya)).await, StatusCode::OK).await;
    let mdt = pending
        .suggestions
        .iter()
        .find(|t| t.term == "MDT")
        .expect("the suggestion is pending");
    let p = driver.browser().await;
    p.log_in(&app, &priya, "Priya Shah").await;
    p.click("#nav-glossary").await;
    p.wait_for_path("/glossary").await;
    p.wait_for_text("#pending-terms", "MDT").await;
    p.wait_for_text("#pending-terms", "Also written: multidisciplinary team")
        .await;
    p.wait_for_text("#pending-terms", "Suggested by Carol Cole")
        .await;
    p.find(&format!("#decline-term-{}", mdt.id)).await;
    p.assert_accessible("glossary (admin, a term waiting)")
        .await;
    p.click(&format!("#approve-term-{}", mdt.id)).await;
    p.wait_for_text("#glossary-status", "Approved MDT.").await;
    p.find("#pending-terms-empty").await;
    p.wait_for_text(&format!("#glossary-list dt#term-{}", mdt.id), "MDT")
        .await;
    p.wait_for_count("#glossary-list dt", all + 1).await;
    p.assert_accessible("glossary (admin, approved)").await;

    // Carol finds it in the glossary, and no longer among her suggestions.
    c.client.refresh().await.expect("reload");
    c.wait_for_text(&format!("#glossary-list dt#term-{}", mdt.id), "MDT")
        .await;
    c.wait_for_absent("#my-suggestions").await;
}
