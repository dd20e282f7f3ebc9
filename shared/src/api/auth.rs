//! Accounts and sessions: register, log in, who am I.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::UserId;

/// `POST /api/auth/register`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Register {
    pub email: String,
    pub password: String,
    pub display_name: String,
}

/// `POST /api/auth/login`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// `GET /api/me`, and the body of a successful register or login.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    /// Whether others see how far this person has read (read receipts).
    #[serde(default = "yes")]
    pub read_receipts: bool,
    /// A member of the programme team: approves, matches, watches programme health.
    #[serde(default)]
    pub is_admin: bool,
}

fn yes() -> bool {
    true
}

/// `PUT /api/me/settings`: change one's own preferences; absent fields stay.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_receipts: Option<bool>,
}
