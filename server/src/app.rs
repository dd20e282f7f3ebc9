//! Building and running the application: state, router, listener, shutdown.
//! `Application::build(config)` → `.local_addr()` → `.run_until_stopped(signal)`,
//! the same way in `main` and in the tests.

use std::future::Future;
use std::net::SocketAddr;
use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use axum::serve::ListenerExt;

use crate::realtime::rate::SendLimiter;
use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{origin, password, refusals, token};
use crate::config::Config;
use crate::error::AppError;
use crate::messaging::Writer;
use crate::realtime::Hub;
use crate::{db, routes};

/// Everything a request handler may need, shared by reference.
pub struct App {
    pub db: DatabaseConnection,
    pub config: Config,
    pub hub: Arc<Hub>,
    pub writer: Writer,
    pub allowed_origins: Vec<String>,
    pub cookie_name: &'static str,
    /// Messages per person per second on the websocket.
    pub send_limit: SendLimiter,
}

#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// JSON API bodies are small; larger ones are refused before parsing.
const API_BODY_LIMIT: usize = 64 * 1024;

impl Application {
    /// Connect, migrate, bind. Nothing is served until `run_until_stopped`.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = db::connect(&config).await?;
        db::migrate(&db).await?;
        db::glossary::seed(&db)
            .await
            .map_err(|e| StartError::Db(DbErr::Custom(format!("glossary seed: {e}"))))?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.bind,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
        password::warm_up();
        if !config.static_dir.join("index.html").exists() {
            tracing::warn!(
                dir = %config.static_dir.display(),
                "frontend not built: run `cargo xtask build` (the API works without it)"
            );
        }
        let hub = Arc::new(Hub::default());
        let writer = Writer::start(db.clone(), hub.clone());
        let state = AppState(Arc::new(App {
            db,
            writer,
            allowed_origins: config.allowed_origins(local),
            cookie_name: token::cookie_name(config.is_https()),
            send_limit: SendLimiter::new(config.send_per_second, config.send_burst),
            config,
            hub,
        }));
        crate::cluster::start(&state);
        let router = router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` resolves, then close every websocket with 1001
    /// (clients reconnect and resume) and let in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = self.state.clone();
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // Small frames (acks, messages) go out at once: with Nagle on, the
        // second of two quick writes waits for the peer's delayed ACK (40 ms).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutting down");
                crate::cluster::leave(&state).await;
                state.hub.close_all(1001, "server restarting");
            })
            .await
    }
}

fn router(state: AppState) -> Router {
    let (api, openapi) = routes::api().split_for_parts();
    let openapi_json = Arc::new(openapi.to_pretty_json().unwrap_or_default());
    let api = api
        .route(
            "/openapi.json",
            get(move || {
                let body = openapi_json.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        (*body).clone(),
                    )
                }
            }),
        )
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async {
            AppError::BadRequest("This method is not allowed here.".into())
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            refusals::audit_refusals,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin::guard_writes,
        ))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        // Answers hold people's data: no cache keeps them, errors included.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone());
    // Browsers that reached us over https keep to it for a year.
    let hsts = state.config.is_https().then(|| {
        security_header(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        )
    });

    let request_ids = Arc::new(AtomicU64::new(1));
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files(&state.config.static_dir))
        .layer(
            TraceLayer::new_for_http().make_span_with(move |req: &Request| {
                let id = request_ids.fetch_add(1, Ordering::Relaxed);
                // The path only (query strings can carry what people typed),
                // with the tokens some paths carry taken out.
                let path = loggable_path(req.uri().path());
                tracing::info_span!("http", id, method = %req.method(), path = %path)
            }),
        )
        .layer(tower::util::option_layer(hsts))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
}

/// Paths whose next segment is a secret: invitation links and private
/// calendar feed addresses.
const SECRET_PATHS: [&str; 3] = ["/api/invites/", "/api/calendar/", "/join/"];

/// `path` fit for the logs: a token that follows one of `SECRET_PATHS` is
/// replaced (`/api/calendar/feed`, which is not a token, stays).
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_PATHS {
        if let Some(rest) = path.strip_prefix(prefix) {
            let (token, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if !token.is_empty() && token != "feed" {
                return format!("{prefix}[token]{tail}").into();
            }
        }
    }
    path.into()
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The built frontend. Unknown paths get `index.html` with 200 so deep links
/// (`/rooms/3`) load the app, which routes on the client.
fn static_files(dir: &Path) -> Router {
    let index = ServeFile::new(dir.join("index.html")).precompressed_gzip();
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_gzip().fallback(index))
        // Files are not content-hashed: always revalidate (cheap 304s).
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_in_paths_never_reach_the_logs() {
        assert_eq!(
            loggable_path("/api/invites/abc123/accept"),
            "/api/invites/[token]/accept"
        );
        assert_eq!(loggable_path("/api/invites/abc123"), "/api/invites/[token]");
        assert_eq!(
            loggable_path("/api/calendar/s3cr3t.ics"),
            "/api/calendar/[token]"
        );
        assert_eq!(loggable_path("/join/s3cr3t"), "/join/[token]");
        assert_eq!(loggable_path("/api/calendar/feed"), "/api/calendar/feed");
        assert_eq!(
            loggable_path("/api/rooms/3/messages"),
            "/api/rooms/3/messages"
        );
    }
}
