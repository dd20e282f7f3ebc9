//! Two-factor sign-in for one's own account: set up (a pending secret),
//! turn on with a first code (recovery codes shown once), replace the
//! recovery codes, turn off. Reachable to a member of the programme team
//! who has not set it up yet: these are how they do.
//!
//! A wrong code on the steps that need one when two-factor is already on
//! (replacing the codes, turning it off) counts as a failed log-in, so the
//! log-in throttle also stops someone guessing codes with a stolen session.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::two_factor::{DisableTotp, EnableTotp, RecoveryCodes, TotpSetup};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::client_ip::ClientIp;
use crate::auth::{AuthUser, password, throttle, totp};
use crate::db;
use crate::db::audit::{self, Entry, Event};
use crate::db::entities::user;
use crate::error::{AppError, AppResult, Json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(enable))
        .routes(routes!(regenerate_recovery_codes))
        .routes(routes!(disable))
}

/// Which second factor a sign-in or a step used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    Totp,
    RecoveryCode,
}

/// Check `typed` against `u`'s two-factor sign-in and use it up: a TOTP code
/// (its step, never accepted again) or, when `recovery` allows it, an
/// unused recovery code. None when it is not right (or already used).
pub async fn second_factor(
    state: &AppState,
    u: &user::Model,
    typed: &str,
    recovery: bool,
) -> AppResult<Option<Factor>> {
    let Some(secret) = u
        .totp_secret
        .as_deref()
        .filter(|_| db::users::two_factor_enabled(u))
    else {
        return Ok(None);
    };
    if let Some(step) = totp::verify(secret, typed, totp::now(), u.totp_last_step) {
        let step = i64::try_from(step).map_err(AppError::internal)?;
        let fresh = db::users::use_totp_step(&state.db, u.id, step).await?;
        return Ok(fresh.then_some(Factor::Totp));
    }
    if recovery && let Some(normal) = totp::normalise_recovery_code(typed) {
        let hash = totp::hash_recovery_code(&normal);
        if db::users::use_recovery_code(&state.db, u.id, &hash).await? {
            return Ok(Some(Factor::RecoveryCode));
        }
    }
    Ok(None)
}

/// New recovery codes: what is shown once, and what is stored.
fn new_recovery_codes() -> AppResult<(Vec<String>, Vec<String>)> {
    let codes = totp::generate_recovery_codes()?;
    let hashes = codes
        .iter()
        .filter_map(|c| totp::normalise_recovery_code(c))
        .map(|n| totp::hash_recovery_code(&n))
        .collect::<Vec<_>>();
    if hashes.len() != codes.len() {
        return Err(AppError::internal(
            "a generated recovery code did not normalise",
        ));
    }
    Ok((codes, hashes))
}

async fn account(state: &AppState, who: &AuthUser) -> AppResult<user::Model> {
    db::users::find(&state.db, who.id)
        .await?
        .ok_or(AppError::Unauthenticated)
}

fn wrong_code() -> AppError {
    AppError::validation(
        "code",
        "That code is not right. Enter the 6-digit code your authenticator app shows now.",
    )
}

fn not_on() -> AppError {
    AppError::conflict("Two-factor sign-in is not on for your account.")
}

/// A failed second factor (or password) on a step that needs it: counted
/// like a failed log-in, so the log-in throttle applies.
async fn record_failure(state: &AppState, who: &AuthUser, ip: &str, what: &str) -> AppResult<()> {
    audit::record(
        &state.db,
        Entry {
            event: Event::LoginFail,
            actor: Some(who.id),
            subject: Some(who.id),
            ip: Some(ip),
            detail: Some(what),
        },
    )
    .await
}

#[utoipa::path(post, path = "/me/two-factor/setup", tag = "auth",
    responses(
        (status = 200, description = "A new secret, pending until `enable` confirms a code from it", body = TotpSetup),
        (status = 401, body = shared::ErrorBody),
        (status = 409, description = "Two-factor sign-in is already on", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn setup(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<TotpSetup>> {
    // Refused (409) once two-factor is on.
    let secret = totp::generate_secret()?;
    db::users::set_pending_totp(&state.db, who.id, &secret).await?;
    let otpauth_uri = totp::otpauth_uri(&secret, &who.email);
    Ok(Json(TotpSetup {
        secret,
        otpauth_uri,
    }))
}

#[utoipa::path(post, path = "/me/two-factor/enable", tag = "auth", request_body = EnableTotp,
    responses(
        (status = 200, description = "Two-factor sign-in is on; the recovery codes are shown this once", body = RecoveryCodes),
        (status = 401, body = shared::ErrorBody),
        (status = 409, description = "Already on, or no set-up started", body = shared::ErrorBody),
        (status = 422, description = "validation (field `code`): not the code the app shows now", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn enable(
    State(state): State<AppState>,
    who: AuthUser,
    ClientIp(ip): ClientIp,
    Json(req): Json<EnableTotp>,
) -> AppResult<Json<RecoveryCodes>> {
    let found = account(&state, &who).await?;
    if db::users::two_factor_enabled(&found) {
        return Err(AppError::conflict("Two-factor sign-in is already on."));
    }
    let Some(secret) = found.totp_secret.as_deref() else {
        return Err(AppError::conflict(
            "Start the set-up first: it gives you the key for your authenticator app.",
        ));
    };
    let step = totp::verify(secret, &req.code, totp::now(), found.totp_last_step)
        .ok_or_else(wrong_code)?;
    let step = i64::try_from(step).map_err(AppError::internal)?;
    let (codes, hashes) = new_recovery_codes()?;
    let ip = ip.to_string();
    let entry = Entry {
        event: Event::MfaEnabled,
        actor: Some(who.id),
        subject: Some(who.id),
        ip: Some(&ip),
        detail: Some("authenticator app added, recovery codes issued"),
    };
    db::users::enable_totp(&state.db, who.id, secret, step, &hashes, entry).await?;
    tracing::info!(user_id = who.id, "two-factor sign-in on");
    Ok(Json(RecoveryCodes { codes }))
}

#[utoipa::path(post, path = "/me/two-factor/recovery-codes", tag = "auth", request_body = EnableTotp,
    responses(
        (status = 200, description = "New recovery codes, shown this once; the old ones no longer work", body = RecoveryCodes),
        (status = 401, body = shared::ErrorBody),
        (status = 409, description = "Two-factor sign-in is not on", body = shared::ErrorBody),
        (status = 422, description = "validation (field `code`): not the code the app shows now", body = shared::ErrorBody),
        (status = 429, description = "rate_limited: too many wrong codes or passwords lately", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    who: AuthUser,
    ClientIp(ip): ClientIp,
    Json(req): Json<EnableTotp>,
) -> AppResult<Json<RecoveryCodes>> {
    let ip = ip.to_string();
    let found = account(&state, &who).await?;
    if !db::users::two_factor_enabled(&found) {
        return Err(not_on());
    }
    throttle::check(&state.db, &ip, Some(who.id)).await?;
    if second_factor(&state, &found, &req.code, false).await? != Some(Factor::Totp) {
        record_failure(
            &state,
            &who,
            &ip,
            "wrong two-factor code (new recovery codes)",
        )
        .await?;
        return Err(wrong_code());
    }
    let (codes, hashes) = new_recovery_codes()?;
    let entry = Entry {
        event: Event::MfaEnabled,
        actor: Some(who.id),
        subject: Some(who.id),
        ip: Some(&ip),
        detail: Some("recovery codes replaced"),
    };
    db::users::replace_recovery_codes(&state.db, who.id, &hashes, entry).await?;
    Ok(Json(RecoveryCodes { codes }))
}

#[utoipa::path(post, path = "/me/two-factor/disable", tag = "auth", request_body = DisableTotp,
    responses(
        (status = 204, description = "Two-factor sign-in is off; the secret and recovery codes are gone"),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "forbidden: the programme team cannot turn it off", body = shared::ErrorBody),
        (status = 409, description = "Two-factor sign-in is not on", body = shared::ErrorBody),
        (status = 422, description = "validation (field `password` or `code`)", body = shared::ErrorBody),
        (status = 429, description = "rate_limited: too many wrong codes or passwords lately", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn disable(
    State(state): State<AppState>,
    who: AuthUser,
    ClientIp(ip): ClientIp,
    Json(req): Json<DisableTotp>,
) -> AppResult<StatusCode> {
    if who.is_admin || who.two_factor_setup_required {
        return Err(AppError::forbidden(
            "Two-factor sign-in is required for the programme team, so it cannot be turned off.",
        ));
    }
    let ip = ip.to_string();
    let found = account(&state, &who).await?;
    if !db::users::two_factor_enabled(&found) {
        return Err(not_on());
    }
    throttle::check(&state.db, &ip, Some(who.id)).await?;
    if !password::verify(req.password, Some(found.password_hash.clone())).await? {
        record_failure(&state, &who, &ip, "wrong password (turning two-factor off)").await?;
        return Err(AppError::validation(
            "password",
            "That password is not right.",
        ));
    }
    // A recovery code will do: it is how someone who lost their phone
    // starts again with a new one.
    let Some(factor) = second_factor(&state, &found, &req.code, true).await? else {
        record_failure(
            &state,
            &who,
            &ip,
            "wrong two-factor code (turning two-factor off)",
        )
        .await?;
        return Err(AppError::validation(
            "code",
            "That code is not right. Enter the 6-digit code your authenticator app shows now, \
             or an unused recovery code.",
        ));
    };
    if factor == Factor::RecoveryCode {
        let entry = Entry {
            event: Event::RecoveryCodeUsed,
            actor: Some(who.id),
            subject: Some(who.id),
            ip: Some(&ip),
            detail: Some("to turn two-factor off"),
        };
        audit::record(&state.db, entry).await?;
    }
    let entry = Entry {
        event: Event::MfaDisabled,
        actor: Some(who.id),
        subject: Some(who.id),
        ip: Some(&ip),
        detail: Some("turned off by its owner"),
    };
    db::users::disable_totp(&state.db, who.id, entry).await?;
    tracing::info!(user_id = who.id, "two-factor sign-in off");
    Ok(StatusCode::NO_CONTENT)
}
