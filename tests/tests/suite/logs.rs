//! No secret reaches the logs: the real server binary runs with the most
//! verbose logging, in plain and JSON formats, while people register, fail
//! and succeed at logging in, open an invitation link and a calendar feed
//! address; then everything it printed is searched for each password
//! and token planted along the way.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN};
use serde_json::{Value, json};

use crate::harness::backend::{Backend, TestDb};
use crate::harness::process::{ServerProcess, free_addr};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_reaches_the_logs() {
    for format in ["pretty", "json"] {
        let db = TestDb::create(Backend::Sqlite).await;
        let addr = free_addr();
        let (server, output) = ServerProcess::start_logging(&db.url, addr, format).await;
        let base = format!("http://{addr}");
        let http = reqwest::Client::new();
        let post = |path: &str, cookie: Option<&str>, body: Value| {
            let mut req = http
                .post(format!("{base}{path}"))
                .header(CONTENT_TYPE, "application/json")
                .header(ORIGIN, &base)
                .body(body.to_string());
            if let Some(cookie) = cookie {
                req = req.header(COOKIE, cookie);
            }
            req.send()
        };

        let password = "marker-password-planted-7f3a9c";
        let wrong = "marker-wrong-password-2b8e41";
        let res = post(
            "/api/auth/register",
            None,
            json!({"email": "lena@example.org", "password": password, "display_name": "Lena"}),
        )
        .await
        .expect("register");
        assert_eq!(res.status(), StatusCode::CREATED);
        let res = post(
            "/api/auth/login",
            None,
            json!({"email": "lena@example.org", "password": wrong}),
        )
        .await
        .expect("wrong log-in");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = post(
            "/api/auth/login",
            None,
            json!({"email": "lena@example.org", "password": password}),
        )
        .await
        .expect("log-in");
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = crate::harness::session_cookie(&res).expect("a session cookie");
        let session_token = cookie
            .split_once('=')
            .map(|(_, v)| v.to_owned())
            .expect("name=value");
        let feed: Value = post("/api/calendar/feed", Some(&cookie), json!({}))
            .await
            .expect("feed")
            .json()
            .await
            .expect("feed json");
        let feed_path = feed["path"].as_str().expect("a path").to_owned();
        let feed_token = feed_path
            .trim_start_matches("/api/calendar/")
            .trim_end_matches(".ics")
            .to_owned();
        let calendar = http
            .get(format!("{base}{feed_path}"))
            .send()
            .await
            .expect("calendar");
        assert_eq!(calendar.status(), StatusCode::OK);

        // An invitation link for a colleague, opened and accepted.
        let org: Value = post(
            "/api/organisations",
            Some(&cookie),
            serde_json::to_value(crate::harness::programme::profile(
                "Harbour Arts",
                "Plymouth",
            ))
            .expect("json"),
        )
        .await
        .expect("organisation")
        .json()
        .await
        .expect("organisation json");
        let invite: Value = post(
            &format!("/api/organisations/{}/invites", org["id"]),
            Some(&cookie),
            json!({}),
        )
        .await
        .expect("invite")
        .json()
        .await
        .expect("invite json");
        let invite_token = invite["token"].as_str().expect("a token").to_owned();
        let preview = http
            .get(format!("{base}/api/invites/{invite_token}"))
            .header(COOKIE, &cookie)
            .send()
            .await
            .expect("preview");
        assert_eq!(preview.status(), StatusCode::OK);

        server.kill().await;
        let printed = output.text().await;
        assert!(
            printed.len() > 200,
            "the server printed its logs ({format}): {printed}"
        );
        for (what, secret) in [
            ("the password", password),
            ("the wrong password", wrong),
            ("the session token", session_token.as_str()),
            ("the calendar feed token", feed_token.as_str()),
            ("the invitation token", invite_token.as_str()),
        ] {
            assert!(
                !printed.contains(secret),
                "{what} reached the {format} logs"
            );
        }
    }
}
