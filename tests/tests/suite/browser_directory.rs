//! Browser flows of the programme directory: adding an organisation, its
//! needs and staff invitations, applying to mentor, and the directories.
//! The programme team's decisions are made through the API (their pages are
//! tested elsewhere); axe-core checks every page the people reach.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::api::mentors::MentorView;
use shared::api::organisations::OrganisationView;
use shared::taxonomy::{Priority, Topic};

use crate::harness::browser::{Browser, Driver};
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, json, require_site};

/// The `value` property of an input.
async fn value_of(b: &Browser, css: &str) -> String {
    b.find(css).await;
    b.client
        .execute(
            "return document.querySelector(arguments[0]).value;",
            vec![Value::String(css.to_owned())],
        )
        .await
        .expect("read value")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// At the narrowest phone width nothing may need sideways scrolling.
async fn assert_fits_phone(b: &Browser, page: &str) {
    b.client
        .set_window_size(360, 740)
        .await
        .expect("resize the window");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let overflow = b
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("measure")
        .as_i64()
        .unwrap_or_default();
    assert!(
        overflow <= 0,
        "the {page} page is {overflow}px wider than a 360px phone"
    );
    b.assert_accessible(&format!("{page} at 360px")).await;
    b.client
        .set_window_size(1000, 800)
        .await
        .expect("resize the window");
}

/// The id at the end of the current path (`/organisations/7` → 7).
async fn id_from_path(b: &Browser) -> i64 {
    let url = b.client.current_url().await.expect("url");
    url.path()
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {url}"))
}

async fn decide(app: &TestApp, admin: &TestUser, what: &str, id: i64) {
    let res = app
        .post(
            &format!("/api/{what}/{id}/decision"),
            Some(admin),
            &json!({ "approve": true }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "approve {what} {id}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_adds_an_organisation_lists_needs_and_invites_a_colleague() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin("Priya Programme").await;
    let lena = app.user("Lena Lead").await;
    let colin = app.user("Colin Colleague").await;
    let driver = Driver::start().await;
    let lead = driver.browser().await;
    let staff = driver.browser().await;

    // The programme page offers both ways in.
    lead.log_in(&app, &lena, "Lena Lead").await;
    lead.click_text("Programme").await;
    lead.wait_for_path("/programme").await;
    lead.wait_for_text("#my-organisations-empty", "not on the staff")
        .await;
    lead.find("#programme-apply").await;
    lead.assert_accessible("programme (new person)").await;

    // Adding an organisation: the form says what is missing, then takes it.
    lead.click("#programme-add-organisation").await;
    lead.wait_for_path("/organisations/new").await;
    lead.find("#org-save").await;
    lead.assert_accessible("add your organisation").await;
    lead.click("#org-save").await;
    lead.wait_for_text("#org-name-error", "Enter the organisation's name")
        .await;
    lead.wait_for_text("#org-size-error", "Choose how many")
        .await;
    lead.assert_accessible("add your organisation (errors)")
        .await;
    lead.fill("#org-name", "Harbour Arts Collective").await;
    lead.fill(
        "#org-description",
        "Weekly painting and printmaking groups on the waterfront.",
    )
    .await;
    lead.click("#org-activity-arts").await;
    lead.click("#org-activity-peer-support").await;
    lead.fill("#org-locality", "Plymouth").await;
    lead.fill("#org-populations", "Adults referred by link workers")
        .await;
    lead.choose("#org-size", "small").await;
    lead.click("#org-save").await;
    lead.wait_for_text("#org-status", "Waiting for approval")
        .await;
    lead.wait_for_text("#org-heading", "Harbour Arts Collective")
        .await;
    let org_id = id_from_path(&lead).await;
    lead.wait_for_text("#staff-list", "Lena Lead").await;
    lead.assert_accessible("organisation (waiting for approval)")
        .await;

    // The programme team approves it; the banner goes.
    decide(&app, &admin, "organisations", org_id).await;
    lead.client.refresh().await.expect("reload");
    lead.wait_for_text("#org-heading", "Harbour Arts Collective")
        .await;
    lead.find("#needs-save").await;
    assert_eq!(lead.count("#org-status").await, 0, "approved: no banner");

    // Two needs, with priorities and words of their own.
    lead.click("#need-safeguarding").await;
    lead.choose("#need-safeguarding-priority", "high").await;
    lead.fill(
        "#need-safeguarding-description",
        "A safeguarding policy our volunteers can follow.",
    )
    .await;
    lead.click("#need-funding-and-sustainability").await;
    lead.choose("#need-funding-and-sustainability-priority", "low")
        .await;
    lead.click("#needs-save").await;
    lead.wait_for_text("#needs-status", "Needs saved: 2 topics.")
        .await;
    lead.assert_accessible("organisation (needs editor)").await;
    let saved: OrganisationView = json(
        app.get(&format!("/api/organisations/{org_id}"), Some(&lena))
            .await,
        StatusCode::OK,
    )
    .await;
    let needs: Vec<(Topic, Priority)> = saved.needs.iter().map(|n| (n.topic, n.priority)).collect();
    assert!(
        needs.contains(&(Topic::Safeguarding, Priority::High)),
        "{needs:?}"
    );
    assert!(
        needs.contains(&(Topic::FundingAndSustainability, Priority::Low)),
        "{needs:?}"
    );
    assert_eq!(needs.len(), 2);

    // The profile can be edited in place.
    lead.click("#org-edit").await;
    lead.fill("#org-locality", "Plymouth and Devonport").await;
    lead.assert_accessible("organisation (editing the profile)")
        .await;
    lead.click("#org-save").await;
    lead.wait_for_text("#org-profile-status", "Profile saved.")
        .await;
    lead.wait_for_text("#org-locality-text", "Plymouth and Devonport")
        .await;

    // An invitation link: whole, read-only, copyable, and honest about expiry.
    lead.click("#invite-create").await;
    let link = value_of(&lead, "#invite-link").await;
    assert!(
        link.starts_with(&format!("{}/join/", app.origin())),
        "the link is a full URL: {link}"
    );
    lead.wait_for_text("#invite-link-hint", "works once and expires on")
        .await;
    lead.click("#invite-copy").await;
    lead.wait_for_content("#invite-copy-status", ".", true)
        .await;
    lead.assert_accessible("organisation (invitation link)")
        .await;
    assert_fits_phone(&lead, "organisation (lead)").await;

    // The colleague opens the link in their own browser while signed out:
    // they are asked to log in, and come back to the link afterwards.
    staff.goto(&link).await;
    staff.wait_for_path("/login").await;
    staff.find("#login-submit").await;
    staff.fill("#email", &colin.email).await;
    staff.fill("#password", PASSWORD).await;
    staff.click("#login-submit").await;
    staff.wait_for_path("/join/").await;
    staff
        .wait_for_text("#current-user", "Colin Colleague")
        .await;
    staff
        .wait_for_text("#join-heading", "Join Harbour Arts Collective as staff")
        .await;
    staff
        .wait_for_text("#join-preview", "Lena Lead invited you")
        .await;
    staff.assert_accessible("join").await;
    staff.click("#join-accept").await;
    staff
        .wait_for_path(&format!("/organisations/{org_id}"))
        .await;
    staff.wait_for_text("#staff-list", "Colin Colleague").await;
    staff
        .wait_for_content(
            &format!("#staff-list [data-user-id='{}']", colin.id),
            "(you)",
            true,
        )
        .await;
    staff.find("#org-leave").await;
    staff.find("#org-find-mentor").await;
    assert_eq!(
        staff.count("#needs-save").await,
        0,
        "staff do not edit needs"
    );
    assert_eq!(
        staff.count("#invite-create").await,
        0,
        "staff do not invite"
    );
    staff.wait_for_text("#needs-list", "Safeguarding").await;
    staff.assert_accessible("organisation (staff)").await;

    // The link worked once.
    staff.goto(&link).await;
    staff
        .wait_for_text("#join-unusable", "cannot be used")
        .await;
    staff.assert_accessible("join (used link)").await;

    // The lead sees the newcomer and names them safeguarding lead.
    lead.client.refresh().await.expect("reload");
    lead.wait_for_text("#staff-list", "Colin Colleague").await;
    lead.choose("#safeguarding-lead", &colin.id.to_string())
        .await;
    lead.click("#safeguarding-save").await;
    lead.wait_for_text(
        "#safeguarding-status",
        "Colin Colleague is the safeguarding lead.",
    )
    .await;
    lead.assert_accessible("organisation (staff of two)").await;

    // The only lead cannot leave; once Colin leads too, Lena can.
    lead.find("#sole-lead-note").await;
    assert_eq!(
        lead.count("#org-leave").await,
        0,
        "the only lead is not offered leave"
    );
    lead.click(&format!("#staff-lead-{}", colin.id)).await;
    lead.wait_for_text("#staff-status", "Colin Colleague is now a lead.")
        .await;
    lead.find("#org-leave").await;
    // Lena is no longer the only lead, so she may step down.
    lead.wait_for_text(&format!("#staff-lead-{}", lena.id), "Step down as lead")
        .await;

    // The directory lists it, and its filters narrow the list.
    lead.click_text("Organisations").await;
    lead.wait_for_path("/organisations").await;
    lead.wait_for_count(".org-card", 1).await;
    lead.wait_for_text(".org-card", "Harbour Arts Collective")
        .await;
    lead.wait_for_text(".org-card", "Safeguarding").await;
    lead.assert_accessible("organisations directory").await;
    lead.choose("#filter-topic", "evaluation-and-outcomes")
        .await;
    lead.wait_for_count(".org-card", 0).await;
    lead.wait_for_text("#directory-status", "No organisations match")
        .await;
    lead.choose("#filter-topic", "safeguarding").await;
    lead.wait_for_count(".org-card", 1).await;
    lead.fill("#filter-locality", "Bristol").await;
    lead.wait_for_count(".org-card", 0).await;
    lead.click("#filter-clear").await;
    lead.wait_for_count(".org-card", 1).await;
    lead.assert_accessible("organisations directory (filtered)")
        .await;
    assert_fits_phone(&lead, "organisations directory").await;

    // Colin's programme page lists the organisation.
    staff.click_text("Programme").await;
    staff
        .wait_for_text("#my-organisations", "Harbour Arts Collective")
        .await;
    staff.assert_accessible("programme (staff)").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_applies_to_mentor_and_the_directory_finds_them() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin("Priya Programme").await;
    let maya = app.user("Maya Mentor").await;
    // Another approved mentor, who knows about funding and meets only in Bristol.
    let omar = app.user("Omar Other").await;
    let omar_profile = json!({
        "bio": "Fundraiser for small charities.",
        "expertise": [{ "topic": "funding-and-sustainability", "depth": "expert" }],
        "activity_types": ["sport-and-movement"],
        "localities": ["Bristol"],
        "remote": false,
        "in_person": true,
        "capacity": 2,
        "lived_experience": false
    });
    let applied: MentorView = json(
        app.put("/api/mentors/me", Some(&omar), &omar_profile).await,
        StatusCode::OK,
    )
    .await;
    decide(&app, &admin, "mentors", applied.user.id).await;

    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &maya, "Maya Mentor").await;
    b.click_text("Programme").await;
    b.click("#programme-apply").await;
    b.wait_for_path("/mentor-profile").await;
    b.wait_for_text("#mentor-profile-heading", "Apply to mentor")
        .await;
    b.find("#mentor-save").await;
    b.assert_accessible("apply to mentor").await;

    // Nothing chosen: the form says what it needs.
    b.click("#mentor-save").await;
    b.wait_for_text("#expertise-error", "at least one topic")
        .await;
    b.assert_accessible("apply to mentor (errors)").await;

    b.fill(
        "#mentor-bio",
        "Safeguarding lead in a mental health trust for twelve years.",
    )
    .await;
    b.choose("#expertise-safeguarding", "expert").await;
    b.choose("#expertise-training-and-supervision", "experienced")
        .await;
    b.click("#mentor-activity-peer-support").await;
    b.fill("#mentor-localities", "Plymouth, Exeter").await;
    b.click("#mentor-in-person").await;
    b.fill("#mentor-capacity", "3").await;
    b.click("#mentor-lived-experience").await;
    b.click("#mentor-save").await;
    b.wait_for_text("#mentor-save-status", "Thank you for applying")
        .await;
    b.wait_for_text("#mentor-status", "Waiting for approval")
        .await;
    b.wait_for_text("#mentor-save", "Save profile").await;
    b.assert_accessible("mentor profile (waiting for approval)")
        .await;
    assert_fits_phone(&b, "mentor profile").await;

    // Approved, Maya is in the directory with her places and lived experience.
    decide(&app, &admin, "mentors", maya.id).await;
    b.click_text("Mentors").await;
    b.wait_for_path("/mentors").await;
    b.wait_for_count(".mentor-card", 2).await;
    let maya_card = format!(".mentor-card[data-mentor-id='{}']", maya.id);
    let omar_card = format!(".mentor-card[data-mentor-id='{}']", omar.id);
    b.wait_for_text(&maya_card, "Safeguarding").await;
    b.wait_for_text(&maya_card, "Expert").await;
    b.wait_for_text(&maya_card, "3 places free").await;
    b.wait_for_text(&maya_card, "Lived experience").await;
    b.wait_for_text(&maya_card, "Remote and in person").await;
    b.wait_for_text(&omar_card, "In person only").await;
    b.wait_without_text(&omar_card, "Lived experience").await;
    b.assert_accessible("mentors directory").await;

    // The topic filter narrows the list; so does the locality.
    b.choose("#filter-topic", "safeguarding").await;
    b.wait_for_count(".mentor-card", 1).await;
    b.find(&maya_card).await;
    b.wait_for_text("#directory-status", "1 mentor.").await;
    b.choose("#filter-topic", "").await;
    b.wait_for_count(".mentor-card", 2).await;
    b.fill("#filter-locality", "Bristol").await;
    b.wait_for_count(".mentor-card", 2).await;
    b.fill("#filter-locality", "Exeter").await;
    b.wait_for_count(".mentor-card", 1).await;
    b.find(&maya_card).await;
    b.assert_accessible("mentors directory (filtered)").await;
    assert_fits_phone(&b, "mentors directory").await;

    // Her public profile, and her own page now says approved.
    b.click(&format!("{maya_card} .card-title a")).await;
    b.wait_for_path(&format!("/mentors/{}", maya.id)).await;
    b.wait_for_text("#mentor-heading", "Maya Mentor").await;
    b.wait_for_text("#main", "Lived experience").await;
    b.assert_accessible("mentor").await;
    b.click_text("Edit your mentor profile").await;
    b.wait_for_text("#mentor-status", "Approved").await;
    b.assert_accessible("mentor profile (approved)").await;

    // The programme team has its own link in the header.
    let admin_browser = driver.browser().await;
    admin_browser.log_in(&app, &admin, "Priya Programme").await;
    admin_browser.find("#nav-admin").await;
    assert_eq!(b.count("#nav-admin").await, 0, "only admins see Admin");
    admin_browser.click_text("Programme").await;
    admin_browser
        .wait_for_text("#programme-admin", "programme team")
        .await;
    admin_browser.assert_accessible("programme (admin)").await;
    assert_fits_phone(&admin_browser, "programme (admin)").await;
}
