//! Register, log in, log out, who am I.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use chrono::Duration;
use shared::api::auth::{Login, MeResponse, Register, UpdateSettings};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::client_ip::ClientIp;
use crate::auth::{AuthUser, password, throttle, token};
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

fn me_of(u: &user::Model) -> MeResponse {
    MeResponse {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        created_at: u.created_at,
        read_receipts: u.read_receipts,
        is_admin: u.is_admin,
    }
}

/// Start a session for `user_id` and return its `Set-Cookie` value.
async fn start_session(state: &AppState, user_id: i64) -> AppResult<String> {
    let raw = token::generate()?;
    let absolute = Duration::days(state.config.session_absolute_days);
    db::sessions::create(&state.db, user_id, token::hash(&raw), absolute).await?;
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
    let cookie = start_session(&state, created.id).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([(SET_COOKIE, cookie)]),
        Json(me_of(&created)),
    ))
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = Login,
    responses(
        (status = 200, description = "Signed in", body = MeResponse),
        (status = 401, description = "invalid_credentials", body = shared::ErrorBody),
        (status = 429, description = "rate_limited: 5 failures per account in 15 minutes, or 20 per address in a minute", body = shared::ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
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
    tracing::info!(user_id = found.id, "login");
    audit::record(&state.db, entry(audit::Event::LoginSuccess)).await?;
    let cookie = start_session(&state, found.id).await?;
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Json(me_of(&found))))
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Session ended"), (status = 401, body = shared::ErrorBody)))]
async fn logout(State(state): State<AppState>, who: AuthUser) -> AppResult<impl IntoResponse> {
    db::sessions::delete(&state.db, who.session_id).await?;
    let cookie = token::clear_cookie(state.cookie_name, state.config.is_https());
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, cookie)]),
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
        is_admin: who.is_admin,
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
    Ok(Json(me_of(&updated)))
}
