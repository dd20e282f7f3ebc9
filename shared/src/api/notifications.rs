//! In-app notifications: mentions, for now.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MessageId, RoomId, Seq};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Someone wrote `@Your Name` in a room you are in.
    Mention,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub room_id: RoomId,
    pub message_id: MessageId,
    pub seq: Seq,
    /// Who caused it (the author of the mention).
    pub actor: UserSummary,
    /// The start of the message, for the list.
    pub excerpt: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// `GET /api/notifications`: newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListNotificationsResponse {
    pub notifications: Vec<NotificationView>,
    pub unread_count: i64,
}

/// `POST /api/notifications/read`: everything up to this id is read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkNotificationsRead {
    pub up_to_id: i64,
}
