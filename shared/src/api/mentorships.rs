//! Mentorships: proposing and requesting, the lifecycle, goals and session notes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::taxonomy::{GoalStatus, LifecycleAction, MentorshipStatus};
use crate::{MentorshipId, OrganisationId, RoomId, UserId};

/// `POST /api/mentorships`: an admin proposes a mentor to an organisation
/// (`proposed`, waiting for the mentor); a lead of the organisation asks for
/// one (`requested`, waiting for an admin).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateMentorship {
    pub organisation_id: OrganisationId,
    pub mentor_id: UserId,
    /// Why this match, for the mentor (or the admin) to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/mentorships/{id}/transition`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transition {
    pub action: LifecycleAction,
    /// Required to decline or withdraw; optional otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `PUT /api/mentorships/{id}/reflection`: the closing reflection of the
/// caller's side (the mentor, or the organisation's staff).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveReflection {
    pub text: String,
}

/// One step in a mentorship's history: who moved it, when, and why.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionRecord {
    pub from: Option<MentorshipStatus>,
    pub to: MentorshipStatus,
    pub actor: UserSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationRef {
    pub id: OrganisationId,
    pub name: String,
}

/// `GET /api/mentorships/{id}`, and one line of `GET /api/mentorships`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorshipView {
    pub id: MentorshipId,
    pub organisation: OrganisationRef,
    pub mentor: UserSummary,
    pub status: MentorshipStatus,
    /// The private room, once the mentor has accepted (members only).
    pub room_id: Option<RoomId>,
    pub created_at: DateTime<Utc>,
    /// The newest message, note, goal change or step.
    pub last_activity_at: DateTime<Utc>,
    pub history: Vec<TransitionRecord>,
    /// Closing reflections, once written (members only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_reflection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_reflection: Option<String>,
    /// The steps the viewer may take now.
    pub actions: Vec<LifecycleAction>,
    /// The viewer is the mentor or one of the organisation's staff: they
    /// see the room, goals and notes. Admins alone see metadata only.
    pub viewer_is_member: bool,
}

/// `GET /api/mentorships`: the caller's own (as mentor or staff); admins see all.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListMentorships {
    pub status: Option<MentorshipStatus>,
    pub organisation_id: Option<OrganisationId>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListMentorshipsResponse {
    pub mentorships: Vec<MentorshipView>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalView {
    pub id: i64,
    pub title: String,
    pub status: GoalStatus,
    pub created_by: UserSummary,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/mentorships/{id}/goals`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateGoal {
    pub title: String,
}

/// `PUT /api/mentorships/{id}/goals/{goal_id}`: absent fields stay.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateGoal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<GoalStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListGoalsResponse {
    pub goals: Vec<GoalView>,
}

/// `POST /api/mentorships/{id}/notes`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSessionNote {
    pub session_date: NaiveDate,
    pub summary: String,
    #[serde(default)]
    pub next_steps: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionNoteView {
    pub id: i64,
    pub session_date: NaiveDate,
    pub summary: String,
    pub next_steps: String,
    pub author: UserSummary,
    pub created_at: DateTime<Utc>,
}

/// Newest session first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListSessionNotesResponse {
    pub notes: Vec<SessionNoteView>,
}
