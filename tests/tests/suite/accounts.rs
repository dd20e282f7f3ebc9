//! Accounts: register, log in, log out, password rules, cross-site writes.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use serde_json::json;
use shared::api::auth::{Login, MeResponse, Register};

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, error, json, session_cookie};

both!(
    register_log_out_and_log_in,
    weak_and_common_passwords_are_refused,
    email_is_unique_whatever_its_case,
    bad_input_gets_a_json_error,
    cross_origin_writes_are_refused,
);

async fn register_log_out_and_log_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sam = app.user("Sam Okafor").await;

    let me: MeResponse = json(app.get("/api/me", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(me.display_name, "Sam Okafor");
    assert_eq!(me.email, "sam.okafor@example.org");
    error(
        app.get("/api/me", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    let out = app.post("/api/auth/logout", Some(&sam), &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cleared.contains("Max-Age=0"),
        "logout clears the cookie: {cleared}"
    );
    assert_eq!(
        out.headers()
            .get("clear-site-data")
            .and_then(|v| v.to_str().ok()),
        Some("\"cache\", \"storage\""),
        "the browser drops what it kept of the person"
    );
    // The old cookie no longer works: the session is gone server-side.
    error(
        app.get("/api/me", Some(&sam)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    let wrong = Login {
        email: sam.email.clone(),
        password: "kettle orbit meadoW".into(),
        code: None,
    };
    error(
        app.post("/api/auth/login", None, &wrong).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = Login {
        email: "nobody@example.org".into(),
        password: PASSWORD.into(),
        code: None,
    };
    let unknown_err = error(
        app.post("/api/auth/login", None, &unknown).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let wrong_err = error(
        app.post("/api/auth/login", None, &wrong).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        unknown_err, wrong_err,
        "unknown email and wrong password look the same"
    );

    let right = Login {
        email: "  SAM.okafor@Example.org ".into(),
        password: PASSWORD.into(),
        code: None,
    };
    let res = app.post("/api/auth/login", None, &right).await;
    let set_cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attr), "cookie has {attr}: {set_cookie}");
    }
    let cookie = session_cookie(&res).expect("cookie");
    assert_eq!(res.status(), StatusCode::OK);
    let again = crate::harness::TestUser { cookie, ..sam };
    let me: MeResponse = json(app.get("/api/me", Some(&again)).await, StatusCode::OK).await;
    assert_eq!(me.id, again.id);
}

async fn weak_and_common_passwords_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let attempt = |password: &str| Register {
        email: "megan@example.org".into(),
        password: password.into(),
        display_name: "Megan Hughes".into(),
    };
    let short = error(
        app.post("/api/auth/register", None, &attempt("tiny pass"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "weak_password",
    )
    .await;
    assert_eq!(short.field.as_deref(), Some("password"));
    assert!(short.message.contains("15"), "{}", short.message);
    error(
        app.post("/api/auth/register", None, &attempt(&"long ".repeat(26)))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "weak_password",
    )
    .await;
    for common in [
        "passwordpassword",
        "123456789012345",
        "qwertyuiopasdfghjkl",
        "Megan Hughes 2024!!",
    ] {
        error(
            app.post("/api/auth/register", None, &attempt(common)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "breached_password",
        )
        .await;
    }
    // Nothing was created by the refusals: the email is still free.
    let ok = app
        .post("/api/auth/register", None, &attempt("lantern fig harbour"))
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

async fn email_is_unique_whatever_its_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.user("Ellis Morgan").await;
    let again = Register {
        email: "Ellis.Morgan@EXAMPLE.org".into(),
        password: "another long passphrase".into(),
        display_name: "Someone Else".into(),
    };
    let err = error(
        app.post("/api/auth/register", None, &again).await,
        StatusCode::CONFLICT,
        "email_taken",
    )
    .await;
    assert_eq!(err.field.as_deref(), Some("email"));
}

async fn bad_input_gets_a_json_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let send = |body: &'static str, content_type: &'static str| {
        app.request(reqwest::Method::POST, "/api/auth/register", None)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    error(
        send("{not json", "application/json").await.expect("send"),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    error(
        send(r#"{"email":"x@example.org"}"#, "application/json")
            .await
            .expect("send"),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    error(
        send(
            r#"{"email":"x@example.org","password":"kettle orbit meadow","display_name":"X"}"#,
            "text/plain",
        )
        .await
        .expect("send"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let bad_email = Register {
        email: "not-an-email".into(),
        password: PASSWORD.into(),
        display_name: "X".into(),
    };
    let err = error(
        app.post("/api/auth/register", None, &bad_email).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(err.field.as_deref(), Some("email"));
    let huge =
        json!({"email": "x@example.org", "password": "p".repeat(100_000), "display_name": "X"});
    error(
        app.post("/api/auth/register", None, &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    error(
        app.get("/api/no-such-route", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn cross_origin_writes_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = Register {
        email: "aisha@example.org".into(),
        password: PASSWORD.into(),
        display_name: "Aisha Rahman".into(),
    };
    let evil = app
        .request(reqwest::Method::POST, "/api/auth/register", None)
        .header(CONTENT_TYPE, "application/json")
        .header(ORIGIN, "https://evil.example")
        .json(&body)
        .send()
        .await
        .expect("send");
    error(evil, StatusCode::FORBIDDEN, "cross_origin").await;
    // Refused before doing anything: the account does not exist.
    let login = Login {
        email: body.email.clone(),
        password: PASSWORD.into(),
        code: None,
    };
    error(
        app.post("/api/auth/login", None, &login).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    for origin in [
        app.origin(),
        format!("http://localhost:{}", app.addr.port()),
    ] {
        let ok = app
            .request(reqwest::Method::POST, "/api/auth/login", None)
            .header(CONTENT_TYPE, "application/json")
            .header(ORIGIN, origin.as_str())
            .json(&login)
            .send()
            .await
            .expect("send");
        // Allowed through the guard (and then refused for the right reason).
        error(ok, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
}
