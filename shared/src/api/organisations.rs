//! Organisations: profiles, approval, staff, invitations and needs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::taxonomy::{ActivityType, ApprovalStatus, OrganisationSize, Priority, Topic};
use crate::{OrganisationId, UserId};

/// `POST /api/organisations` and `PUT /api/organisations/{id}`: the profile
/// a lead edits. Creating one makes the creator its first lead; it waits for
/// the programme team's approval before others can see it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveOrganisation {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub activity_types: Vec<ActivityType>,
    /// A town or area, e.g. "Plymouth".
    pub locality: String,
    /// Who the organisation works with, in its own words.
    #[serde(default)]
    pub populations_served: String,
    pub size: OrganisationSize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charity_number: Option<String>,
}

/// One topic an organisation wants help with.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub topic: Topic,
    pub priority: Priority,
    /// What they want help with, in their own words.
    #[serde(default)]
    pub description: String,
}

/// `PUT /api/organisations/{id}/needs`: the whole list, replacing the old one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetNeeds {
    pub needs: Vec<Need>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub user: UserSummary,
    pub is_lead: bool,
    pub joined_at: DateTime<Utc>,
}

/// What the viewer may do with an organisation.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationRole {
    pub is_staff: bool,
    pub is_lead: bool,
    pub is_admin: bool,
}

/// `GET /api/organisations/{id}`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationView {
    pub id: OrganisationId,
    #[serde(flatten)]
    pub profile: SaveOrganisation,
    pub status: ApprovalStatus,
    /// Why the programme team declined it, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    pub needs: Vec<Need>,
    pub staff: Vec<StaffMember>,
    pub safeguarding_lead: Option<UserSummary>,
    pub created_at: DateTime<Utc>,
    pub viewer: OrganisationRole,
}

/// One line of the directory.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationCard {
    pub id: OrganisationId,
    pub name: String,
    pub locality: String,
    pub activity_types: Vec<ActivityType>,
    pub size: OrganisationSize,
    pub status: ApprovalStatus,
    /// The topics of its needs, highest priority first.
    pub need_topics: Vec<Topic>,
    /// It has an active or paused mentorship.
    pub mentored: bool,
}

/// `GET /api/organisations`: approved organisations (admins may ask for
/// other statuses), narrowed by any of the filters.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListOrganisations {
    pub topic: Option<Topic>,
    pub activity_type: Option<ActivityType>,
    /// Matched case-insensitively.
    pub locality: Option<String>,
    pub status: Option<ApprovalStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListOrganisationsResponse {
    pub organisations: Vec<OrganisationCard>,
}

/// `POST /api/organisations/{id}/decision` and `POST /api/mentors/{id}/decision`
/// (admins): approve, or decline with a reason the applicant will read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decide {
    pub approve: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `PUT /api/organisations/{id}/staff/{user_id}` (leads).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateStaff {
    pub is_lead: bool,
}

/// `PUT /api/organisations/{id}/safeguarding-lead` (leads): one of the staff, or nobody.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetSafeguardingLead {
    pub user_id: Option<UserId>,
}

/// `POST /api/organisations/{id}/invites` (leads): a single-use link to share.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    /// The secret part of the link; shown once, stored only as a hash.
    pub token: String,
    /// The path to share, e.g. `/join/<token>`.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/invites/{token}`: what the link is for, before accepting it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub invited_by: UserSummary,
    pub expires_at: DateTime<Utc>,
}
