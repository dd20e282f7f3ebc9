//! Rooms and their message history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MessageId, RoomId, Seq, UserId};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    /// Two people.
    Direct,
    /// The private conversation of a mentorship.
    Mentorship,
    /// A co-operative's room.
    Coop,
}

/// One entry of `GET /api/rooms`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomSummary {
    pub id: RoomId,
    pub kind: RoomKind,
    /// What to call the room for this viewer (a direct room: the other person).
    pub title: String,
    pub members: Vec<UserSummary>,
    /// Seq of the newest message; 0 when the room is empty.
    pub last_seq: Seq,
    pub last_message: Option<MessageView>,
    /// The viewer's read marker: every message up to this seq is read.
    #[serde(default)]
    pub last_read_seq: Seq,
    /// Messages from other people after `last_read_seq`.
    #[serde(default)]
    pub unread_count: i64,
    /// How far the other members have read, for read receipts (direct and
    /// mentorship rooms; people who turned receipts off are left out).
    #[serde(default)]
    pub read_by: Vec<ReadMarker>,
    /// The viewer muted the room: its mentions raise no notification.
    #[serde(default)]
    pub muted: bool,
    /// A co-op room: which co-op (its messages can become decisions and actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coop_id: Option<i64>,
    /// Archived co-op rooms keep their history and take no new messages.
    #[serde(default)]
    pub archived: bool,
}

/// `PUT /api/rooms/{id}/settings`: the viewer's own settings for a room.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRoomSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
}

/// One member's read position in a room.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadMarker {
    pub user_id: UserId,
    pub seq: Seq,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListRoomsResponse {
    pub rooms: Vec<RoomSummary>,
}

/// `POST /api/rooms/direct`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenDirectRoom {
    pub user_id: UserId,
}

/// A stored message as every reader sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub id: MessageId,
    pub room_id: RoomId,
    pub seq: Seq,
    pub author_id: UserId,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub client_msg_id: String,
    /// Set when the author edited the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    /// A deleted message stays as a tombstone (empty body) so seqs stay whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// Hidden by a moderator: a tombstone (empty body) for everyone in the room.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

/// `GET /api/rooms/{id}/messages`: give `after_seq` to page forward,
/// `before_seq` to page back, neither for the newest page.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListMessages {
    pub after_seq: Option<Seq>,
    pub before_seq: Option<Seq>,
    pub limit: Option<u64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListMessagesResponse {
    /// Oldest first.
    pub messages: Vec<MessageView>,
    /// More messages exist beyond this page in the direction asked.
    pub has_more: bool,
}
