//! The audit log as the programme team reads it: security events named
//! after the OWASP logging vocabulary (`authn_login_fail`, `authz_fail`,
//! `authz_admin`, `sensitive_read`, …), newest first, filtered.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::UserId;
use crate::api::users::UserSummary;

/// Every event name the server records, for the filter.
pub const AUDIT_EVENTS: [&str; 13] = [
    "authn_login_success",
    "authn_login_fail",
    "authn_login_lock",
    "authn_token_revoked",
    "authn_mfa_enabled",
    "authn_mfa_disabled",
    "authn_recovery_code_used",
    "authz_fail",
    "authz_admin",
    "sensitive_read",
    "sensitive_create",
    "sensitive_update",
    "user_deleted",
];

/// `GET /api/admin/audit`: all filters optional; page back with `before_id`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListAudit {
    /// One event name from `AUDIT_EVENTS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Who acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Who it was about (the account a login tried, the person suspended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<UserId>,
    /// Only entries older than this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_id: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// What the step was; never a secret or a message's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListAuditResponse {
    pub entries: Vec<AuditEntryView>,
    /// Older entries match too: ask again with `before_id` = the last id.
    pub has_more: bool,
}
