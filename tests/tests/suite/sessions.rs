//! Where one is signed in: the session list names each device, ending one
//! session (or all the others) stops its cookie at once and closes its
//! sockets with the signed-out code, and nobody can end another's session.

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use shared::api::auth::{ListSessionsResponse, Login, SignedOut};

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, error, json, session_cookie};

both!(
    the_list_names_each_device_and_the_current_one,
    signing_out_the_others_ends_their_cookies_and_sockets,
    nobody_ends_another_persons_session,
);

const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
const LAPTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// Log `user` in again from a browser that calls itself `agent`.
async fn sign_in_from(app: &TestApp, user: &TestUser, agent: &str) -> TestUser {
    let res = app
        .request(Method::POST, "/api/auth/login", None)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, agent)
        .json(&Login {
            email: user.email.clone(),
            password: PASSWORD.into(),
            code: None,
        })
        .send()
        .await
        .expect("POST login");
    let cookie = session_cookie(&res).expect("signed in");
    assert_eq!(res.status(), StatusCode::OK);
    TestUser {
        id: user.id,
        email: user.email.clone(),
        cookie,
    }
}

async fn sessions(app: &TestApp, user: &TestUser) -> ListSessionsResponse {
    json(
        app.get("/api/me/sessions", Some(user)).await,
        StatusCode::OK,
    )
    .await
}

async fn the_list_names_each_device_and_the_current_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let registered = app.user("Nadia Okafor").await;
    let phone = sign_in_from(&app, &registered, PHONE).await;
    let laptop = sign_in_from(&app, &registered, LAPTOP).await;

    let seen = sessions(&app, &phone).await.sessions;
    assert_eq!(seen.len(), 3, "registering, the phone and the laptop");
    let current: Vec<_> = seen.iter().filter(|s| s.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].user_agent.as_deref(), Some("Chrome on Android"));
    assert!(
        seen.iter()
            .any(|s| !s.current && s.user_agent.as_deref() == Some("Firefox on Linux")),
        "{seen:?}"
    );
    let from_laptop = sessions(&app, &laptop).await.sessions;
    let current = from_laptop.iter().find(|s| s.current).expect("current");
    assert_eq!(current.user_agent.as_deref(), Some("Firefox on Linux"));
}

async fn signing_out_the_others_ends_their_cookies_and_sockets(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let registered = app.user("Nadia Okafor").await;
    let phone = sign_in_from(&app, &registered, PHONE).await;
    let laptop = sign_in_from(&app, &registered, LAPTOP).await;
    let mut laptop_socket = app.ws(&laptop).await;
    let mut phone_socket = app.ws(&phone).await;

    // End one session by id: the laptop.
    let laptop_id = sessions(&app, &laptop)
        .await
        .sessions
        .into_iter()
        .find(|s| s.current)
        .expect("current")
        .id;
    let res = app
        .request(
            Method::DELETE,
            &format!("/api/me/sessions/{laptop_id}"),
            Some(&phone),
        )
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("DELETE");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let frame = laptop_socket.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001);
    error(
        app.get("/api/me", Some(&laptop)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // Then every other one: the session from registering.
    let ended: SignedOut = json(
        app.post(
            "/api/me/sessions/sign-out-others",
            Some(&phone),
            &serde_json::json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended.ended, 1);
    error(
        app.get("/api/me", Some(&registered)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let left = sessions(&app, &phone).await.sessions;
    assert_eq!(left.len(), 1);
    assert!(left[0].current);
    // The phone itself stays signed in and connected.
    assert_eq!(
        app.get("/api/me", Some(&phone)).await.status(),
        StatusCode::OK
    );
    phone_socket.send(&shared::ws::ClientMsg::Ping).await;
    assert_eq!(phone_socket.next().await, shared::ws::ServerMsg::Pong);

    // Logging out ends this session's sockets too.
    let res = app
        .post("/api/auth/logout", Some(&phone), &serde_json::json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let frame = phone_socket.closed().await.expect("a close frame");
    assert_eq!(u16::from(frame.code), 4001);
}

async fn nobody_ends_another_persons_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let nadia = app.user("Nadia Okafor").await;
    let intruder = app.user("Someone Else").await;
    let hers = sessions(&app, &nadia).await.sessions[0].id;
    let res = app
        .request(
            Method::DELETE,
            &format!("/api/me/sessions/{hers}"),
            Some(&intruder),
        )
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("DELETE");
    error(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        app.get("/api/me", Some(&nadia)).await.status(),
        StatusCode::OK
    );
    error(
        app.get("/api/me/sessions", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
