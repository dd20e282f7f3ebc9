//! In-app notifications: mentions, and steps in the mentoring programme.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MentorshipId, MessageId, OrganisationId, PostId, RoomId, Seq, ThreadId};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Someone wrote `@Your Name` in a room you are in.
    Mention,
    /// A mentorship the reader is part of took a step (proposed, accepted, …).
    Mentorship,
    /// The programme team checked in on a quiet mentorship.
    Nudge,
    /// The programme team decided on the reader's organisation or mentor application.
    Decision,
    /// A thread the reader follows has a new reply.
    ThreadReply,
    /// A topic the reader follows has a new thread.
    NewThread,
    /// A co-operative's membership changed (a request, an invitation, a
    /// decision on either, an organisation leaving), or an action was given
    /// to the reader.
    Coop,
    /// A safeguarding concern for the reader to handle, or a step on one
    /// the reader raised or handles.
    Concern,
    /// A moderator acted on the reader's content or account (hid or
    /// restored a post, a warning).
    Moderation,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    /// Mentions: where, and which message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<Seq>,
    /// Programme steps: which mentorship or organisation it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentorship_id: Option<MentorshipId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    /// Thread activity: which thread and post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    /// Co-op activity: which co-operative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coop_id: Option<i64>,
    /// Safeguarding: which concern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concern_id: Option<i64>,
    /// Who caused it (the author of the mention, the admin who decided, …).
    pub actor: UserSummary,
    /// The start of the message, or what happened in a sentence.
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
