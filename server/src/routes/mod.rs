//! HTTP routes under `/api`, one module per area, each exposing `router()`.
//! Handlers carry `#[utoipa::path]`, so the OpenAPI document is generated from
//! the same code that serves the routes.

pub mod audit;
pub mod auth;
pub mod concerns;
pub mod coop_log;
pub mod coops;
pub mod glossary;
pub mod health;
pub mod mentors;
pub mod mentorships;
pub mod moderation;
pub mod network;
pub mod notifications;
pub mod organisations;
pub mod privacy;
pub mod programme;
pub mod rooms;
pub mod search;
pub mod sessions;
pub mod threads;
pub mod two_factor;
pub mod users;
pub mod ws;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

#[derive(OpenApi)]
#[openapi(
    servers((url = "/api", description = "This server")),
    info(
        title = "Community mentoring platform API",
        description = "JSON API of the platform. Errors are `{\"error\": {\"kind\", \"message\"}}`. \
                       State-changing requests need `Content-Type: application/json` and, when \
                       an `Origin` is sent, an allowed origin. The websocket at `/api/ws` speaks \
                       `ClientMsg` / `ServerMsg`."
    ),
    components(schemas(
        shared::ErrorBody,
        shared::ws::ClientMsg,
        shared::ws::ServerMsg,
        // Only a query parameter names it, so no body pulls it in.
        shared::api::search::SearchScope
    ))
)]
struct ApiDoc;

/// Every API route, with its OpenAPI description.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(sessions::router())
        .merge(two_factor::router())
        .merge(audit::router())
        .merge(users::router())
        .merge(rooms::router())
        .merge(notifications::router())
        .merge(organisations::router())
        .merge(mentors::router())
        .merge(mentorships::router())
        .merge(programme::router())
        .merge(threads::router())
        .merge(search::router())
        .merge(glossary::router())
        .merge(coops::router())
        .merge(coop_log::router())
        .merge(network::router())
        .merge(concerns::router())
        .merge(moderation::router())
        .merge(privacy::router())
        .merge(ws::router())
}
