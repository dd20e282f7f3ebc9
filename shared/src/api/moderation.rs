//! Content reports and moderation: any member reports a message or a thread
//! post; the programme team (moderators) works the queue: hide (others see a
//! tombstone), restore, warn the author, suspend or lift a suspension.
//!
//! Moderators read reported content through the report's copy of it; they
//! have no route into private rooms.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MessageId, PostId, RoomId, ThreadId};

pub type ReportId = i64;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    /// Harassment, bullying or abuse of someone.
    Harassment,
    /// Harmful to someone's wellbeing (for example, about self-harm methods).
    Harmful,
    /// Names or details of a person who is supported, shared where it should not be.
    PersonalInformation,
    Spam,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        Self::Harassment,
        Self::Harmful,
        Self::PersonalInformation,
        Self::Spam,
        Self::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Harassment => "Harassment or abuse",
            Self::Harmful => "Harmful to someone's wellbeing",
            Self::PersonalInformation => "Shares someone's personal information",
            Self::Spam => "Spam or advertising",
            Self::Other => "Something else",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Harassment => "harassment",
            Self::Harmful => "harmful",
            Self::PersonalInformation => "personal_information",
            Self::Spam => "spam",
            Self::Other => "other",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == s)
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Open,
    /// A moderator acted on it (hid the content, warned or suspended).
    Actioned,
    /// A moderator looked and left the content as it is.
    Dismissed,
}

impl ReportStatus {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Actioned => "actioned",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Open, Self::Actioned, Self::Dismissed]
            .into_iter()
            .find(|r| r.slug() == s)
    }
}

/// `POST /api/reports`: exactly one of `message_id` and `post_id`, which the
/// reporter must be able to read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    pub reason: ReportReason,
    /// Anything the moderator should know (optional).
    #[serde(default)]
    pub detail: String,
}

/// The answer to `POST /api/reports`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportCreated {
    pub id: ReportId,
}

/// A moderator's action with a reason: hide, restore, warn, dismiss.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationReason {
    pub reason: String,
    /// The report this acts on, which becomes actioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<ReportId>,
}

/// `POST /api/moderation/users/{id}/suspend`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspendUser {
    pub reason: String,
    /// How long; None until a moderator lifts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<ReportId>,
}

/// Where reported content lives, so a moderator can see its place.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedContent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    /// The content when it was reported.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<UserSummary>,
    /// Hidden now, with the moderator's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    /// The author is suspended now.
    #[serde(default)]
    pub author_suspended: bool,
}

/// A report in the moderation queue.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub id: ReportId,
    pub status: ReportStatus,
    pub reason: ReportReason,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<UserSummary>,
    pub content: ReportedContent,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<UserSummary>,
}

/// `GET /api/moderation/reports?status=` (default open), oldest first for open.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListReports {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReportStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListReportsResponse {
    pub reports: Vec<ReportView>,
    pub open_count: i64,
}

/// One moderation step, for the history of a person or report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationActionView {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<UserSummary>,
    /// `hide`, `restore`, `warn`, `suspend`, `unsuspend` or `dismiss`.
    pub action: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

/// `GET /api/moderation/users/{id}`: a person's standing and moderation history.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationUserView {
    pub user: UserSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_until: Option<DateTime<Utc>>,
    /// Suspended now (until `suspended_until`, or until lifted when that is None).
    pub suspended: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension_reason: Option<String>,
    /// Newest first.
    pub actions: Vec<ModerationActionView>,
    pub reports_against: i64,
}
