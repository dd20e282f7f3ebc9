//! Safeguarding concerns: worry about a person's safety, raised by any
//! member and routed to the safeguarding lead of the organisation concerned
//! and to the programme team. Not the same as a report, which flags content.
//!
//! Who reads a concern: the person who raised it, the safeguarding lead of
//! its organisation (its leads when none is named) and the programme team.
//! Nobody else learns that it exists (`not_found`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::coops::OrgRef;
use crate::api::users::UserSummary;
use crate::{MessageId, OrganisationId, PostId, RoomId, ThreadId};

pub type ConcernId = i64;

/// How urgent. The acknowledgement deadline follows from it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConcernPriority {
    /// Someone may come to harm now: call the emergency services first.
    Immediate,
    /// A worry about someone's safety that needs action.
    Concern,
    /// Something the lead should know; no action may be needed.
    Information,
}

impl ConcernPriority {
    pub const ALL: [ConcernPriority; 3] = [Self::Immediate, Self::Concern, Self::Information];

    pub fn label(self) -> &'static str {
        match self {
            Self::Immediate => "Immediate risk of harm",
            Self::Concern => "Concern",
            Self::Information => "Information",
        }
    }

    /// The machine name, as stored and sent.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::Concern => "concern",
            Self::Information => "information",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == s)
    }
}

/// new → acknowledged → actioned → closed (a closed concern may be reopened,
/// back to acknowledged).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConcernStatus {
    New,
    Acknowledged,
    Actioned,
    Closed,
}

impl ConcernStatus {
    pub const ALL: [ConcernStatus; 4] =
        [Self::New, Self::Acknowledged, Self::Actioned, Self::Closed];

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Acknowledged => "Acknowledged",
            Self::Actioned => "Actioned",
            Self::Closed => "Closed",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Acknowledged => "acknowledged",
            Self::Actioned => "actioned",
            Self::Closed => "closed",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == s)
    }
}

/// `POST /api/concerns`. Give at most one of `message_id` and `post_id`
/// to raise it from a message or a thread post (the raiser must be able to
/// read it; a copy goes with the concern).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaiseConcern {
    /// The organisation whose safeguarding lead should handle it: one the
    /// raiser is staff of. None sends it to the programme team alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    pub priority: ConcernPriority,
    /// Who is at risk, in the raiser's words (no name needed).
    pub at_risk: String,
    pub what_happened: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
}

/// `POST /api/concerns/{id}/status`: the lead or the programme team moves
/// it on; a note is required for actioned and closed (what was done).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetConcernStatus {
    pub status: ConcernStatus,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/concerns/{id}/notes`: anyone who may read it adds to its history.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddConcernNote {
    pub note: String,
}

/// What the caller may do with a concern.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernRole {
    pub raiser: bool,
    /// The organisation's safeguarding lead (or a lead when none is named).
    pub handler: bool,
    pub admin: bool,
}

/// Where a concern was raised from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernContext {
    /// The message or post as it was when the concern was raised.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
}

/// One line of a concern's history (append-only).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernHistoryEntry {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserSummary>,
    /// `raised`, `acknowledged`, `actioned`, `closed`, `reopened` or `note`.
    pub action: String,
    #[serde(default)]
    pub note: String,
}

/// A concern in a list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernSummary {
    pub id: ConcernId,
    pub priority: ConcernPriority,
    pub status: ConcernStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrgRef>,
    pub raised_by: UserSummary,
    /// The first words of what happened.
    pub excerpt: String,
    pub created_at: DateTime<Utc>,
    pub ack_due_at: DateTime<Utc>,
    /// Still new after its acknowledgement deadline.
    pub overdue: bool,
}

/// `GET /api/concerns/{id}`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernView {
    pub summary: ConcernSummary,
    pub at_risk: String,
    pub what_happened: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ConcernContext>,
    /// Who it went to: the safeguarding lead(s) named for the organisation.
    pub handlers: Vec<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Oldest first.
    pub history: Vec<ConcernHistoryEntry>,
    pub role: ConcernRole,
}

/// `GET /api/concerns?status=`: the concerns the caller raised and those
/// they handle, open ones first (overdue, then by priority and age).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListConcerns {
    /// Only concerns in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConcernStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListConcernsResponse {
    /// Concerns the caller handles (as a lead or the programme team).
    pub handling: Vec<ConcernSummary>,
    /// Concerns the caller raised.
    pub raised: Vec<ConcernSummary>,
    /// Organisations the caller is staff of, to pick from when raising one.
    pub organisations: Vec<OrgRef>,
}
