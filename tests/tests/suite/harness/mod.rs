//! Test harness: spawn the real application, make users, speak HTTP and websocket.

pub mod backend;
pub mod browser;
pub mod coops;
pub mod process;
pub mod programme;
mod ws;

pub use backend::Backend;
pub use ws::WsClient;

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use server::{Application, Config};
use shared::ErrorBody;
use shared::api::auth::{MeResponse, Register};
use shared::api::rooms::{OpenDirectRoom, RoomSummary};
use tokio::sync::oneshot;

/// Instantiate `async fn $name(backend: Backend)` for SQLite and PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::harness::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::harness::Backend::Postgres).await
            }
        }
    )+};
}

pub struct TestApp {
    api: Api,
    /// The running server's state, for tests that act on it directly.
    pub state: server::AppState,
    db: backend::TestDb,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A registered person with their session cookie.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub cookie: String,
}

pub const PASSWORD: &str = "kettle orbit meadow";

/// Where `cargo xtask build` puts the frontend.
pub fn site_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site")
}

/// The built frontend must exist: these tests never skip silently.
pub fn require_site() {
    let index = site_dir().join("index.html");
    assert!(
        index.exists(),
        "the frontend is not built ({} missing): run `cargo xtask build` or `cargo xtask test`",
        index.display()
    );
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A server whose configuration `adjust` changes first (a public https
    /// origin, trusted proxies).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let db = backend::TestDb::create(backend).await;
        Self::start(db, adjust).await
    }

    async fn start(db: backend::TestDb, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config {
            database_url: db.url.clone(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            static_dir: site_dir(),
            db_max_connections: 5,
            // Floods are how several tests load the server; the per-person
            // send limit has its own test with the shipped defaults.
            send_per_second: 1_000_000,
            send_burst: 1_000_000,
            // Tests make admins with `TestApp::admin`, without two-factor;
            // `two_factor` holds the shipped default (required) and tests
            // the requirement itself.
            admin_two_factor_required: false,
            ..Config::default()
        };
        adjust(&mut config);
        let app = Application::build(config)
            .await
            .expect("application builds");
        let addr = app.local_addr();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until_stopped(async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        Self {
            api: Api::new(addr),
            state,
            db,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// A signed-up person who is also on the programme team.
    pub async fn admin(&self, display_name: &str) -> TestUser {
        let user = self.user(display_name).await;
        server::db::users::set_admin(&self.state.db, user.id, true)
            .await
            .expect("make admin");
        user
    }

    /// Stop this server and start a new one on the same database (a restart).
    pub async fn restart(mut self) -> Self {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        let db = self.db.take();
        Self::start(db, |_| {}).await
    }
}

impl std::ops::Deref for TestApp {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

/// An HTTP and websocket client for one running server (in-process or not).
pub struct Api {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn request(
        &self,
        method: Method,
        path: &str,
        user: Option<&TestUser>,
    ) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, self.url(path));
        if let Some(user) = user {
            req = req.header(COOKIE, &user.cookie);
        }
        req
    }

    pub async fn get(&self, path: &str, user: Option<&TestUser>) -> reqwest::Response {
        self.request(Method::GET, path, user)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post<T: Serialize>(
        &self,
        path: &str,
        user: Option<&TestUser>,
        body: &T,
    ) -> reqwest::Response {
        self.request(Method::POST, path, user)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"))
            .send()
            .await
            .expect("POST")
    }

    pub async fn put<T: Serialize>(
        &self,
        path: &str,
        user: Option<&TestUser>,
        body: &T,
    ) -> reqwest::Response {
        self.request(Method::PUT, path, user)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"))
            .send()
            .await
            .expect("PUT")
    }

    /// Log a person of the demo world in through the API.
    pub async fn demo_user(&self, email: &str) -> TestUser {
        self.log_in(email, server::demo::DEMO_PASSWORD).await
    }

    /// Log in through the API (a new session) and keep its cookie.
    pub async fn log_in(&self, email: &str, password: &str) -> TestUser {
        let res = self
            .post(
                "/api/auth/login",
                None,
                &shared::api::auth::Login {
                    email: email.into(),
                    password: password.into(),
                    code: None,
                },
            )
            .await;
        let cookie = session_cookie(&res).unwrap_or_else(|| panic!("{email} logs in"));
        let me: MeResponse = json(res, StatusCode::OK).await;
        TestUser {
            id: me.id,
            email: me.email,
            cookie,
        }
    }

    /// Register `display_name` (email derived from it) and keep the cookie.
    pub async fn user(&self, display_name: &str) -> TestUser {
        let email = format!(
            "{}@example.org",
            display_name
                .to_lowercase()
                .replace(char::is_whitespace, ".")
        );
        let res = self
            .post(
                "/api/auth/register",
                None,
                &Register {
                    email: email.clone(),
                    password: PASSWORD.into(),
                    display_name: display_name.into(),
                },
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "register {display_name}");
        let cookie = session_cookie(&res).expect("register sets a session cookie");
        let me: MeResponse = res.json().await.expect("me");
        TestUser {
            id: me.id,
            email,
            cookie,
        }
    }

    /// Open (create) the direct room of `from` and the user with id `to`.
    pub async fn direct_room(&self, from: &TestUser, to: i64) -> RoomSummary {
        let res = self
            .post(
                "/api/rooms/direct",
                Some(from),
                &OpenDirectRoom { user_id: to },
            )
            .await;
        json(res, StatusCode::CREATED).await
    }

    /// `POST /api/rooms/{room}/leave` as `user`.
    pub async fn leave(&self, user: &TestUser, room: i64) -> reqwest::Response {
        self.post(
            &format!("/api/rooms/{room}/leave"),
            Some(user),
            &serde_json::json!({}),
        )
        .await
    }

    pub async fn ws(&self, user: &TestUser) -> WsClient {
        WsClient::connect(self.addr, Some(&user.cookie), None)
            .await
            .expect("websocket connects")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `name=value` of the session cookie set by a response.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

pub async fn json<T: DeserializeOwned>(res: reqwest::Response, status: StatusCode) -> T {
    let actual = res.status();
    let text = res.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON ({e}): {text}"))
}

/// Assert an error response: status, JSON body, and its kind.
pub async fn error(res: reqwest::Response, status: StatusCode, kind: &str) -> shared::ApiError {
    let body: serde_json::Value = json(res, status).await;
    assert_eq!(body["error"]["kind"], kind, "error body: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "an error has a message: {body}"
    );
    serde_json::from_value::<ErrorBody>(body)
        .expect("error body")
        .error
}
