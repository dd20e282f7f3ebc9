//! Hardening through the real server on both databases: security headers
//! on every answer (errors and refusals included), HSTS only over https,
//! and login throttling per account and per client address (with a
//! forwarded address believed only from a trusted proxy), recorded in the
//! audit log without the password ever reaching it.

use std::net::IpAddr;

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::audit_event;
use shared::api::auth::Login;

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, error, json};

both!(
    every_answer_carries_the_security_headers,
    failed_logins_are_throttled_per_account_and_per_address,
    forwarded_addresses_count_only_from_a_trusted_proxy,
    a_flood_of_sends_meets_the_per_person_limit,
);

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

async fn every_answer_carries_the_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let big = "x".repeat(70 * 1024);
    let answers = [
        app.get("/api/health", None).await,
        app.get("/api/no-such-thing", None).await,
        app.get("/api/me", None).await,
        app.request(Method::POST, "/api/auth/login", None)
            .header(CONTENT_TYPE, "application/json")
            .body(format!("{{\"email\":\"{big}\",\"password\":\"x\"}}"))
            .send()
            .await
            .expect("POST"),
    ];
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::NOT_FOUND,
            StatusCode::UNAUTHORIZED,
            StatusCode::PAYLOAD_TOO_LARGE
        ]
    );
    for res in &answers {
        let h = res.headers();
        let csp = header(h, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("a script-src");
        assert!(scripts.contains("'wasm-unsafe-eval'") && !scripts.contains("unsafe-inline"));
        assert_eq!(header(h, "x-content-type-options"), "nosniff");
        assert_eq!(header(h, "referrer-policy"), "same-origin");
        assert_eq!(header(h, "cache-control"), "no-store");
        assert!(
            h.get("strict-transport-security").is_none(),
            "not over http"
        );
    }

    // Served as https (behind a proxy that ends TLS): browsers are told to stay.
    let https = TestApp::spawn_with(backend, |c| {
        c.public_origin = Some("https://mentoring.example.org".into());
    })
    .await;
    let res = https.get("/api/health", None).await;
    assert!(header(res.headers(), "strict-transport-security").contains("max-age=31536000"));
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/auth/login",
        None,
        &Login {
            email: email.into(),
            password: password.into(),
            code: None,
        },
    )
    .await
}

async fn audit_rows(app: &TestApp) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .expect("audit rows")
}

async fn failed_logins_are_throttled_per_account_and_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = app.user("Ana Lock").await;
    let ben = app.user("Ben Other").await;
    let marker = "planted-marker-password-91c2";

    // Five wrong passwords are answered as wrong...
    for _ in 0..5 {
        error(
            login(&app, &ana.email, marker).await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // ...then the account is held, even for the right password.
    let held = error(
        login(&app, &ana.email, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    assert!(held.message.contains("15 minutes"), "{}", held.message);
    // Someone else on the same connection is not held back.
    assert_eq!(
        login(&app, &ben.email, PASSWORD).await.status(),
        StatusCode::OK
    );

    // Fifteen minutes on, Ana can log in again.
    audit_event::Entity::update_many()
        .col_expr(
            audit_event::Column::At,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(16)),
        )
        .filter(audit_event::Column::SubjectId.eq(ana.id))
        .exec(&app.state.db)
        .await
        .expect("age the failures");
    assert_eq!(
        login(&app, &ana.email, PASSWORD).await.status(),
        StatusCode::OK
    );

    // Twenty failures from one address in a minute (here, guessing at
    // accounts that do not exist) hold that address for everyone.
    for n in 0..20 {
        error(
            login(&app, &format!("guess{n}@example.org"), marker).await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let held = error(
        login(&app, &ben.email, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    assert!(held.message.contains("your connection"), "{}", held.message);

    // The audit log has each event by its OWASP name, and never the password.
    let rows = audit_rows(&app).await;
    let count = |event: &str| rows.iter().filter(|r| r.event == event).count();
    assert_eq!(count("authn_login_fail"), 25);
    assert_eq!(count("authn_login_lock"), 2);
    assert_eq!(count("authn_login_success"), 2);
    assert!(rows.iter().all(|r| r.ip.as_deref() == Some("127.0.0.1")));
    let everything = format!("{rows:?}");
    assert!(!everything.contains(marker) && !everything.contains(PASSWORD));
}

async fn forwarded_addresses_count_only_from_a_trusted_proxy(backend: Backend) {
    // The test client is the proxy: 127.0.0.1 is trusted.
    let app = TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = vec![IpAddr::from([127, 0, 0, 1])];
    })
    .await;
    let ana = app.user("Ana Proxy").await;
    let from = |client: &'static str, email: String| {
        let app = &app;
        async move {
            app.request(Method::POST, "/api/auth/login", None)
                .header(CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", format!("203.0.113.50, {client}"))
                .body(
                    serde_json::to_vec(&Login {
                        email,
                        password: "wrong-but-long-enough".into(),
                        code: None,
                    })
                    .expect("json"),
                )
                .send()
                .await
                .expect("POST")
        }
    };
    for n in 0..20 {
        assert_eq!(
            from("198.51.100.7", format!("guess{n}@example.org"))
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // That client is held; another client behind the same proxy is not.
    assert_eq!(
        from("198.51.100.7", ana.email.clone()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        from("198.51.100.8", ana.email.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let rows = audit_rows(&app).await;
    assert!(
        rows.iter().all(|r| r.ip.as_deref() != Some("203.0.113.50")),
        "the spoofable first entry is never believed"
    );
}

async fn a_flood_of_sends_meets_the_per_person_limit(backend: Backend) {
    // The shipped limits: a burst of 30, then 5 a second.
    let defaults = server::config::Config::default();
    let app = TestApp::spawn_with(backend, |c| {
        c.send_per_second = defaults.send_per_second;
        c.send_burst = defaults.send_burst;
    })
    .await;
    let ana = app.user("Ana Flood").await;
    let ben = app.user("Ben Calm").await;
    let room: shared::api::rooms::RoomSummary = json(
        app.post(
            "/api/rooms/direct",
            Some(&ana),
            &shared::api::rooms::OpenDirectRoom { user_id: ben.id },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // Two connections of the same person share one allowance.
    let mut first = app.ws(&ana).await;
    let mut second = app.ws(&ana).await;
    let burst = defaults.send_burst as usize;
    // Far more than a refill could admit while they are being sent.
    let total = burst + 50;
    for n in 0..total {
        let ws = if n % 2 == 0 { &mut first } else { &mut second };
        ws.send_text(room.id, &format!("flood-{n}"), "hello").await;
    }
    let mut acked = 0;
    let mut refused = Vec::new();
    for ws in [&mut first, &mut second] {
        while let Some(msg) = ws.next_within(std::time::Duration::from_secs(2)).await {
            match msg {
                shared::ws::ServerMsg::Ack { .. } => acked += 1,
                shared::ws::ServerMsg::Error {
                    error,
                    client_msg_id,
                    ..
                } => refused.push((error, client_msg_id)),
                _ => {}
            }
        }
    }
    // The burst always goes through; refills while the flood is read may
    // admit a few more, never the flood.
    assert!(acked >= burst && acked < total, "{acked} of {total} sent");
    assert_eq!(acked + refused.len(), total);
    for (error, id) in &refused {
        assert_eq!(error.kind, shared::ErrorKind::RateLimited);
        assert!(
            error.message.contains("Wait a few seconds"),
            "{}",
            error.message
        );
        assert!(id.as_deref().is_some_and(|id| id.starts_with("flood-")));
    }
    // What was refused was not stored; the other person is unaffected.
    let stored: shared::api::rooms::ListMessagesResponse = json(
        app.get(&format!("/api/rooms/{}/messages", room.id), Some(&ben))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stored.messages.len(), acked);
    let mut calm = app.ws(&ben).await;
    calm.send_text(room.id, "calm-1", "hello back").await;
    loop {
        if let shared::ws::ServerMsg::Ack { .. } = calm.next().await {
            break;
        }
    }
}
