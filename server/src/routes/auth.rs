//! Register, log in, log out, who am I.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{HeaderName, SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse};
use chrono::Duration;
use shared::api::auth::{Login, MeResponse, Register, UpdateSettings};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::two_factor;
use crate::app::AppState;
use crate::auth::client_ip::ClientIp;
use crate::auth::{AuthUser, device, password, throttle, token};
use crate::cluster::Sessions;
use crate::db;
use crate::db::audit;
use crate::db::entities::user;
use crate::domain::validate;
use crate::error::{AppError, AppResult, Json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(update_settings))
}

/// `admin_two_factor_required`: the server's setting (see `Config`).
fn me_of(u: &user::Model, admin_two_factor_required: bool) -> MeResponse {
    let two_factor = db::users::two_factor_enabled(u);
    MeResponse {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        created_at: u.created_at,
        read_receipts: u.read_receipts,
        is_admin: u.is_admin,
        two_factor,
        two_factor_required: u.is_admin && !two_factor && admin_two_factor_required,
    }
}

/// Start a session for `user_id` and return its `Set-Cookie` value.
async fn start_session(state: &AppState, user_id: i64, headers: &HeaderMap) -> AppResult<String> {
    let raw = token::generate()?;
    let absolute = Duration::days(state.config.session_absolute_days);
    let agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(device::clip);
    db::sessions::create(&state.db, user_id, token::hash(&raw), absolute, agent).await?;
    Ok(token::set_cookie(
        state.cookie_name,
        &raw,
        state.config.is_https(),
        absolute.num_seconds(),
    ))
}

#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = Register,
    responses(
        (status = 201, description = "Account created and signed in", body = MeResponse),
        (status = 409, description = "email_taken", body = shared::ErrorBody),
        (status = 422, description = "validation, weak_password or breached_password", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<Register>,
) -> AppResult<impl IntoResponse> {
    let email = validate::email(&req.email)?;
    let display_name = validate::display_name(&req.display_name)?;
    password::check_policy(&req.password, &email, &display_name)?;
    let password_hash = password::hash(req.password).await?;
    let created = db::users::create(
        &state.db,
        db::users::NewUser {
            email: &email,
            password_hash,
            display_name: &display_name,
            is_admin: false,
        },
    )
    .await?;
    tracing::info!(user_id = created.id, "account created");
    let cookie = start_session(&state, created.id, &headers).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([(SET_COOKIE, cookie)]),
        Json(me_of(&created, state.config.admin_two_factor_required)),
    ))
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = Login,
    responses(
        (status = 200, description = "Signed in", body = MeResponse),
        (status = 401, description = "invalid_credentials (a wrong or used two-factor code: field `code`), or two_factor_required: the password is right and the account needs its code", body = shared::ErrorBody),
        (status = 403, description = "suspended: the account is suspended by a moderator", body = shared::ErrorBody),
        (status = 429, description = "rate_limited: 5 failures per account in 15 minutes, or 20 per address in a minute", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(req): Json<Login>,
) -> AppResult<impl IntoResponse> {
    let ip = ip.to_string();
    // A malformed email cannot match an account; treat it like an unknown one
    // (same work, same answer) rather than revealing anything.
    let email = validate::email(&req.email).unwrap_or_default();
    let found = if email.is_empty() {
        None
    } else {
        db::users::find_by_email(&state.db, &email).await?
    };
    let account = found.as_ref().map(|u| u.id);
    // Before hashing: a refused attempt costs a count, not an argon2 run.
    throttle::check(&state.db, &ip, account).await?;
    let ok = password::verify(
        req.password,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let entry = |event| audit::Entry {
        event,
        actor: None,
        subject: account,
        ip: Some(&ip),
        detail: None,
    };
    let Some(found) = found.filter(|_| ok) else {
        tracing::info!("login failed");
        audit::record(&state.db, entry(audit::Event::LoginFail)).await?;
        return Err(AppError::InvalidCredentials);
    };
    // Only after the password matched: a suspension is not revealed to
    // someone who does not know the password.
    if db::users::is_suspended(&found, chrono::Utc::now()) {
        audit::record(&state.db, entry(audit::Event::LoginFail)).await?;
        return Err(AppError::Suspended(suspension_message(&found)));
    }
    // Two-factor sign-in: the code comes with the password (a form asks
    // for it after `two_factor_required`). Without it nothing is recorded:
    // the password was right. A wrong or used code is a failed log-in, so
    // the throttle above counts it.
    if db::users::two_factor_enabled(&found) {
        let Some(code) = req.code.as_deref().filter(|c| !c.trim().is_empty()) else {
            return Err(AppError::TwoFactorRequired);
        };
        match two_factor::second_factor(&state, &found, code, true).await? {
            Some(two_factor::Factor::Totp) => {}
            Some(two_factor::Factor::RecoveryCode) => {
                let unused = db::users::unused_recovery_codes(&state.db, found.id).await?;
                let detail = format!("signed in with a recovery code; {unused} left");
                let used = audit::Entry {
                    detail: Some(&detail),
                    ..entry(audit::Event::RecoveryCodeUsed)
                };
                audit::record(&state.db, used).await?;
            }
            None => {
                tracing::info!("login failed: two-factor code");
                let failed = audit::Entry {
                    detail: Some("wrong two-factor code"),
                    ..entry(audit::Event::LoginFail)
                };
                audit::record(&state.db, failed).await?;
                return Err(AppError::InvalidCode);
            }
        }
    }
    tracing::info!(user_id = found.id, "login");
    audit::record(&state.db, entry(audit::Event::LoginSuccess)).await?;
    let cookie = start_session(&state, found.id, &headers).await?;
    let me = me_of(&found, state.config.admin_two_factor_required);
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Json(me)))
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Session ended"), (status = 401, body = shared::ErrorBody)))]
async fn logout(State(state): State<AppState>, who: AuthUser) -> AppResult<impl IntoResponse> {
    db::sessions::delete(&state.db, who.session_id).await?;
    // This browser's sockets belong to the session that just ended.
    let ended = who.session_id;
    state
        .hub
        .close_sessions(who.id, Sessions::Only(ended), "signed out");
    let cookie = token::clear_cookie(state.cookie_name, state.config.is_https());
    // A shared computer keeps nothing of the person who just left.
    let clear = HeaderValue::from_static("\"cache\", \"storage\"");
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (
                SET_COOKIE,
                HeaderValue::try_from(cookie).map_err(AppError::internal)?,
            ),
            (HeaderName::from_static("clear-site-data"), clear),
        ]),
    ))
}

#[utoipa::path(get, path = "/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401, body = shared::ErrorBody)))]
async fn me(who: AuthUser) -> Json<MeResponse> {
    Json(MeResponse {
        id: who.id,
        email: who.email,
        display_name: who.display_name,
        created_at: who.created_at,
        read_receipts: who.read_receipts,
        // On the team even while its powers wait for two-factor set-up.
        is_admin: who.is_admin || who.two_factor_setup_required,
        two_factor: who.two_factor,
        two_factor_required: who.two_factor_setup_required,
    })
}

#[utoipa::path(put, path = "/me/settings", tag = "auth", request_body = UpdateSettings,
    responses((status = 200, body = MeResponse), (status = 401, body = shared::ErrorBody)))]
async fn update_settings(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<UpdateSettings>,
) -> AppResult<Json<MeResponse>> {
    let updated = db::users::update_settings(&state.db, who.id, req.read_receipts).await?;
    Ok(Json(me_of(
        &updated,
        state.config.admin_two_factor_required,
    )))
}

/// What a suspended person reads when they try to sign in.
fn suspension_message(u: &user::Model) -> String {
    let until = match u.suspended_until {
        Some(until) => format!("until {}", until.format("%-d %B %Y, %H:%M UTC")),
        None => "until the programme team lifts it".to_owned(),
    };
    let why = u
        .suspension_reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| format!(" Reason: {r}"))
        .unwrap_or_default();
    format!(
        "Your account is suspended {until}.{why} If you think this is a mistake, contact the programme team."
    )
}
