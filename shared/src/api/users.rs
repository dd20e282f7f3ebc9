//! Finding people.

use serde::{Deserialize, Serialize};

use crate::UserId;

/// What anyone signed in may see of another person.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: UserId,
    pub display_name: String,
}

/// `GET /api/users?q=`
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListUsers {
    /// Part of a display name; at least two characters.
    #[serde(default)]
    pub q: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListUsersResponse {
    pub users: Vec<UserSummary>,
}
