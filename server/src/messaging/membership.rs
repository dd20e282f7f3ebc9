//! Membership changes take effect at once. Fan-out, typing and presence read
//! the members when they happen, so a removed member gets nothing more from
//! the moment the row is gone; their connections are told the room is gone,
//! and `domain::access` refuses its history from then on.

use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::db;
use crate::error::AppResult;

/// Take `user_id` out of `room_id` and tell every one of their connections.
pub async fn remove(state: &AppState, room_id: i64, user_id: i64) -> AppResult<()> {
    if db::rooms::remove_member(&state.db, room_id, user_id).await? {
        state
            .hub
            .send_to_users(&[user_id], &ServerMsg::RoomRemoved { room_id });
    }
    Ok(())
}

/// Put `user_id` (back) into `room_id` and show them the room.
pub async fn add(state: &AppState, room_id: i64, user_id: i64) -> AppResult<()> {
    db::rooms::add_member(&state.db, room_id, user_id).await?;
    let room = db::rooms::summary(&state.db, room_id, user_id).await?;
    state
        .hub
        .send_to_users(&[user_id], &ServerMsg::RoomAdded { room });
    Ok(())
}
