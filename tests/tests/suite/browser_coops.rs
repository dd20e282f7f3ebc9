//! The co-operative flow in Chromium: an organisation's lead asks to join
//! from the co-op's page, the coordinator sees the request arrive live and
//! admits it, the new member's lead and an existing member's lead (two
//! organisations) talk in the co-op's room, one of them turns a message
//! into an action with a due date and finds it in the co-op's actions, and
//! the network page shows the new organisation linked to the co-op.
//! axe-core checks every page and state reached.

use fantoccini::key::Key;

use crate::harness::browser::{Browser, Driver};
use crate::harness::coops::CoopWorld;
use crate::harness::{Backend, TestApp, require_site};

async fn send(b: &Browser, text: &str) {
    b.type_into("#composer", text).await;
    b.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
}

/// Sets a date input as the browser's own picker would, so the app hears
/// its input and change events.
async fn set_date(b: &Browser, css: &str, iso: &str) {
    b.find(css).await;
    b.client
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
             el.dispatchEvent(new Event('input', {bubbles: true})); \
             el.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            vec![css.into(), iso.into()],
        )
        .await
        .expect("set the date");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_joins_a_coop_talks_with_another_member_and_records_an_action() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = CoopWorld::new(&app).await;
    let coop = w.coop.id;
    // Harbour Arts is already in, with a general room.
    app.admit(&w.coordinator, &w.lead, coop, w.harbour.id).await;
    let room = app.coop_room(&w.coordinator, coop, "General").await;
    let coop_page = app.url(&format!("/coops/{coop}"));

    let driver = Driver::start().await;
    let bryn = driver.browser().await;
    let cora = driver.browser().await;
    let lowen = driver.browser().await;

    // The coordinator has the co-op open.
    cora.log_in(&app, &w.coordinator, "Cora Quinn").await;
    cora.goto(&coop_page).await;
    cora.wait_for_text("h1", "Plymouth Wellbeing Co-op").await;
    cora.wait_for_count(".coop-member", 1).await;

    // Tamar Gardens' lead finds the co-op in the directory and asks to join.
    bryn.log_in(&app, &w.other_lead, "Bryn Hale").await;
    bryn.goto(&app.url("/coops")).await;
    bryn.wait_for_count(".coop-card", 1).await;
    bryn.assert_accessible("co-op directory").await;
    bryn.click(&format!(".coop-card[data-coop-id='{coop}'] a"))
        .await;
    bryn.wait_for_text("h1", "Plymouth Wellbeing Co-op").await;
    bryn.assert_accessible("co-op home, outside").await;
    bryn.fill(
        "#coop-join-note",
        "We garden with people in recovery in Saltash.",
    )
    .await;
    bryn.click("#coop-join-submit").await;
    bryn.wait_for_count(".coop-request", 1).await;
    bryn.assert_accessible("co-op home, asked to join").await;

    // The coordinator sees the request arrive without reloading, and admits it.
    cora.wait_for_count(".coop-request", 1).await;
    cora.wait_for_text(".coop-request", "Tamar Gardens").await;
    cora.assert_accessible("co-op home, a request waiting")
        .await;
    cora.click(".coop-request .coop-request-admit").await;
    cora.wait_for_count(".coop-member", 2).await;
    cora.wait_for_count(".coop-request", 0).await;
    cora.wait_for_text("#coop-history", "Tamar Gardens").await;

    // Bryn's page follows: Tamar Gardens is a member, and the room is open to him.
    bryn.wait_for_count(&format!(".coop-member[data-org-id='{}']", w.tamar.id), 1)
        .await;
    bryn.click(&format!(
        ".coop-room[data-room-id='{}'] a.coop-room-link",
        room.room_id
    ))
    .await;
    bryn.wait_for_path(&format!("/rooms/{}", room.room_id))
        .await;
    bryn.find("#composer").await;

    // Harbour Arts' lead is in the same room; the two organisations talk.
    lowen.log_in(&app, &w.lead, "Lowen Tremayne").await;
    lowen
        .goto(&app.url(&format!("/rooms/{}", room.room_id)))
        .await;
    lowen.find("#composer").await;
    let offer = "Tamar Gardens can host the March steering group in our polytunnel.";
    send(&bryn, offer).await;
    lowen.wait_for_text("#messages", offer).await;
    send(&lowen, "Lovely, thank you. I'll put it on the list.").await;
    bryn.wait_for_text("#messages", "I'll put it on the list")
        .await;
    lowen.assert_accessible("co-op room").await;

    // Lowen turns Bryn's message into an action for Tamar Gardens, due in March.
    lowen.click(".message-record").await;
    lowen.click("#record-kind-action").await;
    lowen.find("#record-text").await;
    lowen
        .choose("#record-owner", &format!("organisation:{}", w.tamar.id))
        .await;
    set_date(&lowen, "#record-due", "2027-03-15").await;
    lowen.assert_accessible("record form").await;
    lowen.click("#record-submit").await;
    lowen.wait_for_text(".record-done", "actions").await;
    lowen.click(".record-done a").await;
    lowen.wait_for_path(&format!("/coops/{coop}")).await;
    lowen.wait_for_count("#coop-actions .coop-action", 1).await;
    lowen
        .wait_for_text("#coop-actions .coop-action-text", "polytunnel")
        .await;
    lowen
        .wait_for_text("#coop-actions .coop-action-owner", "Tamar Gardens")
        .await;
    let due = lowen
        .text_content("#coop-actions .coop-action-due")
        .await
        .unwrap_or_default();
    assert!(
        due.contains("2027") && due.contains("15"),
        "the due date shows: {due:?}"
    );
    lowen.assert_accessible("co-op home, an action").await;

    // The coordinator's open page shows it too, live.
    cora.wait_for_count("#coop-actions .coop-action", 1).await;

    // The network page links Tamar Gardens to the co-op, in the picture and the list.
    bryn.goto(&app.url("/network")).await;
    bryn.find("#network-graph").await;
    bryn.wait_for_count(
        &format!(
            "line.network-link[data-from='organisation:{}'][data-to='coop:{coop}']",
            w.tamar.id
        ),
        1,
    )
    .await;
    bryn.wait_for_text(
        &format!("li.network-entry[data-node='organisation:{}']", w.tamar.id),
        "Plymouth Wellbeing Co-op",
    )
    .await;
    bryn.assert_accessible("network").await;
}
