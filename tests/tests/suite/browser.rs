//! Browser flows in real headless Chromium: two people in two browser
//! profiles sign up, find each other, and chat live (typing, unread counts
//! across devices, read receipts, edits and deletes); axe-core checks every
//! page and state they reach.

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

async fn log_in(b: &Browser, app: &TestApp, name: &str, email: &str) {
    b.goto(&app.url("/login")).await;
    b.find("#login-submit").await;
    b.fill("#email", email).await;
    b.fill("#password", "tidal lantern meadow").await;
    b.click("#login-submit").await;
    b.wait_for_path("/").await;
    b.wait_for_text("#current-user", name).await;
    b.wait_for_text("#connection-status", "Connected").await;
}

/// `from` finds `to_name` on the People page and opens their direct room.
async fn open_conversation(from: &Browser, search: &str, to_name: &str) {
    from.click_text("People").await;
    from.wait_for_path("/people").await;
    from.fill("#people-search", search).await;
    from.click_text(&format!("Message {to_name}")).await;
    from.wait_for_path("/rooms/").await;
    from.wait_for_text("#room-title", to_name).await;
}

/// Opens the (only) room in the list, once it shows `title`.
async fn open_room_from_list(b: &Browser, title: &str) {
    b.wait_for_text("#room-list", title).await;
    b.click("#room-list a.room-link").await;
    b.wait_for_text("#room-title", title).await;
}

/// The narrowest phone the app is made for.
async fn phone_sized(b: &Browser) {
    b.client
        .set_window_size(360, 740)
        .await
        .expect("resize the window");
}

/// Types a message in the composer and sends it with Enter.
/// Asha and Ben, each signed up in a browser of their own. The driver is
/// kept so the browsers live as long as the test.
struct TwoBrowsers {
    app: TestApp,
    _driver: Driver,
    asha: Browser,
    ben: Browser,
}

async fn two_signed_up() -> TwoBrowsers {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let asha = driver.browser().await;
    let ben = driver.browser().await;
    sign_up(&asha, &app, "Asha Patel", "asha@example.org").await;
    sign_up(&ben, &app, "Ben Carter", "ben@example.org").await;
    TwoBrowsers {
        app,
        _driver: driver,
        asha,
        ben,
    }
}

/// Ben in a browser, with his room with Asha (who acts through the API) open.
struct BenInARoom {
    app: TestApp,
    asha: crate::harness::TestUser,
    _driver: Driver,
    ben: Browser,
    room: shared::api::rooms::RoomSummary,
}

async fn ben_in_a_room_with_asha() -> BenInARoom {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let asha = app.user("Asha Patel").await;
    let driver = Driver::start().await;
    let ben = driver.browser().await;
    sign_up(&ben, &app, "Ben Carter", "ben@example.org").await;
    let room = room_with_browser_user(&app, &asha, "Ben Carter").await;
    open_room_from_list(&ben, "Asha Patel").await;
    BenInARoom {
        app,
        asha,
        _driver: driver,
        ben,
        room,
    }
}

/// Open (from the API side) a direct room between `from` and the person
/// called `name` who signed up in a browser.
async fn room_with_browser_user(
    app: &TestApp,
    from: &crate::harness::TestUser,
    name: &str,
) -> shared::api::rooms::RoomSummary {
    let path = format!("/api/users?q={}", name.replace(' ', "%20"));
    let found: shared::api::users::ListUsersResponse =
        crate::harness::json(app.get(&path, Some(from)).await, StatusCode::OK).await;
    let user = found
        .users
        .iter()
        .find(|u| u.display_name == name)
        .unwrap_or_else(|| panic!("{name} is findable"));
    app.direct_room(from, user.id).await
}

async fn send(b: &Browser, text: &str) {
    b.type_into("#composer", text).await;
    b.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
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
    let BenInARoom {
        app,
        asha,
        _driver,
        ben,
        room,
    } = ben_in_a_room_with_asha().await;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_person_sees_who_is_typing_until_the_message_is_sent() {
    let TwoBrowsers {
        app: _app,
        _driver,
        asha,
        ben,
    } = two_signed_up().await;
    open_conversation(&asha, "Ben", "Ben Carter").await;
    open_room_from_list(&ben, "Asha Patel").await;

    asha.type_into("#composer", "Could we move the supervision session")
        .await;
    ben.wait_for_text("#typing-indicator", "Asha Patel is typing…")
        .await;
    ben.assert_accessible("room with someone typing").await;
    // Plain text, not an announcement on every keystroke.
    let live = ben
        .find("#typing-indicator")
        .await
        .attr("aria-live")
        .await
        .expect("attribute");
    assert_eq!(live, None, "the typing line is not a live region");

    asha.type_into("#composer", " to Friday?").await;
    asha.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
    ben.wait_for_text("#messages", "move the supervision session to Friday?")
        .await;
    ben.wait_for_absent("#typing-indicator").await;

    // Emptying the composer also stops the indicator.
    asha.type_into("#composer", "Also").await;
    ben.wait_for_text("#typing-indicator", "Asha Patel is typing…")
        .await;
    asha.fill("#composer", "").await;
    asha.type_into(
        "#composer",
        &[char::from(Key::Backspace)].iter().collect::<String>(),
    )
    .await;
    ben.wait_for_absent("#typing-indicator").await;

    // Presence: after a fresh connection Ben hears that Asha is online,
    // in the header and in the list, in words as well as a dot.
    ben.client.refresh().await.expect("reload");
    ben.wait_for_text("#room-title", "Asha Patel").await;
    ben.find(".room-heading .presence[data-status='online']")
        .await;
    ben.wait_for_text(".room-heading .presence", "Online").await;
    ben.find("#room-list .presence[data-status='online']").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_counts_follow_the_reader_across_both_of_their_devices() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let asha = driver.browser().await;
    let ben_phone = driver.browser().await;
    phone_sized(&ben_phone).await;
    sign_up(&asha, &app, "Asha Patel", "asha@example.org").await;
    sign_up(&ben_phone, &app, "Ben Carter", "ben@example.org").await;
    open_conversation(&asha, "Ben", "Ben Carter").await;
    // A second device with the same account.
    let ben_laptop = driver.browser().await;
    log_in(&ben_laptop, &app, "Ben Carter", "ben@example.org").await;
    ben_phone.wait_for_text("#room-list", "Asha Patel").await;
    ben_laptop.wait_for_text("#room-list", "Asha Patel").await;

    // Neither of Ben's screens has the room open: the messages count.
    send(&asha, "First: the DBS renewal is due.").await;
    ben_phone
        .wait_for_content("#room-list", "1 unread", true)
        .await;
    send(&asha, "Second: the volunteer rota for May.").await;
    send(&asha, "Third: can you review the safeguarding policy?").await;
    ben_phone
        .wait_for_content("#room-list", "3 unread", true)
        .await;
    ben_laptop
        .wait_for_content("#room-list", "3 unread", true)
        .await;
    ben_phone
        .assert_accessible("room list with an unread count")
        .await;

    // Opening it on one device clears the count on both.
    ben_phone.click("#room-list a.room-link").await;
    ben_phone
        .wait_for_text("#messages", "review the safeguarding policy?")
        .await;
    ben_phone
        .wait_for_text("#unread-divider", "New messages")
        .await;
    // The line sits just above the first unread message (its text as shown:
    // `innerText` leaves out the hidden explanation of the glossary term DBS).
    let divider_next = ben_phone
        .client
        .execute(
            "return document.getElementById('unread-divider').nextElementSibling.innerText",
            vec![],
        )
        .await
        .expect("script");
    assert!(
        divider_next
            .as_str()
            .is_some_and(|t| t.contains("DBS renewal")),
        "divider above the first unread message, got {divider_next}"
    );
    ben_phone
        .wait_for_content("#room-list", "unread", false)
        .await;
    ben_laptop
        .wait_for_content("#room-list", "unread", false)
        .await;
    ben_phone
        .assert_accessible("room with the new-messages line")
        .await;

    // Asha sees that Ben has read her newest message.
    asha.wait_for_text(".read-receipt", "Seen").await;
    assert_eq!(asha.count(".read-receipt").await, 1, "one receipt");
    let seen_under = asha
        .client
        .execute(
            "return document.querySelector('.read-receipt').closest('li').textContent",
            vec![],
        )
        .await
        .expect("script");
    assert!(
        seen_under.as_str().is_some_and(|t| t.contains("Third")),
        "Seen under the newest read message, got {seen_under}"
    );

    // While Ben has the room open in front of him, new messages do not count.
    send(&asha, "Fourth: thanks!").await;
    ben_phone
        .wait_for_text("#messages", "Fourth: thanks!")
        .await;
    ben_laptop
        .wait_for_text("#room-list", "Fourth: thanks!")
        .await;
    ben_laptop
        .wait_for_content("#room-list", "unread", false)
        .await;
    ben_phone
        .wait_for_content("#room-list", "unread", false)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_deletes_show_in_the_other_browser() {
    let TwoBrowsers {
        app: _app,
        _driver,
        asha,
        ben,
    } = two_signed_up().await;
    phone_sized(&asha).await;
    open_conversation(&asha, "Ben", "Ben Carter").await;
    open_room_from_list(&ben, "Asha Patel").await;

    send(&asha, "The co-op meeting is at 3pm on Thursday.").await;
    ben.wait_for_text("#messages", "3pm on Thursday").await;
    // Only the author gets the buttons.
    asha.find("#messages .message-actions").await;
    assert_eq!(ben.count("#messages .message-actions").await, 0);
    asha.assert_accessible("own message with Edit and Delete")
        .await;

    // Escape leaves the edit without changing anything.
    asha.click_text("Edit message").await;
    asha.find("#messages .edit-form textarea").await;
    asha.type_into(
        "#messages .edit-form textarea",
        &char::from(Key::Escape).to_string(),
    )
    .await;
    asha.wait_for_absent("#messages .edit-form").await;

    // An empty edit is refused next to the form, not sent.
    asha.click_text("Edit message").await;
    asha.fill("#messages .edit-form textarea", " ").await;
    asha.type_into(
        "#messages .edit-form textarea",
        &char::from(Key::Enter).to_string(),
    )
    .await;
    asha.wait_for_text("#messages .edit-form [role=alert]", "Write something")
        .await;
    asha.type_into(
        "#messages .edit-form textarea",
        &char::from(Key::Escape).to_string(),
    )
    .await;
    asha.wait_for_absent("#messages .edit-form").await;

    // Edit: the form opens in place, Enter saves.
    asha.click_text("Edit message").await;
    asha.fill(
        "#messages .edit-form textarea",
        "The co-op meeting is at 4pm on Thursday.",
    )
    .await;
    asha.assert_accessible("room with the edit form open").await;
    asha.type_into(
        "#messages .edit-form textarea",
        &char::from(Key::Enter).to_string(),
    )
    .await;
    asha.wait_for_absent("#messages .edit-form").await;
    ben.wait_for_text("#messages", "4pm on Thursday").await;
    ben.wait_for_text("#messages", "(edited)").await;
    ben.wait_without_text("#messages", "3pm").await;
    asha.wait_for_text("#messages", "(edited)").await;

    // Delete asks first, then leaves a tombstone everywhere.
    asha.click_text("Delete message").await;
    asha.wait_for_text(".delete-confirm", "Delete this message?")
        .await;
    asha.assert_accessible("room asking to confirm a delete")
        .await;
    asha.click_text("Yes, delete").await;
    ben.wait_for_text("#messages", "This message was deleted.")
        .await;
    ben.wait_without_text("#messages", "4pm").await;
    asha.wait_for_text("#messages", "This message was deleted.")
        .await;
    asha.wait_for_absent("#messages .message-actions").await;
    ben.assert_accessible("room with a deleted message").await;
    asha.assert_accessible("own deleted message").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_turn_read_receipts_off_and_it_sticks() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let cara = driver.browser().await;
    sign_up(&cara, &app, "Cara Jones", "cara@example.org").await;

    cara.click_text("Settings").await;
    cara.wait_for_path("/settings").await;
    let checkbox = cara.find("#read-receipts").await;
    assert!(
        checkbox.is_selected().await.expect("checked?"),
        "on by default"
    );
    cara.assert_accessible("settings").await;

    checkbox.click().await.expect("click");
    cara.wait_for_text("#settings-status", "Saved.").await;
    cara.assert_accessible("settings after saving").await;

    // It was stored, not just shown.
    cara.client.refresh().await.expect("reload");
    let checkbox = cara.find("#read-receipts").await;
    assert!(
        !checkbox.is_selected().await.expect("checked?"),
        "still off after a reload"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_outage_shows_the_offline_banner_and_sends_on_reconnect() {
    let BenInARoom {
        app,
        asha,
        _driver,
        ben,
        room,
    } = ben_in_a_room_with_asha().await;

    // The page cannot open sockets for a while (as with no network), and
    // the server drops the one it has.
    ben.client
        .execute(
            "window.realWebSocket = window.WebSocket;
             window.WebSocket = function () { throw new Error('no network in this test'); };",
            vec![],
        )
        .await
        .expect("script");
    app.state.hub.close_all(1012, "service restart");
    ben.wait_for_text("#offline-banner", "You're offline.")
        .await;
    send(&ben, "Written while offline").await;
    ben.wait_for_text("#messages", "Waiting for the connection")
        .await;
    ben.assert_accessible("room while offline").await;

    // The network is back: the banner goes and the queued message is sent.
    ben.client
        .execute(
            "window.WebSocket = window.realWebSocket;
             window.dispatchEvent(new Event('online'));",
            vec![],
        )
        .await
        .expect("script");
    ben.wait_for_text("#connection-status", "Connected").await;
    ben.wait_for_absent("#offline-banner").await;
    ben.wait_for_absent("#messages .message-pending").await;
    let stored: shared::api::rooms::ListMessagesResponse = crate::harness::json(
        app.get(&format!("/api/rooms/{}/messages", room.id), Some(&asha))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        stored
            .messages
            .iter()
            .any(|m| m.body == "Written while offline"),
        "the queued message was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_reaches_the_header_badge_and_the_notifications_page() {
    let TwoBrowsers {
        app: _app,
        _driver,
        asha,
        ben,
    } = two_signed_up().await;

    // Nothing yet: the page says so.
    ben.click("#nav-notifications").await;
    ben.wait_for_path("/notifications").await;
    ben.wait_for_text("#notifications-empty", "No notifications yet")
        .await;
    assert_eq!(ben.count("#notification-count").await, 0, "no badge at 0");
    ben.assert_accessible("notifications (empty)").await;

    // Ben is elsewhere when Asha mentions him.
    ben.click_text("People").await;
    ben.wait_for_path("/people").await;
    open_conversation(&asha, "Ben", "Ben Carter").await;
    send(
        &asha,
        "@ben carter could you cover Thursday's walking group?",
    )
    .await;

    // The badge shows a number; its words say what the number is.
    ben.wait_for_text("#notification-count", "1").await;
    ben.wait_for_content("#nav-notifications", "Notifications, 1 unread", true)
        .await;
    ben.wait_for_content("#announcer", "Asha Patel mentioned you", true)
        .await;

    // Opening the page lists the mention and marks it read.
    ben.click("#nav-notifications").await;
    ben.wait_for_path("/notifications").await;
    ben.wait_for_text("#notification-list", "Asha Patel mentioned you")
        .await;
    ben.wait_for_text(
        "#notification-list .notification-excerpt",
        "could you cover Thursday's walking group?",
    )
    .await;
    // Still tagged "New" on this visit, in words, not only by colour.
    ben.wait_for_text("#notification-list .notification.unread", "New")
        .await;
    ben.wait_for_absent("#notification-count").await;
    ben.assert_accessible("notifications (one new)").await;

    // It stays read after a reload (the server was told).
    ben.client.refresh().await.expect("reload");
    ben.wait_for_text("#notification-list", "Asha Patel mentioned you")
        .await;
    assert_eq!(ben.count("#notification-count").await, 0);
    assert_eq!(
        ben.count("#notification-list .notification.unread").await,
        0
    );

    // On a phone, too: the page fits and the link opens the room at the
    // message, highlighted as a mention.
    phone_sized(&ben).await;
    ben.assert_accessible("notifications (phone)").await;
    ben.click("#notification-list a.notification-link").await;
    ben.wait_for_path("/rooms/").await;
    ben.wait_for_text("#room-title", "Asha Patel").await;
    ben.wait_for_text(
        "#messages .message.mentions-me[data-linked]",
        "Mentions you",
    )
    .await;
    ben.wait_for_text("#messages .message.mentions-me", "walking group")
        .await;
    ben.assert_accessible("room opened from a notification")
        .await;
    // Asha's own copy mentions Ben, not her.
    asha.wait_for_text("#messages", "walking group").await;
    assert_eq!(asha.count("#messages .message.mentions-me").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_muted_room_does_not_raise_the_badge_until_unmuted() {
    let BenInARoom {
        app,
        asha,
        _driver,
        ben,
        room,
    } = ben_in_a_room_with_asha().await;

    ben.click(".room-options summary").await;
    ben.wait_for_text("#mute-toggle", "Mute").await;
    ben.click("#mute-toggle").await;
    ben.wait_for_text("#mute-toggle", "Unmute").await;
    ben.wait_for_text("#mute-help", "won't be notified of mentions here")
        .await;
    ben.wait_for_text("#room-list .muted-label", "Muted").await;
    ben.assert_accessible("muted room").await;

    let mut asha_ws = app.ws(&asha).await;
    asha_ws
        .send_text(room.id, "muted-1", "@Ben Carter the rota is up")
        .await;
    ben.wait_for_text("#messages", "the rota is up").await;
    // No notification: the badge stays away for a good while.
    for _ in 0..20 {
        assert_eq!(
            ben.count("#notification-count").await,
            0,
            "a muted room raised the badge"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Unmuting brings "Mute" back, and the next mention counts.
    ben.click("#mute-toggle").await;
    ben.wait_for_text("#mute-toggle", "Mute").await;
    ben.wait_without_text("#mute-toggle", "Unmute").await;
    ben.wait_for_absent("#room-list .muted-label").await;
    asha_ws
        .send_text(room.id, "unmuted-1", "@Ben Carter and the new one")
        .await;
    ben.wait_for_text("#notification-count", "1").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_a_conversation_stops_its_messages_until_it_is_opened_again() {
    let TwoBrowsers {
        app: _app,
        _driver,
        asha,
        ben,
    } = two_signed_up().await;
    open_conversation(&asha, "Ben", "Ben Carter").await;
    send(&asha, "Are you coming to the co-op meeting?").await;
    open_room_from_list(&ben, "Asha Patel").await;
    ben.wait_for_text("#messages", "co-op meeting").await;
    ben.wait_for_content("#room-list", "unread", false).await;

    ben.click(".room-options summary").await;
    ben.click("#leave-room").await;
    ben.find("#leave-confirm").await;
    ben.assert_accessible("room asking to confirm leaving")
        .await;
    ben.click("#leave-confirm").await;
    ben.wait_for_absent("#room-list a.room-link").await;
    assert!(
        !ben.client
            .current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/rooms/")
    );

    // Asha's next message does not bring the room back to Ben...
    send(&asha, "Hello?").await;
    asha.wait_for_text("#messages", "Hello?").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(ben.count("#room-list a.room-link").await, 0);

    // ...but opening the conversation again does, with everything in it.
    open_conversation(&asha, "Ben", "Ben Carter").await;
    open_room_from_list(&ben, "Asha Patel").await;
    ben.wait_for_text("#messages", "Hello?").await;
}
