//! Browser flows in real headless Chromium: two people in two browser
//! profiles sign up, find each other, and chat live; axe-core checks every
//! page they visit.

use fantoccini::key::Key;
use reqwest::StatusCode;

use crate::harness::browser::{Browser, Driver};
use crate::harness::{Backend, TestApp, require_site};

async fn sign_up(b: &Browser, app: &TestApp, name: &str, email: &str) {
    b.goto(&app.url("/register")).await;
    b.find("#register-submit").await;
    b.assert_accessible("register").await;
    b.fill("#email", email).await;
    b.fill("#display-name", name).await;
    b.fill("#password", "tidal lantern meadow").await;
    b.click("#register-submit").await;
    b.wait_for_path("/").await;
    b.wait_for_text("#current-user", name).await;
    b.wait_for_text("#connection-status", "Connected").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_sign_up_find_each_other_and_chat_live() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let asha = driver.browser().await;
    let ben = driver.browser().await;

    sign_up(&asha, &app, "Asha Patel", "asha@example.org").await;
    asha.assert_accessible("rooms (empty)").await;
    sign_up(&ben, &app, "Ben Carter", "ben@example.org").await;

    // Asha finds Ben and opens a conversation.
    asha.click_text("People").await;
    asha.wait_for_path("/people").await;
    asha.fill("#people-search", "Ben").await;
    asha.click_text("Message Ben Carter").await;
    asha.wait_for_path("/rooms/").await;
    asha.wait_for_text("#room-title", "Ben Carter").await;
    asha.assert_accessible("people → room").await;

    // Ben's room list learns about the room live; he opens it.
    ben.wait_for_text("#room-list", "Asha Patel").await;
    ben.click("#room-list a.room-link").await;
    ben.wait_for_text("#room-title", "Asha Patel").await;

    // Enter sends; the message appears in the other browser without reload.
    let composer = asha.find("#composer").await;
    composer
        .send_keys("Hello Ben, do you have time to talk about volunteer supervision?")
        .await
        .expect("type");
    composer
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("enter");
    ben.wait_for_text(
        "#messages",
        "do you have time to talk about volunteer supervision?",
    )
    .await;
    ben.wait_for_text("#announcer", "New message from Asha Patel")
        .await;
    ben.assert_accessible("room with a message").await;

    // Shift+Enter makes a new line; Enter sends both lines as one message.
    let reply = ben.find("#composer").await;
    reply.send_keys("Yes, happy to.").await.expect("type");
    reply
        .send_keys(
            &[char::from(Key::Shift), char::from(Key::Enter)]
                .iter()
                .collect::<String>(),
        )
        .await
        .expect("shift+enter");
    reply.send_keys("Thursday?").await.expect("type");
    reply
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("enter");
    asha.wait_for_text("#messages", "Yes, happy to.\nThursday?")
        .await;
    assert_eq!(
        asha.client
            .find_all(fantoccini::Locator::Css("#messages li.message"))
            .await
            .expect("messages")
            .len(),
        2,
        "each message shows once"
    );

    // A reload keeps the history (it came from the server, not the page).
    ben.client.refresh().await.expect("reload");
    ben.wait_for_text("#messages", "volunteer supervision")
        .await;

    // Log out lands on the log-in page; logging back in works.
    ben.click("#logout").await;
    ben.wait_for_path("/login").await;
    ben.find("#login-submit").await;
    ben.assert_accessible("login").await;
    ben.fill("#email", "ben@example.org").await;
    ben.fill("#password", "wrong password entirely").await;
    ben.click("#login-submit").await;
    ben.wait_for_text("#form-error", "do not match").await;
    ben.fill("#password", "tidal lantern meadow").await;
    ben.click("#login-submit").await;
    ben.wait_for_text("#current-user", "Ben Carter").await;

    let deep = app.get("/people", None).await;
    assert_eq!(deep.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_reconnects_and_resumes_without_losing_a_message() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let asha = app.user("Asha Patel").await;
    let driver = Driver::start().await;
    let ben = driver.browser().await;
    sign_up(&ben, &app, "Ben Carter", "ben@example.org").await;
    let found: shared::api::users::ListUsersResponse = crate::harness::json(
        app.get("/api/users?q=Ben", Some(&asha)).await,
        StatusCode::OK,
    )
    .await;
    let ben_id = found.users[0].id;
    let room = app.direct_room(&asha, ben_id).await;
    ben.wait_for_text("#room-list", "Asha Patel").await;
    ben.click("#room-list a.room-link").await;
    ben.wait_for_text("#room-title", "Asha Patel").await;

    // The server drops every socket (as on a restart); Asha's message is
    // stored while Ben's browser is away.
    app.state.hub.close_all(1012, "service restart");
    ben.wait_for_text("#connection-status", "Reconnecting")
        .await;
    let mut asha_ws = app.ws(&asha).await;
    asha_ws
        .send_text(room.id, "while-away", "Sent while you were reconnecting")
        .await;
    asha_ws.next().await;

    ben.wait_for_text("#connection-status", "Connected").await;
    ben.wait_for_text("#messages", "Sent while you were reconnecting")
        .await;
    ben.assert_accessible("room after reconnect").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_explains_password_rules() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.goto(&app.url("/register")).await;
    b.find("#register-submit").await;
    b.fill("#email", "cara@example.org").await;
    b.fill("#display-name", "Cara Jones").await;
    // Long enough for the browser's own check, refused by the server's list.
    b.fill("#password", "passwordpassword").await;
    b.click("#register-submit").await;
    b.wait_for_text("#password-error", "too common").await;
    b.assert_accessible("register with an error").await;
}
