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
    /// With two-factor sign-in on: the 6-digit code from the authenticator
    /// app, or one of the recovery codes. Without it such an account gets
    /// `two_factor_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
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
    /// Two-factor sign-in is on for this account.
    #[serde(default)]
    pub two_factor: bool,
    /// On the programme team without two-factor sign-in, where the server
    /// requires it: team steps are refused (`two_factor_setup_required`)
    /// until it is set up.
    #[serde(default)]
    pub two_factor_required: bool,
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

/// One signed-in browser or device, for `GET /api/me/sessions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// What the browser said it was when it signed in, shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The session making this request.
    pub current: bool,
}

/// `GET /api/me/sessions`: newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListSessionsResponse {
    pub sessions: Vec<SessionView>,
}

/// `POST /api/me/sessions/sign-out-others`: how many sessions ended.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    pub ended: u64,
}
