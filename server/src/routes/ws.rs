//! `GET /api/ws`: upgrade a signed-in request to the websocket.

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::HeaderMap;
use axum::response::Response;
use shared::limits::WS_MAX_FRAME_BYTES;
use tracing::Instrument;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::{AuthUser, origin};
use crate::error::AppResult;
use crate::realtime::session;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(websocket))
}

/// Read buffer per socket: small, since client frames are small; the default
/// (128 KiB) would cost a gigabyte at ten thousand idle sockets.
const READ_BUFFER_BYTES: usize = 8 * 1024;

#[utoipa::path(get, path = "/ws", tag = "realtime",
    description = "Websocket upgrade. Frames are JSON `ClientMsg` (in) and `ServerMsg` (out).",
    responses(
        (status = 101, description = "Switching protocols"),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "cross_origin", body = shared::ErrorBody),
    ))]
async fn websocket(
    State(state): State<AppState>,
    who: AuthUser,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> AppResult<Response> {
    // Browsers let any page open a websocket to any host; the origin check is
    // what keeps another site from riding the session cookie.
    origin::check_origin(&headers, &state.allowed_origins)?;
    let span = tracing::info_span!("ws", user_id = who.id);
    Ok(upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_frame_size(WS_MAX_FRAME_BYTES)
        .max_message_size(WS_MAX_FRAME_BYTES)
        .on_upgrade(move |socket| session::run(socket, state, who).instrument(span)))
}
