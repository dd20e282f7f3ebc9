//! The one error body every API route and websocket error uses.

use serde::{Deserialize, Serialize};

/// Machine-readable reason, stable for clients to `match` on.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request was not understood (bad JSON, wrong shape).
    BadRequest,
    /// A field failed validation; `field` says which.
    Validation,
    /// Password shorter than the minimum or longer than the maximum.
    WeakPassword,
    /// Password is on the list of common or breached passwords.
    BreachedPassword,
    EmailTaken,
    InvalidCredentials,
    /// No session, or the session has ended.
    Unauthenticated,
    /// Signed in but not allowed (only where existence is not secret).
    Forbidden,
    NotFound,
    Conflict,
    /// A state-changing request from another site, or without a JSON body.
    CrossOrigin,
    UnsupportedMediaType,
    PayloadTooLarge,
    RateLimited,
    /// The account is suspended by a moderator; the message says until when.
    Suspended,
    /// Log-in: the password was right, and the account needs its
    /// two-factor code (or a recovery code) too. No session was started.
    TwoFactorRequired,
    /// A member of the programme team must turn on two-factor sign-in
    /// before taking this step (`POST /api/me/two-factor/setup`).
    TwoFactorSetupRequired,
    Internal,
    /// A kind this client build does not know yet (newer server).
    #[serde(other)]
    Unknown,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub kind: ErrorKind,
    /// A sentence a person can read.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `{"error": {"kind": "...", "message": "..."}}`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_documented_shape() {
        let body = ErrorBody {
            error: ApiError::new(ErrorKind::InvalidCredentials, "Wrong email or password."),
        };
        let json = serde_json::to_value(&body).expect("serialise");
        assert_eq!(json["error"]["kind"], "invalid_credentials");
        assert_eq!(json["error"]["message"], "Wrong email or password.");
        assert!(json["error"].get("field").is_none());
    }

    #[test]
    fn unknown_kinds_from_a_newer_server_still_parse() {
        let parsed: ApiError =
            serde_json::from_str(r#"{"kind":"brand_new_kind","message":"x"}"#).expect("parse");
        assert_eq!(parsed.kind, ErrorKind::Unknown);
    }
}
