//! The programme as a whole: the caller's roles, match suggestions with
//! their reasons, the whole-programme plan, and the admin dashboard.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::mentorships::{MentorshipView, OrganisationRef};
use crate::api::users::UserSummary;
use crate::taxonomy::{ApprovalStatus, Topic};
use crate::{MentorshipId, OrganisationId};

/// An organisation the caller works for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyOrganisation {
    pub id: OrganisationId,
    pub name: String,
    pub status: ApprovalStatus,
    pub is_lead: bool,
}

/// `GET /api/programme/me`: everything the caller is in the programme.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyProgramme {
    pub is_admin: bool,
    /// Their mentor application or profile, if they have one.
    pub mentor_status: Option<ApprovalStatus>,
    pub organisations: Vec<MyOrganisation>,
    /// Their mentorships, open ones first.
    pub mentorships: Vec<MentorshipView>,
}

/// One reason a mentor scored as they did.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Needed topics the mentor knows, weighted by priority and depth.
    Topics,
    /// Same locality, or remote working.
    Place,
    /// Familiarity with the organisation's kinds of activity.
    Activities,
    /// Places left, so a free mentor beats a busy one.
    Capacity,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactorScore {
    pub factor: Factor,
    pub points: f64,
    pub max_points: f64,
    /// E.g. "covers 3 of 4 needed topics: safeguarding, commissioning, …".
    pub explanation: String,
}

/// One ranked mentor for one organisation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub mentor: UserSummary,
    /// 0 to 100: the sum of the factors' points.
    pub score: f64,
    pub factors: Vec<FactorScore>,
    pub covered_topics: Vec<Topic>,
}

/// `GET /api/organisations/{id}/suggestions`: best first; mentors with no
/// place left, or already matched with the organisation, are left out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionsResponse {
    pub organisation_id: OrganisationId,
    pub suggestions: Vec<Suggestion>,
    /// Approved mentors left out because they have no place free.
    pub full_mentors: u32,
}

/// One organisation's place in the whole-programme plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedMatch {
    pub organisation: OrganisationRef,
    pub mentor: UserSummary,
    pub score: f64,
    /// Where this mentor ranked on the organisation's own list (1 = top).
    pub rank: u32,
    pub factors: Vec<FactorScore>,
    /// Why this mentor, in a sentence (e.g. why not the top choice).
    pub explanation: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unmatched {
    pub organisation: OrganisationRef,
    pub reason: String,
}

/// `GET /api/programme/plan` (admins): a suggested mentor for every waiting
/// organisation at once, respecting every mentor's places and maximising
/// the total score. Nothing is sent until the admin proposes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammePlan {
    pub matches: Vec<PlannedMatch>,
    pub unmatched: Vec<Unmatched>,
    pub total_score: f64,
}

/// A mentorship with no message, note, goal change or step for a while.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StalledMentorship {
    pub id: MentorshipId,
    pub organisation: OrganisationRef,
    pub mentor: UserSummary,
    pub last_activity_at: DateTime<Utc>,
    pub days_quiet: i64,
    pub last_nudged_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorLoad {
    pub mentor: UserSummary,
    pub load: u32,
    pub capacity: u32,
}

/// `GET /api/programme/dashboard` (admins): counts and metadata only, never
/// the content of rooms or notes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub organisations_pending: u32,
    pub organisations_approved: u32,
    /// Approved, with needs, and no open mentorship.
    pub organisations_waiting: u32,
    pub mentors_pending: u32,
    pub mentors_approved: u32,
    /// Approved organisations with an active or paused mentorship, 0 to 1.
    pub match_rate: f64,
    pub requested: u32,
    pub proposed: u32,
    pub active: u32,
    pub paused: u32,
    pub completed: u32,
    pub capacity_total: u32,
    pub capacity_used: u32,
    pub mentor_load: Vec<MentorLoad>,
    /// Quiet for at least `stalled_after_days`, quietest first.
    pub stalled: Vec<StalledMentorship>,
    pub stalled_after_days: i64,
}
