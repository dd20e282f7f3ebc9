//! Reports (any signed-in person) and moderation (the programme team): the
//! queue, hiding and restoring messages and posts, warnings, suspensions.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::moderation::{
    CreateReport, ListReports, ListReportsResponse, ModerationReason, ModerationUserView,
    ReportCreated, ReportStatus, ReportView, SuspendUser,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::domain::access;
use crate::error::{AppResult, Json, Path, Query};
use crate::moderation;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_report))
        .routes(routes!(list_reports))
        .routes(routes!(get_report))
        .routes(routes!(dismiss_report))
        .routes(routes!(hide_message))
        .routes(routes!(restore_message))
        .routes(routes!(hide_post))
        .routes(routes!(restore_post))
        .routes(routes!(get_user))
        .routes(routes!(warn_user))
        .routes(routes!(suspend_user))
        .routes(routes!(unsuspend_user))
}

#[utoipa::path(post, path = "/reports", tag = "moderation", request_body = CreateReport,
    responses(
        (status = 201, description = "Reported: the moderators are told", body = ReportCreated),
        (status = 200, description = "The caller's open report on this content already exists: its id", body = ReportCreated),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such message or post, deleted, or not the caller's to read", body = shared::ErrorBody),
        (status = 422, description = "Not exactly one of message_id and post_id, one's own content, or details too long", body = shared::ErrorBody),
    ))]
async fn create_report(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<CreateReport>,
) -> AppResult<(StatusCode, Json<ReportCreated>)> {
    let reported = moderation::report(&state, &who, &req).await?;
    let status = if reported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ReportCreated { id: reported.id })))
}

#[utoipa::path(get, path = "/moderation/reports", tag = "moderation", params(ListReports),
    responses(
        (status = 200, description = "Open reports oldest first, or resolved ones newest first (at most 200), with the open count", body = ListReportsResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
    ))]
async fn list_reports(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListReports>,
) -> AppResult<Json<ListReportsResponse>> {
    access::moderator(&who)?;
    let status = q.status.unwrap_or(ReportStatus::Open);
    Ok(Json(moderation::list(&state, &who, status).await?))
}

#[utoipa::path(get, path = "/moderation/reports/{id}", tag = "moderation",
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report with its copy of the content (the reading is audited)", body = ReportView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn get_report(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ReportView>> {
    let found = access::moderated_report(&state.db, &who, id).await?;
    Ok(Json(moderation::one(&state, &who, found).await?))
}

#[utoipa::path(post, path = "/moderation/reports/{id}/dismiss", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "Dismissed: the content stays as it is", body = ReportView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Already resolved", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn dismiss_report(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<Json<ReportView>> {
    let found = access::moderated_report(&state.db, &who, id).await?;
    Ok(Json(moderation::dismiss(&state, &who, found, &req).await?))
}

#[utoipa::path(post, path = "/moderation/messages/{id}/hide", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Hidden: the room sees a tombstone, the author is told why"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, description = "No such message, or nobody has reported it", body = shared::ErrorBody),
        (status = 409, description = "Already hidden", body = shared::ErrorBody),
        (status = 422, description = "No reason, a reason too long, or a report about something else", body = shared::ErrorBody),
    ))]
async fn hide_message(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let found = access::moderated_message(&state.db, &who, id).await?;
    moderation::set_message_hidden(&state, &who, found, &req, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/moderation/messages/{id}/restore", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Restored: the room sees the message again"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, description = "No such message, or nobody has reported it", body = shared::ErrorBody),
        (status = 409, description = "Not hidden", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn restore_message(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let found = access::moderated_message(&state.db, &who, id).await?;
    moderation::set_message_hidden(&state, &who, found, &req, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/moderation/posts/{id}/hide", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "Post id")),
    responses(
        (status = 204, description = "Hidden: readers see a tombstone, the author is told why, search no longer finds it"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, description = "No such post, or one of a thread the moderator cannot read that nobody reported", body = shared::ErrorBody),
        (status = 409, description = "Already hidden", body = shared::ErrorBody),
        (status = 422, description = "No reason, a reason too long, or a report about something else", body = shared::ErrorBody),
    ))]
async fn hide_post(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let (p, t) = access::moderated_post(&state.db, &who, id).await?;
    moderation::set_post_hidden(&state, &who, p, &t, &req, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/moderation/posts/{id}/restore", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "Post id")),
    responses(
        (status = 204, description = "Restored: readers see the post again"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Not hidden", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn restore_post(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let (p, t) = access::moderated_post(&state.db, &who, id).await?;
    moderation::set_post_hidden(&state, &who, p, &t, &req, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/moderation/users/{id}", tag = "moderation",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The person's standing and moderation history, newest first", body = ModerationUserView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn get_user(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ModerationUserView>> {
    let found = access::moderated_user(&state.db, &who, id).await?;
    Ok(Json(moderation::user_view(&state, found).await?))
}

#[utoipa::path(post, path = "/moderation/users/{id}/warn", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Warned: the person is notified with the reason"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Warning oneself", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn warn_user(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let found = access::moderated_user(&state.db, &who, id).await?;
    moderation::warn(&state, &who, &found, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/moderation/users/{id}/suspend", tag = "moderation", request_body = SuspendUser,
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Suspended: signed out everywhere at once, sign-in refused until it ends"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Oneself, or a member of the programme team", body = shared::ErrorBody),
        (status = 422, description = "No reason, or days out of range", body = shared::ErrorBody),
    ))]
async fn suspend_user(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SuspendUser>,
) -> AppResult<StatusCode> {
    let found = access::suspendable(&state.db, &who, id).await?;
    moderation::suspend(&state, &who, &found, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/moderation/users/{id}/unsuspend", tag = "moderation", request_body = ModerationReason,
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "The suspension is lifted: the person may sign in again"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Not suspended", body = shared::ErrorBody),
        (status = 422, body = shared::ErrorBody),
    ))]
async fn unsuspend_user(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<ModerationReason>,
) -> AppResult<StatusCode> {
    let found = access::moderated_user(&state.db, &who, id).await?;
    moderation::unsuspend(&state, &who, &found, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}
