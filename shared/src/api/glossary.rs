//! The shared glossary of community and health-sector terms.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::taxonomy::ApprovalStatus;

/// One term. Approved terms are explained wherever they appear.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GlossaryTerm {
    pub id: i64,
    /// As written, e.g. "ICB" or "link worker".
    pub term: String,
    /// Other ways of writing it, e.g. "Integrated Care Board".
    pub aliases: Vec<String>,
    /// Plain English, a sentence or two.
    pub definition: String,
    pub status: ApprovalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_by: Option<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/glossary`: approved terms A–Z for everyone; admins also get
/// the pending suggestions, and a member their own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GlossaryResponse {
    pub terms: Vec<GlossaryTerm>,
    pub suggestions: Vec<GlossaryTerm>,
}

/// `POST /api/glossary`: a member suggests a term (pending until approved).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestTerm {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub definition: String,
}

/// `POST /api/glossary/{id}/decision` (admins).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideTerm {
    pub approve: bool,
    /// Required to decline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
