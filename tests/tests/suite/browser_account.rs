//! One's own account in Chromium: a member sets up two-factor sign-in from
//! the settings page (the key read off the page, the code computed here as
//! an authenticator app would), keeps the recovery codes, and the next
//! log-in asks for a code; a member downloads their data; a member deletes
//! their account; the programme team reads the audit log, filtered and
//! paged. axe-core checks every page reached.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fantoccini::key::Key;
use reqwest::StatusCode;
use serde_json::Value;
use server::auth::totp;
use server::db::audit::{self, Entry, Event};
use shared::api::auth::Login;

use crate::harness::browser::{Browser, Driver};
use crate::harness::{Backend, PASSWORD, TestApp, require_site};

/// Seconds since the epoch, once at least three seconds of the current
/// 30-second step remain (so a code computed now is checked in the same
/// step, or the next, which the server's drift allows).
async fn now() -> u64 {
    loop {
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        if t % totp::STEP_SECONDS < totp::STEP_SECONDS - 3 {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// What the authenticator app shows `steps` steps from now (-1, 0 or 1).
async fn code(secret: &str, steps: u64) -> String {
    let at = now().await + steps * totp::STEP_SECONDS;
    totp::code_at(secret, at).expect("a valid secret")
}

/// A six-digit code the server would not accept now.
async fn wrong_code(secret: &str) -> String {
    let t = now().await;
    let right: Vec<String> = [t - totp::STEP_SECONDS, t, t + totp::STEP_SECONDS]
        .iter()
        .filter_map(|at| totp::code_at(secret, *at))
        .collect();
    (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|c| !right.contains(c))
        .expect("a wrong code exists")
}

async fn send(b: &Browser, text: &str) {
    b.type_into("#composer", text).await;
    b.type_into("#composer", &char::from(Key::Enter).to_string())
        .await;
}

/// The value of attribute `name` of the first element matching `css`.
async fn attribute(b: &Browser, css: &str, name: &str) -> Value {
    b.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             return el ? el.getAttribute(arguments[1]) : undefined;",
            vec![
                Value::String(css.to_owned()),
                Value::String(name.to_owned()),
            ],
        )
        .await
        .expect("read an attribute")
}

async fn log_in_form(b: &Browser, app: &TestApp, email: &str) {
    b.goto(&app.url("/login")).await;
    b.find("#login-submit").await;
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sets_up_two_factor_and_the_next_log_in_asks_for_a_code() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mina = app.user("Mina Okafor").await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &mina, "Mina Okafor").await;

    // Settings: off, with a way to set it up.
    b.goto(&app.url("/settings#two-factor")).await;
    b.wait_for_text("#two-factor-state", "off").await;
    assert_eq!(b.count("#two-factor-banner").await, 0, "not for members");
    b.click("#two-factor-setup").await;

    // The key, in fours, and the link for an app on this device.
    b.find("#two-factor-key").await;
    let shown = b.text_content("#two-factor-key").await.expect("the key");
    assert!(
        shown.contains(' '),
        "the key is grouped for reading: {shown}"
    );
    let secret: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(secret.len(), 32, "a 160-bit key in base32: {secret}");
    let link = attribute(&b, "#two-factor-link", "href").await;
    let link = link.as_str().expect("the otpauth link");
    assert!(link.starts_with("otpauth://totp/"), "{link}");
    assert!(link.contains(&format!("secret={secret}")), "{link}");
    b.assert_accessible("settings, setting up two-factor").await;

    // A wrong code is refused at the field; the app's code turns it on.
    b.fill("#two-factor-code", &wrong_code(&secret).await).await;
    b.click("#two-factor-enable").await;
    b.wait_for_text("#two-factor-code-error", "not right").await;
    b.fill("#two-factor-code", &code(&secret, 0).await).await;
    b.click("#two-factor-enable").await;

    // The recovery codes, once, with a download and "I have saved them".
    b.wait_for_count("#recovery-codes li", 10).await;
    b.wait_for_text("#two-factor-state", "on").await;
    let first = b
        .text_content("#recovery-codes li")
        .await
        .expect("a recovery code");
    let download = attribute(&b, "#recovery-codes-download", "href").await;
    let download = download.as_str().expect("the download link");
    assert!(download.starts_with("data:text/plain"), "{download}");
    assert!(download.contains(&first), "the file holds the codes");
    assert!(
        !attribute(&b, "#recovery-codes-download", "download")
            .await
            .is_null()
    );
    b.assert_accessible("settings, recovery codes").await;
    b.click("#recovery-codes-done").await;
    b.wait_for_text("#recovery-codes-saved-error", "saved these codes")
        .await;
    b.click("#recovery-codes-saved").await;
    b.click("#recovery-codes-done").await;
    b.wait_for_absent("#recovery-codes").await;
    b.find("#recovery-new").await;
    b.find("#two-factor-off").await;
    b.assert_accessible("settings, two-factor on").await;

    // Log out; logging in now asks for the code.
    b.click("#logout").await;
    b.wait_for_path("/login").await;
    log_in_form(&b, &app, &mina.email).await;
    b.find("#login-code").await;
    b.wait_for_text("#login-code-step", "authenticator app")
        .await;
    assert_eq!(
        attribute(&b, "#login-code", "autocomplete").await,
        "one-time-code"
    );
    assert_eq!(b.count("#current-user:not(:empty)").await, 0);
    b.assert_accessible("log in, the code step").await;

    // A wrong code is said at the field.
    b.fill("#login-code", &wrong_code(&secret).await).await;
    b.click("#login-submit").await;
    b.wait_for_text("#login-code-error", "not right").await;
    b.assert_accessible("log in, a wrong code").await;

    // The next code the app shows signs in (the one used to turn it on
    // cannot be used again).
    b.fill("#login-code", &code(&secret, 1).await).await;
    b.click("#login-submit").await;
    b.wait_for_text("#current-user", "Mina Okafor").await;
    b.wait_for_text("#connection-status", "Connected").await;

    // A recovery code signs in once, too.
    let res = app
        .post(
            "/api/auth/login",
            None,
            &Login {
                email: mina.email.clone(),
                password: PASSWORD.into(),
                code: Some(first.clone()),
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_downloads_their_data_from_settings() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ola = app.user("Ola Berg").await;
    let pat = app.user("Pat Quinn").await;
    let room = app.direct_room(&ola, pat.id).await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &ola, "Ola Berg").await;

    let said = "Shall we meet at the library on Thursday at four?";
    b.goto(&app.url(&format!("/rooms/{}", room.id))).await;
    b.find("#composer").await;
    send(&b, said).await;
    b.wait_for_script(
        &format!(
            "return [...document.querySelectorAll('#messages li.message[data-message-id]')]
                .some(l => l.textContent.includes({said:?}));"
        ),
        "the message is confirmed",
    )
    .await;

    b.goto(&app.url("/settings")).await;
    b.find("#export-download").await;
    assert_eq!(
        attribute(&b, "#export-download", "href").await,
        "/api/me/export"
    );
    assert!(
        !attribute(&b, "#export-download", "download")
            .await
            .is_null(),
        "the link downloads rather than opens"
    );
    b.wait_for_text("#export-download", "Download my data")
        .await;
    b.assert_accessible("settings, your data").await;

    // What that link saves, fetched the same way (same origin, the cookie).
    let data = b
        .eval_async(
            "fetch('/api/me/export').then(r => r.json()).then(done, e => done({ error: String(e) }));",
        )
        .await;
    assert_eq!(data["account"]["email"], ola.email, "{data}");
    let messages = data["messages"].as_array().expect("messages");
    assert!(
        messages.iter().any(|m| m["body"] == said),
        "the export holds the message: {data}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_deletes_their_account_with_their_password() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ray = app.user("Ray Sutton").await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &ray, "Ray Sutton").await;
    b.goto(&app.url("/settings")).await;
    b.wait_for_text("#delete-account-policy", "cannot be undone")
        .await;
    b.wait_for_text("#delete-account-policy", "Safeguarding concerns")
        .await;
    b.click("#delete-account-start").await;
    b.find("#delete-password").await;
    b.assert_accessible("settings, deleting the account").await;

    // A wrong password is said at the field, and nothing happens.
    b.fill("#delete-password", "not my password at all").await;
    b.click("#delete-account-confirm").await;
    b.wait_for_text("#delete-password-error", "not right").await;
    let res = app.get("/api/me", Some(&ray)).await;
    assert_eq!(res.status(), StatusCode::OK, "still there");

    // The right one: gone, and the log-in page says so.
    b.fill("#delete-password", PASSWORD).await;
    b.click("#delete-account-confirm").await;
    b.wait_for_path("/login").await;
    b.wait_for_text("#login-notice", "Your account was deleted.")
        .await;
    assert_eq!(
        b.eval("return location.search;").await,
        "",
        "not sent back to the settings of an account that is gone"
    );
    b.assert_accessible("log in, account deleted").await;

    // Logging in again fails.
    b.fill("#email", &ray.email).await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.wait_for_text("#form-error", "do not match").await;
    let res = app
        .post(
            "/api/auth/login",
            None,
            &Login {
                email: ray.email.clone(),
                password: PASSWORD.into(),
                code: None,
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_programme_team_reads_the_audit_log_filtered_and_paged() {
    require_site();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.admin("Ada Lindqvist").await;
    let sam = app.user("Sam Member").await;
    // More team steps than one page holds.
    for n in 0..105 {
        let detail = format!("test step {n}");
        audit::record(
            &app.state.db,
            Entry::by(Event::AuthzAdmin, ada.id, None, &detail),
        )
        .await
        .expect("record");
    }

    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &ada, "Ada Lindqvist").await;
    b.click("#nav-admin").await;
    b.wait_for_text("h1", "Programme dashboard").await;
    b.click("#audit-link").await;
    b.wait_for_path("/admin/audit").await;
    b.wait_for_text("h1", "Audit log").await;
    b.find("#audit-table").await;

    // Her own log-in, by event.
    b.choose("#audit-event", "authn_login_success").await;
    b.click("#audit-apply").await;
    b.wait_for_script(
        "return location.search.includes('event=authn_login_success');",
        "the filter is in the address",
    )
    .await;
    b.wait_for_script(
        "const rows = [...document.querySelectorAll('#audit-table tbody tr')];
         return rows.length > 0
            && rows.every(r => r.querySelector('.audit-event-name').textContent === 'authn_login_success');",
        "only log-ins are shown",
    )
    .await;
    // A log-in is about the account (nobody was signed in to do it).
    b.wait_for_text("#audit-table tbody tr .audit-subject", "Ada Lindqvist")
        .await;
    b.wait_for_text(
        "#audit-table tbody tr .audit-subject",
        &format!("#{}", ada.id),
    )
    .await;
    b.assert_accessible("audit log, log-ins").await;

    // The address keeps the filter over a reload.
    b.client.refresh().await.expect("reload");
    b.wait_for_text("#audit-table tbody tr .audit-subject", "Ada Lindqvist")
        .await;
    assert_eq!(
        b.eval("return document.querySelector('#audit-event').value;")
            .await,
        "authn_login_success"
    );

    // Her team steps, by who acted: a page of 100, then the older ones.
    b.choose("#audit-event", "authz_admin").await;
    b.fill("#audit-actor", &ada.id.to_string()).await;
    b.click("#audit-apply").await;
    b.wait_for_count("#audit-table tbody tr", 100).await;
    b.wait_for_content("#audit-table", "test step 104", true)
        .await;
    b.find("#audit-older").await;
    b.click("#audit-older").await;
    b.wait_for_script(
        "return [...document.querySelectorAll('#audit-table .audit-detail')]
            .some(d => d.textContent === 'test step 0');",
        "the oldest step is shown",
    )
    .await;
    b.wait_for_text("#audit-status", "older entries").await;
    b.wait_for_absent("#audit-older").await;
    assert!(b.count("#audit-table tbody tr").await >= 105);
    b.assert_accessible("audit log, paged").await;

    // A number that is not one is said at its field.
    b.fill("#audit-subject", "Sam").await;
    b.click("#audit-apply").await;
    b.wait_for_text("#audit-subject-error", "number").await;

    // A member is pointed elsewhere, and the server refuses them anyway.
    let other = driver.browser().await;
    other.log_in(&app, &sam, "Sam Member").await;
    other.goto(&app.url("/admin/audit")).await;
    other.wait_for_text("#admin-only", "programme team").await;
    let res = app.get("/api/admin/audit", Some(&sam)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_member_is_pointed_to_two_factor_set_up_until_it_is_on() {
    require_site();
    // The shipped default: the programme team must use two-factor sign-in.
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.admin_two_factor_required = true).await;
    let ada = app.admin("Ada Lindqvist").await;
    let driver = Driver::start().await;
    let b = driver.browser().await;
    b.log_in(&app, &ada, "Ada Lindqvist").await;

    // A banner on every page, and the team's pages wait for it.
    b.wait_for_text("#two-factor-banner", "Set up two-factor sign-in")
        .await;
    b.click("#nav-admin").await;
    b.wait_for_text("#two-factor-needed", "two-factor sign-in")
        .await;
    assert_eq!(b.count("#matching-link").await, 0);
    b.assert_accessible("admin dashboard, two-factor needed")
        .await;

    // The banner's link lands on the section, focus and all.
    b.click("#two-factor-banner-link").await;
    b.wait_for_path("/settings").await;
    b.wait_for_script(
        "return document.activeElement && document.activeElement.id === 'two-factor-heading';",
        "focus is on the two-factor section",
    )
    .await;
    b.find("#two-factor-required-note").await;
    b.click("#two-factor-setup").await;
    b.find("#two-factor-key").await;
    let shown = b.text_content("#two-factor-key").await.expect("the key");
    let secret: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    b.fill("#two-factor-code", &code(&secret, 0).await).await;
    b.click("#two-factor-enable").await;
    b.wait_for_count("#recovery-codes li", 10).await;

    // On: the banner goes, and the team cannot turn it off.
    b.wait_for_absent("#two-factor-banner").await;
    b.click("#recovery-codes-saved").await;
    b.click("#recovery-codes-done").await;
    b.find("#recovery-new").await;
    b.find("#two-factor-team-note").await;
    assert_eq!(b.count("#two-factor-off").await, 0);
    b.assert_accessible("settings, two-factor on for the team")
        .await;

    // The team's pages work now.
    b.click("#nav-admin").await;
    b.find("#audit-link").await;
    b.click("#audit-link").await;
    b.find("#audit-table").await;
}
