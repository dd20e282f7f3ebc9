//! Rooms: list mine, open a direct room, page a room's history.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::rooms::{
    ListMessages, ListMessagesResponse, ListRoomsResponse, OpenDirectRoom, RoomSummary,
    UpdateRoomSettings,
};
use shared::limits::{HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX};
use shared::ws::ServerMsg;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::messages::Page;
use crate::domain::access;
use crate::error::{AppError, AppResult, Json, Path, Query};
use crate::messaging;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rooms))
        .routes(routes!(open_direct))
        .routes(routes!(list_messages))
        .routes(routes!(update_room_settings))
        .routes(routes!(leave_room))
}

#[utoipa::path(get, path = "/rooms", tag = "rooms",
    responses((status = 200, body = ListRoomsResponse), (status = 401, body = shared::ErrorBody)))]
async fn list_rooms(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<ListRoomsResponse>> {
    let rooms = db::rooms::list_for(&state.db, who.id).await?;
    Ok(Json(ListRoomsResponse { rooms }))
}

#[utoipa::path(post, path = "/rooms/direct", tag = "rooms", request_body = OpenDirectRoom,
    responses(
        (status = 201, description = "Room created", body = RoomSummary),
        (status = 200, description = "The existing room", body = RoomSummary),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such person", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn open_direct(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<OpenDirectRoom>,
) -> AppResult<(StatusCode, Json<RoomSummary>)> {
    let partner = access::direct_partner(&state.db, &who, req.user_id).await?;
    let (room, created) = db::rooms::open_direct(&state.db, who.id, partner.id).await?;
    // Someone who left the conversation comes back to it, history and all,
    // when either of the two opens it again.
    for user_id in [who.id, partner.id] {
        if !created && !db::rooms::is_member(&state.db, room.id, user_id).await? {
            messaging::membership::add(&state, room.id, user_id).await?;
        }
    }
    if created {
        // Each person sees the room titled with the other's name, and, now
        // that they share a room, whether the other is around.
        for (user_id, other) in [(who.id, partner.id), (partner.id, who.id)] {
            let room = db::rooms::summary(&state.db, room.id, user_id).await?;
            state
                .hub
                .send_to_users(&[user_id], &ServerMsg::RoomAdded { room });
            state.hub.tell_presence(&[user_id], other);
        }
    }
    let summary = db::rooms::summary(&state.db, room.id, who.id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(summary)))
}

#[utoipa::path(get, path = "/rooms/{id}/messages", tag = "rooms",
    params(("id" = i64, Path, description = "Room id"), ListMessages),
    responses(
        (status = 200, body = ListMessagesResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such room, or not a member", body = shared::ErrorBody),
        (status = 422, description = "validation: both after_seq and before_seq given", body = shared::ErrorBody),
    ))]
async fn list_messages(
    State(state): State<AppState>,
    who: AuthUser,
    Path(room_id): Path<i64>,
    Query(q): Query<ListMessages>,
) -> AppResult<Json<ListMessagesResponse>> {
    access::room_member(&state.db, &who, room_id).await?;
    let page = match (q.after_seq, q.before_seq) {
        (Some(_), Some(_)) => {
            return Err(AppError::validation(
                "after_seq",
                "Give after_seq or before_seq, not both.",
            ));
        }
        (Some(after), None) => Page::After(after),
        (None, Some(before)) => Page::Before(before),
        (None, None) => Page::Newest,
    };
    let limit = q
        .limit
        .unwrap_or(HISTORY_PAGE_DEFAULT)
        .clamp(1, HISTORY_PAGE_MAX);
    let (messages, has_more) = db::messages::page(&state.db, room_id, page, limit).await?;
    Ok(Json(ListMessagesResponse { messages, has_more }))
}

#[utoipa::path(put, path = "/rooms/{id}/settings", tag = "rooms",
    params(("id" = i64, Path, description = "Room id")), request_body = UpdateRoomSettings,
    responses(
        (status = 200, body = RoomSummary),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such room, or not a member", body = shared::ErrorBody),
    ))]
async fn update_room_settings(
    State(state): State<AppState>,
    who: AuthUser,
    Path(room_id): Path<i64>,
    Json(req): Json<UpdateRoomSettings>,
) -> AppResult<Json<RoomSummary>> {
    access::room_member(&state.db, &who, room_id).await?;
    if let Some(muted) = req.muted {
        db::rooms::set_muted(&state.db, room_id, who.id, muted).await?;
    }
    Ok(Json(db::rooms::summary(&state.db, room_id, who.id).await?))
}

#[utoipa::path(post, path = "/rooms/{id}/leave", tag = "rooms",
    params(("id" = i64, Path, description = "Room id")),
    responses(
        (status = 204, description = "Left: nothing more of the room reaches the caller"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such room, or not a member", body = shared::ErrorBody),
    ))]
async fn leave_room(
    State(state): State<AppState>,
    who: AuthUser,
    Path(room_id): Path<i64>,
) -> AppResult<StatusCode> {
    access::room_member(&state.db, &who, room_id).await?;
    messaging::membership::remove(&state, room_id, who.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
