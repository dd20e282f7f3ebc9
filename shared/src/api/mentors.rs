//! Mentors: applying, the profile, approval, and the directory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::taxonomy::{ActivityType, ApprovalStatus, Depth, Topic};

/// One topic a mentor knows, and how well.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expertise {
    pub topic: Topic,
    pub depth: Depth,
}

/// `PUT /api/mentors/me`: apply to mentor (the first time) or edit the profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveMentorProfile {
    #[serde(default)]
    pub bio: String,
    pub expertise: Vec<Expertise>,
    #[serde(default)]
    pub activity_types: Vec<ActivityType>,
    /// Towns or areas where they can meet in person.
    #[serde(default)]
    pub localities: Vec<String>,
    pub remote: bool,
    pub in_person: bool,
    /// Most mentorships at once (active or paused).
    pub capacity: u32,
    /// Shown only when the mentor chooses to show it.
    #[serde(default)]
    pub lived_experience: bool,
}

/// `GET /api/mentors/{user_id}` and one line of the directory.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorView {
    pub user: UserSummary,
    #[serde(flatten)]
    pub profile: SaveMentorProfile,
    pub status: ApprovalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// Places in use: active, paused and proposed mentorships.
    pub load: u32,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/mentors`: approved mentors (admins may ask for other statuses).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListMentors {
    pub topic: Option<Topic>,
    pub activity_type: Option<ActivityType>,
    /// Mentors who meet there in person, or work remotely.
    pub locality: Option<String>,
    pub status: Option<ApprovalStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListMentorsResponse {
    pub mentors: Vec<MentorView>,
}
