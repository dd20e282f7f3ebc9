//! `AuthUser`: the signed-in person behind a request, from the session cookie.

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use chrono::Duration;

use super::refusals::Caller;
use super::token;
use crate::app::AppState;
use crate::db;
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub session_id: i64,
    pub email: String,
    pub display_name: String,
    /// On the programme team, with the team's powers: false for a team
    /// member without two-factor sign-in while the server requires it (see
    /// `two_factor_setup_required`), so no team power is had without it.
    pub is_admin: bool,
    /// Two-factor sign-in is on for this account.
    pub two_factor: bool,
    /// On the programme team, but without two-factor sign-in where the
    /// server requires it: team steps answer `two_factor_setup_required`.
    pub two_factor_setup_required: bool,
    pub read_receipts: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| token::read_cookie(h, state.cookie_name))
            .ok_or(AppError::Unauthenticated)?;
        let who = authenticate(state, token).await?;
        // The audit middleware attributes refusals and team steps to them.
        if let Some(caller) = parts.extensions.get::<Caller>() {
            caller.found(&who);
        }
        Ok(who)
    }
}

/// The session behind a raw token, if it is live.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<AuthUser> {
    let idle = Duration::minutes(state.config.session_idle_minutes);
    let (session, user) = db::sessions::find_live(&state.db, &token::hash(token), idle)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let two_factor = db::users::two_factor_enabled(&user);
    let two_factor_setup_required =
        user.is_admin && !two_factor && state.config.admin_two_factor_required;
    Ok(AuthUser {
        id: user.id,
        session_id: session.id,
        email: user.email,
        display_name: user.display_name,
        is_admin: user.is_admin && !two_factor_setup_required,
        two_factor,
        two_factor_setup_required,
        read_receipts: user.read_receipts,
        created_at: user.created_at,
    })
}
