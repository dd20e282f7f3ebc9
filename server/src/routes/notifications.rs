//! In-app notifications: list them, mark them read.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::notifications::{ListNotificationsResponse, MarkNotificationsRead};
use shared::ws::ServerMsg;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::error::{AppResult, Json};

/// The list shows this many, newest first.
const LIST_LIMIT: u64 = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
}

#[utoipa::path(get, path = "/notifications", tag = "notifications",
    responses((status = 200, body = ListNotificationsResponse), (status = 401, body = shared::ErrorBody)))]
async fn list_notifications(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<ListNotificationsResponse>> {
    // Only ever the caller's own: the query is keyed by their id.
    let (notifications, unread_count) =
        db::notifications::list(&state.db, who.id, LIST_LIMIT).await?;
    Ok(Json(ListNotificationsResponse {
        notifications,
        unread_count,
    }))
}

#[utoipa::path(post, path = "/notifications/read", tag = "notifications",
    request_body = MarkNotificationsRead,
    responses((status = 204, description = "Marked read"), (status = 401, body = shared::ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<MarkNotificationsRead>,
) -> AppResult<StatusCode> {
    let unread_count = db::notifications::mark_read(&state.db, who.id, req.up_to_id).await?;
    // Every tab and device of this person shows the same count.
    state.hub.send_to_users(
        &[who.id],
        &ServerMsg::NotificationsRead {
            up_to_id: req.up_to_id,
            unread_count,
        },
    );
    Ok(StatusCode::NO_CONTENT)
}
