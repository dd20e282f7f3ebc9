//! Two-factor sign-in (TOTP, RFC 6238) with recovery codes: set up, turn
//! on with a first code, replace the recovery codes, turn off.

use serde::{Deserialize, Serialize};

/// `POST /api/me/two-factor/setup`: a new secret, pending until a code from
/// it turns two-factor on. Shown once; put it in an authenticator app by
/// hand or as a QR code of `otpauth_uri`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// Base32, 32 characters.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub otpauth_uri: String,
}

/// `POST /api/me/two-factor/enable` and `…/recovery-codes`: a current code
/// from the authenticator app.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnableTotp {
    pub code: String,
}

/// Recovery codes (`abcd-efgh-2345`), each good for one sign-in without the
/// app. Shown once: only their hashes are kept.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `POST /api/me/two-factor/disable`: the password and a current code.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisableTotp {
    pub password: String,
    pub code: String,
}
