//! Co-operatives: the directory, a co-op's home, its details and
//! coordinators, asking to join, invitations and decisions on them, leaving,
//! and its rooms.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::coops::{
    AddCoordinator, CoopCard, CoopRequestView, CoopRequestsResponse, CoopRoom, CoopView,
    CreateCoopRequest, CreateCoopRoom, DecideCoopRequest, LeaveCoop, ListCoops, ListCoopsResponse,
    SaveCoop, UpdateCoopRoom,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::coops::{self, membership, views};
use crate::db;
use crate::domain::access::{self, CoopAccess};
use crate::domain::validate_coops as validate;
use crate::error::{AppResult, Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_coops, create_coop))
        .routes(routes!(get_coop, update_coop))
        .routes(routes!(add_coordinator))
        .routes(routes!(remove_coordinator))
        .routes(routes!(request_to_join))
        .routes(routes!(invite))
        .routes(routes!(waiting_requests))
        .routes(routes!(decide_request))
        .routes(routes!(withdraw_request))
        .routes(routes!(leave))
        .routes(routes!(create_room))
        .routes(routes!(update_room))
}

async fn home(state: &AppState, who: &AuthUser, coop_id: i64) -> AppResult<Json<CoopView>> {
    let access = access::coop(&state.db, who, coop_id).await?;
    Ok(Json(views::coop_view(&state.db, who, &access).await?))
}

#[utoipa::path(get, path = "/coops", tag = "coops", params(ListCoops),
    responses((status = 200, description = "Every co-op, by name, with the caller's place in each", body = ListCoopsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn list_coops(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListCoops>,
) -> AppResult<Json<ListCoopsResponse>> {
    let mine = db::coops::coops_of_user(&state.db, who.id).await?;
    let counts = db::coops::member_counts(&state.db).await?;
    let locality = q
        .locality
        .as_deref()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty());
    let coops = db::coops::list(&state.db)
        .await?
        .into_iter()
        .filter(|c| {
            locality
                .as_deref()
                .is_none_or(|l| c.locality.to_lowercase().contains(l))
        })
        .map(|c| CoopCard {
            member_count: counts.get(&c.id).copied().unwrap_or(0),
            is_member: mine.member_of.contains(&c.id),
            is_coordinator: mine.coordinates.contains(&c.id),
            id: c.id,
            name: c.name,
            locality: c.locality,
            purpose: c.purpose,
        })
        .collect();
    Ok(Json(ListCoopsResponse { coops }))
}

#[utoipa::path(post, path = "/coops", tag = "coops", request_body = SaveCoop,
    responses((status = 201, description = "Created with its first coordinators", body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not on the programme team", body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_coop(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<SaveCoop>,
) -> AppResult<(StatusCode, Json<CoopView>)> {
    access::admin(&who)?;
    let save = validate::coop(&req, true)?;
    let created = membership::create(&state, &who, &save).await?;
    Ok((StatusCode::CREATED, home(&state, &who, created.id).await?))
}

#[utoipa::path(get, path = "/coops/{id}", tag = "coops",
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, description = "The co-op home; rooms only for its people", body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn get_coop(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<CoopView>> {
    home(&state, &who, id).await
}

#[utoipa::path(put, path = "/coops/{id}", tag = "coops", request_body = SaveCoop,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not a coordinator or on the programme team", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_coop(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SaveCoop>,
) -> AppResult<Json<CoopView>> {
    let access = access::coop_coordinator(&state.db, &who, id).await?;
    let save = validate::coop(&req, false)?;
    membership::edit(&state, &who, &access, &save).await?;
    home(&state, &who, id).await
}

#[utoipa::path(post, path = "/coops/{id}/coordinators", tag = "coops", request_body = AddCoordinator,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Already at the most coordinators", body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn add_coordinator(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<AddCoordinator>,
) -> AppResult<Json<CoopView>> {
    let access = access::coop_coordinator(&state.db, &who, id).await?;
    membership::add_coordinator(&state, &who, &access, req.user_id).await?;
    home(&state, &who, id).await
}

#[utoipa::path(delete, path = "/coops/{id}/coordinators/{user_id}", tag = "coops",
    params(("id" = i64, Path, description = "Co-op id"), ("user_id" = i64, Path, description = "The coordinator")),
    responses((status = 200, body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "The last coordinator", body = shared::ErrorBody)))]
async fn remove_coordinator(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, user_id)): Path<(i64, i64)>,
) -> AppResult<Json<CoopView>> {
    let access = access::coop_coordinator(&state.db, &who, id).await?;
    membership::remove_coordinator(&state, &who, &access, user_id).await?;
    home(&state, &who, id).await
}

async fn request_view(
    state: &AppState,
    who: &AuthUser,
    request_id: i64,
) -> AppResult<Json<CoopRequestView>> {
    let ra = access::coop_request(&state.db, who, request_id).await?;
    Ok(Json(
        views::one_request(
            &state.db,
            &ra.request,
            &ra.coop.name,
            (ra.may_decide, ra.may_withdraw),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/coops/{id}/requests", tag = "coops", request_body = CreateCoopRequest,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 201, description = "Asked; the coordinators are told", body = CoopRequestView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not a lead of that organisation", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Already a member, not approved, or already asked or invited", body = shared::ErrorBody), (status = 422, description = "validation: the message is too long", body = shared::ErrorBody)))]
async fn request_to_join(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateCoopRequest>,
) -> AppResult<(StatusCode, Json<CoopRequestView>)> {
    let access = access::coop(&state.db, &who, id).await?;
    let note = validate::note(&req.message)?;
    let created = membership::request(&state, &who, &access, req.organisation_id, &note).await?;
    Ok((
        StatusCode::CREATED,
        request_view(&state, &who, created.id).await?,
    ))
}

#[utoipa::path(post, path = "/coops/{id}/invites", tag = "coops", request_body = CreateCoopRequest,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 201, description = "Invited; the organisation's leads are told", body = CoopRequestView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not a coordinator", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, body = shared::ErrorBody), (status = 422, description = "Not an approved organisation", body = shared::ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateCoopRequest>,
) -> AppResult<(StatusCode, Json<CoopRequestView>)> {
    let access = coordinator_only(&state, &who, id).await?;
    let note = validate::note(&req.message)?;
    let created = membership::invite(&state, &who, &access, req.organisation_id, &note).await?;
    Ok((
        StatusCode::CREATED,
        request_view(&state, &who, created.id).await?,
    ))
}

/// Coordinators, not the programme team: inviting is the co-op's own choice.
async fn coordinator_only(state: &AppState, who: &AuthUser, id: i64) -> AppResult<CoopAccess> {
    let access = access::coop(&state.db, who, id).await?;
    if access.role.coordinator {
        Ok(access)
    } else {
        Err(crate::error::AppError::forbidden(
            "Only the co-operative's coordinators can invite organisations.",
        ))
    }
}

#[utoipa::path(get, path = "/coop-requests", tag = "coops",
    responses((status = 200, description = "Pending requests and invitations the caller may decide or withdraw", body = CoopRequestsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn waiting_requests(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<CoopRequestsResponse>> {
    let coordinates = db::coops::coops_of_user(&state.db, who.id)
        .await?
        .coordinates;
    let leads: Vec<i64> = db::organisations::of_user(&state.db, who.id)
        .await?
        .into_iter()
        .filter(|(_, lead)| *lead)
        .map(|(o, _)| o.id)
        .collect();
    let requests = views::pending_requests(&state.db, &who, &coordinates, &leads)
        .await?
        .into_iter()
        .filter(|r| r.may_decide || r.may_withdraw)
        .collect();
    Ok(Json(CoopRequestsResponse { requests }))
}

#[utoipa::path(post, path = "/coop-requests/{id}/decide", tag = "coops", request_body = DecideCoopRequest,
    params(("id" = i64, Path, description = "Request or invitation id")),
    responses((status = 200, body = CoopRequestView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not the deciding side", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Already settled", body = shared::ErrorBody), (status = 422, description = "Declining without a reason", body = shared::ErrorBody)))]
async fn decide_request(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<DecideCoopRequest>,
) -> AppResult<Json<CoopRequestView>> {
    let ra = access::coop_request(&state.db, &who, id).await?;
    membership::decide(&state, &who, &ra, req.accept, req.reason.as_deref()).await?;
    request_view(&state, &who, id).await
}

#[utoipa::path(post, path = "/coop-requests/{id}/withdraw", tag = "coops",
    params(("id" = i64, Path, description = "Request or invitation id")),
    responses((status = 200, body = CoopRequestView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, body = shared::ErrorBody)))]
async fn withdraw_request(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<CoopRequestView>> {
    let ra = access::coop_request(&state.db, &who, id).await?;
    membership::withdraw(&state, &who, &ra).await?;
    request_view(&state, &who, id).await
}

#[utoipa::path(delete, path = "/coops/{id}/members/{org_id}", tag = "coops", request_body = LeaveCoop,
    params(("id" = i64, Path, description = "Co-op id"), ("org_id" = i64, Path, description = "Member organisation")),
    responses((status = 200, description = "Out, and its staff out of the rooms at once", body = CoopView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, description = "A coordinator removing without a reason", body = shared::ErrorBody)))]
async fn leave(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(req): Json<LeaveCoop>,
) -> AppResult<Json<CoopView>> {
    let access = access::coop(&state.db, &who, id).await?;
    let reason = validate::reason(req.reason.as_deref(), false)?;
    membership::leave(&state, &who, &access, org_id, reason.as_deref()).await?;
    home(&state, &who, id).await
}

#[utoipa::path(post, path = "/coops/{id}/rooms", tag = "coops", request_body = CreateCoopRoom,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 201, description = "Created with all the co-op's people in it", body = CoopRoom), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_room(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateCoopRoom>,
) -> AppResult<(StatusCode, Json<CoopRoom>)> {
    let access = access::coop(&state.db, &who, id).await?;
    if !access.role.coordinator {
        return Err(crate::error::AppError::forbidden(
            "Only the co-operative's coordinators can add rooms.",
        ));
    }
    let title = validate::room_title(&req.title)?;
    let created = coops::rooms::create(&state, &who, id, &title).await?;
    Ok((
        StatusCode::CREATED,
        Json(views::room_view(&state.db, created.id, who.id).await?),
    ))
}

#[utoipa::path(put, path = "/coops/{id}/rooms/{room_id}", tag = "coops", request_body = UpdateCoopRoom,
    params(("id" = i64, Path, description = "Co-op id"), ("room_id" = i64, Path, description = "One of its rooms")),
    responses((status = 200, body = CoopRoom), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_room(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, room_id)): Path<(i64, i64)>,
    Json(req): Json<UpdateCoopRoom>,
) -> AppResult<Json<CoopRoom>> {
    let (_, room) = access::coop_room(&state.db, &who, id, room_id).await?;
    let title = req.title.as_deref().map(validate::room_title).transpose()?;
    coops::rooms::update(&state, &who, &room, title.as_deref(), req.archived).await?;
    Ok(Json(views::room_view(&state.db, room_id, who.id).await?))
}
