//! Safeguarding concerns: raise one, the lists of those raised and handled,
//! one concern with its history, its status and notes. Anyone who is not
//! its raiser, a handler or on the programme team finds nothing.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::concerns::{
    AddConcernNote, ConcernView, ListConcerns, ListConcernsResponse, RaiseConcern, SetConcernStatus,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::domain::access;
use crate::error::{AppResult, Json, Path, Query};
use crate::safeguarding;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_concerns, raise_concern))
        .routes(routes!(get_concern))
        .routes(routes!(set_concern_status))
        .routes(routes!(add_concern_note))
}

/// The concern as `who` reads it now (after a step: the history includes
/// it). Through `safeguarding::read`, so the programme team being shown a
/// copied message in an answer is audited as when they open it.
async fn reread(state: &AppState, who: &AuthUser, id: i64) -> AppResult<Json<ConcernView>> {
    let (c, role) = access::concern(&state.db, who, id).await?;
    Ok(Json(safeguarding::read(state, who, &c, role).await?))
}

#[utoipa::path(get, path = "/concerns", tag = "concerns", params(ListConcerns),
    responses((status = 200, description = "Concerns the caller handles and those they raised: open ones first (overdue, then by priority and age), closed ones last", body = ListConcernsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn list_concerns(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListConcerns>,
) -> AppResult<Json<ListConcernsResponse>> {
    Ok(Json(safeguarding::list(&state, &who, q.status).await?))
}

#[utoipa::path(post, path = "/concerns", tag = "concerns", request_body = RaiseConcern,
    responses((status = 201, description = "Raised: the organisation's safeguarding lead and the programme team are told at once", body = ConcernView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "A message or post the caller cannot read", body = shared::ErrorBody), (status = 422, description = "A text empty or too long, an organisation the caller is not staff of, or both a message and a post", body = shared::ErrorBody)))]
async fn raise_concern(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<RaiseConcern>,
) -> AppResult<(StatusCode, Json<ConcernView>)> {
    let created = safeguarding::raise(&state, &who, &req).await?;
    Ok((StatusCode::CREATED, reread(&state, &who, created.id).await?))
}

#[utoipa::path(get, path = "/concerns/{id}", tag = "concerns",
    params(("id" = i64, Path, description = "Concern id")),
    responses((status = 200, description = "The concern with its history, oldest first; the programme team's read of a copied message is audited", body = ConcernView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "No such concern, or not the caller's to read", body = shared::ErrorBody)))]
async fn get_concern(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ConcernView>> {
    let (c, role) = access::concern(&state.db, &who, id).await?;
    Ok(Json(safeguarding::read(&state, &who, &c, role).await?))
}

#[utoipa::path(post, path = "/concerns/{id}/status", tag = "concerns", request_body = SetConcernStatus,
    params(("id" = i64, Path, description = "Concern id")),
    responses((status = 200, body = ConcernView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "The raiser, who is not a handler", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Not a move from its current status", body = shared::ErrorBody), (status = 422, description = "A note is needed (actioned, closed) or too long", body = shared::ErrorBody)))]
async fn set_concern_status(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetConcernStatus>,
) -> AppResult<Json<ConcernView>> {
    let (c, _) = access::concern_handler(&state.db, &who, id).await?;
    safeguarding::set_status(&state, &who, &c, &req).await?;
    reread(&state, &who, id).await
}

#[utoipa::path(post, path = "/concerns/{id}/notes", tag = "concerns", request_body = AddConcernNote,
    params(("id" = i64, Path, description = "Concern id")),
    responses((status = 200, body = ConcernView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, description = "Empty or too long", body = shared::ErrorBody)))]
async fn add_concern_note(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<AddConcernNote>,
) -> AppResult<Json<ConcernView>> {
    let (c, _) = access::concern(&state.db, &who, id).await?;
    safeguarding::add_note(&state, &who, &c, &req).await?;
    reread(&state, &who, id).await
}
