//! Browser flow of the mentoring programme end to end: approvals, matching,
//! accepting, the mentorship room, goals and the dashboard.
//!
//! Three people in three browsers: the programme team (Priya), the lead of
//! an organisation (Lena) and a mentor (Morgan). The organisation and the
//! mentor application are set up through the API; everything after that is
//! done in the browsers, and axe-core checks every page and state reached.

use std::time::Duration;

use fantoccini::key::Key;
use shared::taxonomy::{Depth, Priority, Topic};

use crate::harness::browser::{Browser, Driver};
use crate::harness::programme::mentor_profile;
use crate::harness::{Backend, TestApp, require_site};

/// Wait until the text of `css` is exactly `text` (a count: "1" is not "10").
async fn wait_for_exact(b: &Browser, css: &str, text: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let content = b.text_content(css).await;
        if content.as_deref() == Some(text) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{css} never read {text:?}; it reads {content:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn send(b: &Browser, text: &str) {
    b.type_into("#composer", text).await;
    b.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_match_accept_talk_set_goals_and_see_the_dashboard() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin("Priya Shah").await;
    let lead = app.user("Lena Hart").await;
    let mentor = app.user("Morgan Ellis").await;
    let org = app
        .organisation(
            &lead,
            "Harbour Arts",
            "Plymouth",
            &[
                (Topic::Safeguarding, Priority::High),
                (Topic::FundingAndSustainability, Priority::Medium),
            ],
        )
        .await;
    app.apply_to_mentor(
        &mentor,
        &mentor_profile(
            &[
                (Topic::Safeguarding, Depth::Expert),
                (Topic::FundingAndSustainability, Depth::Experienced),
            ],
            "Plymouth",
            2,
        ),
    )
    .await;

    let driver = Driver::start().await;
    let priya = driver.browser().await;
    let morgan = driver.browser().await;
    let lena = driver.browser().await;

    // The programme team approves both, on the dashboard.
    priya.log_in(&app, &admin, "Priya Shah").await;
    priya.goto(&app.url("/admin")).await;
    wait_for_exact(&priya, "#dashboard-active", "0").await;
    wait_for_exact(&priya, "#dashboard-waiting", "0").await;
    priya.find(&format!("#approve-org-{}", org.id)).await;
    priya.find(&format!("#approve-mentor-{}", mentor.id)).await;
    priya.find("#chart-status").await;
    priya.assert_accessible("admin dashboard").await;

    // Declining asks why first; then think better of it.
    priya.click(&format!("#decline-org-{}", org.id)).await;
    priya.find(&format!("#decline-org-{}-reason", org.id)).await;
    priya.assert_accessible("admin decline form").await;
    priya.click_text("Cancel").await;

    priya.click(&format!("#approve-org-{}", org.id)).await;
    priya
        .wait_for_text("#admin-status", "Approved Harbour Arts")
        .await;
    priya.click(&format!("#approve-mentor-{}", mentor.id)).await;
    priya
        .wait_for_text("#admin-status", "Approved Morgan Ellis")
        .await;
    priya
        .wait_for_text("#pending-orgs-empty", "No organisation")
        .await;
    // Approved, with needs and no mentor: now it is waiting.
    wait_for_exact(&priya, "#dashboard-waiting", "1").await;
    priya
        .assert_accessible("admin dashboard after approvals")
        .await;

    // The matching console plans Morgan for Harbour Arts.
    priya.click("#matching-link").await;
    priya.wait_for_path("/admin/matching").await;
    priya.wait_for_text("#plan", "Harbour Arts").await;
    priya.wait_for_text("#plan", "Morgan Ellis").await;
    priya.wait_for_text("#plan", "top suggestion").await;
    priya.assert_accessible("matching console").await;

    // The organisation's suggestions: propose the top one.
    priya
        .goto(&app.url(&format!("/organisations/{}/mentors", org.id)))
        .await;
    priya.wait_for_text(".suggestion", "Morgan Ellis").await;
    priya.wait_for_text(".suggestion .factors", "Topics").await;
    priya.assert_accessible("suggestions").await;
    priya
        .fill(
            "#mentorship-note",
            "Morgan wrote the county's safeguarding toolkit.",
        )
        .await;
    priya.click(".suggestion .propose").await;
    let link = priya.find("#created-mentorship").await;
    let href = link
        .attr("href")
        .await
        .expect("read the link")
        .expect("the link has an address");
    assert!(href.starts_with("/mentorships/"), "{href}");
    priya.assert_accessible("suggestions after proposing").await;

    // The programme team sees the mentorship's metadata, not its content.
    priya.click("#created-mentorship").await;
    priya.wait_for_path("/mentorships/").await;
    priya
        .wait_for_text("#mentorship-title", "Harbour Arts and Morgan Ellis")
        .await;
    priya
        .wait_for_text("#mentorship-status-label", "Proposed")
        .await;
    priya
        .wait_for_text(
            "#members-only",
            "Only the mentor and the organisation’s staff see the conversation, goals and notes.",
        )
        .await;
    assert_eq!(priya.count("#composer").await, 0);
    priya
        .assert_accessible("mentorship as the programme team")
        .await;

    // The mentor hears of it and accepts.
    morgan.log_in(&app, &mentor, "Morgan Ellis").await;
    morgan.goto(&app.url("/notifications")).await;
    morgan
        .wait_for_text("#notification-list", "proposed Morgan Ellis")
        .await;
    morgan.click(&format!("a[href='{href}']")).await;
    morgan.wait_for_path(&href).await;
    morgan.find("#lifecycle-accept").await;
    // The programme team's note came with the proposal.
    morgan
        .wait_for_text(
            "#history",
            "Morgan wrote the county's safeguarding toolkit.",
        )
        .await;
    morgan
        .assert_accessible("mentorship proposed to the mentor")
        .await;
    // Declining asks for a reason before anything is sent.
    morgan.click("#lifecycle-decline").await;
    morgan.find("#lifecycle-reason").await;
    morgan.assert_accessible("decline reason").await;
    morgan.click("#lifecycle-cancel").await;
    morgan.wait_for_absent("#lifecycle-reason").await;
    morgan.click("#lifecycle-accept").await;
    morgan
        .wait_for_text("#mentorship-status-label", "Active")
        .await;
    morgan.find("#composer").await;

    // The lead opens the same mentorship: the conversation is there.
    lena.log_in(&app, &lead, "Lena Hart").await;
    lena.goto(&app.url(&href)).await;
    lena.wait_for_text("#mentorship-status-label", "Active")
        .await;
    lena.find("#composer").await;

    send(
        &morgan,
        "Hello Lena, shall we start with your safeguarding policy?",
    )
    .await;
    lena.wait_for_text("#messages", "Hello Lena, shall we start")
        .await;
    send(&lena, "Yes please, Thursday suits us.").await;
    morgan
        .wait_for_text("#messages", "Yes please, Thursday suits us.")
        .await;
    lena.assert_accessible("mentorship with its conversation")
        .await;

    // A goal added by the lead appears for the mentor live, no reload.
    lena.fill("#goal-title", "Adopt a safeguarding policy")
        .await;
    lena.click("#goal-add").await;
    lena.wait_for_text("#goals .goal", "Adopt a safeguarding policy")
        .await;
    morgan
        .wait_for_text("#goals .goal", "Adopt a safeguarding policy")
        .await;
    // And a session note from the mentor reaches the lead live too.
    morgan
        .fill("#note-summary", "Read the draft policy together.")
        .await;
    morgan
        .fill("#note-next-steps", "Lena shares it with the trustees.")
        .await;
    morgan.click("#note-add").await;
    morgan
        .wait_for_text(".session-note", "Read the draft policy together.")
        .await;
    lena.wait_for_text(".session-note", "Read the draft policy together.")
        .await;
    // The goal moves on.
    morgan
        .click("#goals .goal select option[value='in-progress']")
        .await;
    morgan
        .wait_for_text("#goals-status", "is now in progress")
        .await;
    morgan
        .assert_accessible("mentorship with goals and notes")
        .await;

    // Someone outside the programme team gets a polite refusal on /admin.
    lena.goto(&app.url("/admin")).await;
    lena.wait_for_text("#admin-only", "This page is for the programme team.")
        .await;
    lena.assert_accessible("admin page as a lead").await;

    // The dashboard: one active mentorship now, and nobody waiting.
    priya.goto(&app.url("/admin")).await;
    wait_for_exact(&priya, "#dashboard-active", "1").await;
    wait_for_exact(&priya, "#dashboard-waiting", "0").await;
    // The chart's figures, as screen readers get them.
    priya
        .wait_for_content("#chart-load-table", "Morgan Ellis", true)
        .await;
    priya
        .wait_for_content("#chart-load-table", "1 of 2 places", true)
        .await;
    priya.assert_accessible("admin dashboard at the end").await;

    // Completing asks first; then each side writes a closing reflection.
    morgan.click("#lifecycle-complete").await;
    morgan.click("#lifecycle-confirm").await;
    morgan
        .wait_for_text("#mentorship-status-label", "Completed")
        .await;
    morgan
        .fill("#reflection", "A policy adopted and trustees on board.")
        .await;
    morgan.click("#reflection-save").await;
    morgan
        .wait_for_text("#reflection-status", "Saved your reflection.")
        .await;
    morgan.assert_accessible("completed mentorship").await;
    lena.goto(&app.url(&href)).await;
    lena.wait_for_text("#other-reflection", "A policy adopted")
        .await;
    lena.wait_for_text("#goals .goal", "Adopt a safeguarding policy")
        .await;
}
