//! One `AppError` for every route and websocket request, rendered as the
//! shared JSON error body with the right status. 500s are logged with their
//! cause and answered without it.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;
use shared::{ApiError, ErrorBody, ErrorKind};

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    WeakPassword(String),
    #[error("this password is too common")]
    BreachedPassword,
    #[error("email taken")]
    EmailTaken,
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Log-in: the password matched, the two-factor code did not (or was
    /// used already). Answered as `invalid_credentials` on field `code`.
    #[error("wrong two-factor code")]
    InvalidCode,
    #[error("not signed in")]
    Unauthenticated,
    /// Also what a non-member gets for a room: existence is not revealed.
    #[error("not found")]
    NotFound,
    /// Signed in, not allowed to know the thing exists: answered exactly as
    /// `NotFound`, but audited as a refusal (`authz_fail`).
    #[error("refused (answered as not found)")]
    Refused,
    /// Signed in, allowed to know the thing exists, not allowed to do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("cross-origin request refused: {0}")]
    CrossOrigin(&'static str),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; the message says how long to wait.
    #[error("rate limited: {0}")]
    RateLimited(String),
    /// The account is suspended; the message says until when.
    #[error("suspended: {0}")]
    Suspended(String),
    /// Log-in: the password matched, the two-factor code is missing.
    #[error("two-factor code required")]
    TwoFactorRequired,
    /// A member of the programme team without two-factor sign-in tried a
    /// team step while the server requires it.
    #[error("two-factor set-up required")]
    TwoFactorSetupRequired,
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            field,
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The status and the body a client sees. Internal causes never leave here.
    pub fn to_api(&self) -> (StatusCode, ApiError) {
        use ErrorKind as K;
        let (status, kind, message) = match self {
            Self::Validation { message, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                K::Validation,
                message.clone(),
            ),
            Self::WeakPassword(m) => (StatusCode::UNPROCESSABLE_ENTITY, K::WeakPassword, m.clone()),
            Self::BreachedPassword => (
                StatusCode::UNPROCESSABLE_ENTITY,
                K::BreachedPassword,
                "This password is too common and easy to guess. Try three random words instead."
                    .into(),
            ),
            Self::EmailTaken => (
                StatusCode::CONFLICT,
                K::EmailTaken,
                "An account with this email already exists. Try logging in instead.".into(),
            ),
            Self::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                K::InvalidCredentials,
                "That email and password do not match an account.".into(),
            ),
            Self::InvalidCode => (
                StatusCode::UNAUTHORIZED,
                K::InvalidCredentials,
                "That code is not right. Enter the current 6-digit code from your \
                 authenticator app (each code works once), or an unused recovery code."
                    .into(),
            ),
            Self::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                K::Unauthenticated,
                "Please log in to continue.".into(),
            ),
            Self::NotFound | Self::Refused => (
                StatusCode::NOT_FOUND,
                K::NotFound,
                "We could not find that.".into(),
            ),
            Self::Forbidden(m) => (StatusCode::FORBIDDEN, K::Forbidden, m.clone()),
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, K::BadRequest, m.clone()),
            Self::CrossOrigin(why) => (
                StatusCode::FORBIDDEN,
                K::CrossOrigin,
                format!("Request refused: {why}."),
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                K::UnsupportedMediaType,
                "Send a JSON body with Content-Type: application/json.".into(),
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                K::PayloadTooLarge,
                "The request is too large.".into(),
            ),
            Self::Conflict(m) => (StatusCode::CONFLICT, K::Conflict, m.clone()),
            Self::RateLimited(m) => (StatusCode::TOO_MANY_REQUESTS, K::RateLimited, m.clone()),
            Self::Suspended(m) => (StatusCode::FORBIDDEN, K::Suspended, m.clone()),
            Self::TwoFactorRequired => (
                StatusCode::UNAUTHORIZED,
                K::TwoFactorRequired,
                "Enter the 6-digit code from your authenticator app, or a recovery code.".into(),
            ),
            Self::TwoFactorSetupRequired => (
                StatusCode::FORBIDDEN,
                K::TwoFactorSetupRequired,
                "The programme team must use two-factor sign-in. Set it up in your settings \
                 (an authenticator app), then try again."
                    .into(),
            ),
            Self::Db(_) | Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                K::Internal,
                "Something went wrong on our side. Please try again.".into(),
            ),
        };
        let mut error = ApiError::new(kind, message);
        error.field = match self {
            Self::Validation { field, .. } => Some((*field).to_owned()),
            Self::WeakPassword(_) | Self::BreachedPassword => Some("password".into()),
            Self::EmailTaken => Some("email".into()),
            Self::InvalidCode | Self::TwoFactorRequired => Some("code".into()),
            _ => None,
        };
        (status, error)
    }

    /// Log server-side faults once, where they turn into a response or event.
    pub fn log_if_internal(&self) {
        if matches!(self, Self::Db(_) | Self::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// Marks a response that refused a signed-in person a step or a thing, so
/// the audit layer records `authz_fail` (see `crate::auth::audit_refusals`).
#[derive(Clone, Copy, Debug)]
pub struct AuthzRefusal;

impl AppError {
    /// A refusal by the access rules (not a thing that does not exist).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::Refused | Self::Forbidden(_) | Self::TwoFactorSetupRequired
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log_if_internal();
        let refusal = self.is_refusal();
        let (status, error) = self.to_api();
        let mut res = (status, axum::Json(ErrorBody { error })).into_response();
        if refusal {
            res.extensions_mut().insert(AuthzRefusal);
        }
        res
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::JsonDataError(e) => Self::BadRequest(format!(
                "The request body has the wrong shape: {}",
                e.body_text()
            )),
            JsonRejection::JsonSyntaxError(_) => {
                Self::BadRequest("The request body is not valid JSON.".into())
            }
            JsonRejection::BytesRejection(_) => Self::PayloadTooLarge,
            other => Self::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(format!("Bad query string: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        Self::NotFound
    }
}

/// `axum::Json` whose rejections are `AppError`s (so bad input gets our body).
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with `AppError` rejections.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with `AppError` rejections (a bad id is a 404).
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);
