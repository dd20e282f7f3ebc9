//! One's own personal data: download all of it, or erase the account.
//! Neither route takes an id: each acts on the signed-in caller only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, SET_COOKIE};
use axum::response::{AppendHeaders, IntoResponse};
use shared::api::privacy::{EraseAccount, PersonalDataExport};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::client_ip::ClientIp;
use crate::auth::{AuthUser, token};
use crate::error::{AppResult, Json};
use crate::privacy;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(erase))
}

#[utoipa::path(get, path = "/me/export", tag = "privacy",
    responses(
        (status = 200, description = "Everything the platform holds about the caller, as the \
            download `my-data-YYYY-MM-DD.json`", body = PersonalDataExport,
            headers(("Content-Disposition" = String, description = "attachment; filename=\"my-data-YYYY-MM-DD.json\""))),
        (status = 401, body = shared::ErrorBody),
    ))]
async fn export(State(state): State<AppState>, who: AuthUser) -> AppResult<impl IntoResponse> {
    let data = privacy::export::export(&state, &who).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        privacy::export::file_name(data.exported_at)
    );
    Ok((
        AppendHeaders([(CONTENT_DISPOSITION, disposition)]),
        Json(data),
    ))
}

#[utoipa::path(delete, path = "/me", tag = "privacy", request_body = EraseAccount,
    responses(
        (status = 204, description = "Erased: the account is a tombstone named `Deleted account`, \
            its sessions and sockets are ended, its messages and posts are emptied \
            (the policy is in SECURITY.md)"),
        (status = 401, description = "invalid_credentials (a wrong password, counted as a failed \
            log-in), or not signed in", body = shared::ErrorBody),
        (status = 409, description = "conflict: the last member of the programme team cannot \
            erase themself", body = shared::ErrorBody),
        (status = 429, description = "rate_limited: too many failed log-ins lately", body = shared::ErrorBody),
    ))]
async fn erase(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: AuthUser,
    Json(req): Json<EraseAccount>,
) -> AppResult<impl IntoResponse> {
    privacy::erase::erase(&state, &who, &ip.to_string(), req.password).await?;
    let cookie = token::clear_cookie(state.cookie_name, state.config.is_https());
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, cookie)]),
    ))
}
