//! The one place that decides access. Every route and websocket message asks
//! here before reading or writing; nothing else checks membership.
//!
//! Rooms a person is not a member of are `NotFound`, exactly as rooms that do
//! not exist, so ids reveal nothing.

use sea_orm::DatabaseConnection;

use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{message, room, user};
use crate::error::{AppError, AppResult};

/// The room, if `who` may read and post in it.
pub async fn room_member(
    db: &DatabaseConnection,
    who: &AuthUser,
    room_id: i64,
) -> AppResult<room::Model> {
    if !db::rooms::is_member(db, room_id, who.id).await? {
        return Err(AppError::NotFound);
    }
    db::rooms::find(db, room_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A message `who` wrote, in a room they still belong to, that is not
/// deleted: the only messages they may edit or delete. Anything else is
/// `NotFound`, so message ids reveal nothing either.
pub async fn own_message(
    db: &DatabaseConnection,
    who: &AuthUser,
    message_id: i64,
) -> AppResult<message::Model> {
    let found = db::messages::find(db, message_id)
        .await?
        .filter(|m| m.author_id == who.id && m.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    room_member(db, who, found.room_id).await?;
    Ok(found)
}

/// The person `who` may open a direct room with. Any signed-in member may
/// message any other for now; blocking and role rules will narrow this here.
pub async fn direct_partner(
    db: &DatabaseConnection,
    who: &AuthUser,
    other_id: i64,
) -> AppResult<user::Model> {
    if other_id == who.id {
        return Err(AppError::validation(
            "user_id",
            "You cannot open a conversation with yourself.",
        ));
    }
    db::users::find(db, other_id)
        .await?
        .ok_or(AppError::NotFound)
}
