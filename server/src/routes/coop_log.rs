//! A co-op's decisions and actions, its events, and the calendar: a
//! download for one co-op (session cookie) and a private feed address for
//! calendar apps (no cookie: the address is the secret).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use shared::api::coops::{
    CalendarFeed, CreateRecord, EventView, EventsResponse, RecordView, RecordsResponse, SaveEvent,
    UpdateRecord,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::{AuthUser, token};
use crate::coops::{ics, log, views};
use crate::db;
use crate::domain::access::{self, CoopAccess};
use crate::error::{AppError, AppResult, Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_records, create_record))
        .routes(routes!(update_record, delete_record))
        .routes(routes!(list_events, create_event))
        .routes(routes!(update_event, delete_event))
        .routes(routes!(coop_calendar))
        .routes(routes!(new_feed))
        .routes(routes!(feed))
}

async fn one_record(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    id: i64,
) -> AppResult<Json<RecordView>> {
    let row = db::coop_log::find_record(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = views::records(&state.db, who, access, vec![row]).await?;
    out.pop().map(Json).ok_or(AppError::NotFound)
}

#[utoipa::path(get, path = "/coops/{id}/records", tag = "coops",
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, description = "Open actions by due date, closed actions, decisions", body = RecordsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not one of the co-op's people", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn list_records(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<RecordsResponse>> {
    let access = access::coop_member(&state.db, &who, id).await?;
    let rows = db::coop_log::records_of(&state.db, id).await?;
    let all = views::records(&state.db, &who, &access, rows).await?;
    Ok(Json(views::split(all)))
}

#[utoipa::path(post, path = "/coops/{id}/records", tag = "coops", request_body = CreateRecord,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 201, body = RecordView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, description = "No such co-op, or a message the caller cannot read", body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_record(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateRecord>,
) -> AppResult<(StatusCode, Json<RecordView>)> {
    let access = access::coop_member(&state.db, &who, id).await?;
    let created = log::create_record(&state, &who, &access, &req).await?;
    Ok((
        StatusCode::CREATED,
        one_record(&state, &who, &access, created.id).await?,
    ))
}

#[utoipa::path(put, path = "/coop-records/{id}", tag = "coops", request_body = UpdateRecord,
    params(("id" = i64, Path, description = "Decision or action id")),
    responses((status = 200, body = RecordView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_record(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<UpdateRecord>,
) -> AppResult<Json<RecordView>> {
    let (row, access) = access::coop_record(&state.db, &who, id).await?;
    log::update_record(&state, &who, &access, &row, &req).await?;
    one_record(&state, &who, &access, id).await
}

#[utoipa::path(delete, path = "/coop-records/{id}", tag = "coops",
    params(("id" = i64, Path, description = "Decision or action id")),
    responses((status = 204, description = "Deleted"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not its author or a coordinator", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn delete_record(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let (row, access) = access::coop_record(&state.db, &who, id).await?;
    log::delete_record(&state, &who, &access, &row).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/coops/{id}/events", tag = "coops",
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, description = "Events not yet over, soonest first", body = EventsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<EventsResponse>> {
    let access = access::coop_member(&state.db, &who, id).await?;
    // Today's events stay on the list all day.
    let from = Utc::now() - Duration::days(1);
    let rows = db::coop_log::events_of(&state.db, &[id], from).await?;
    let now = Utc::now();
    let rows = rows
        .into_iter()
        .filter(|e| {
            let end = e.ends_at.unwrap_or(e.starts_at);
            let end = if e.all_day {
                end + Duration::days(1)
            } else {
                end
            };
            end >= now
        })
        .collect();
    Ok(Json(EventsResponse {
        events: views::events(&state.db, &who, &access, rows).await?,
    }))
}

async fn one_event(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    id: i64,
) -> AppResult<Json<EventView>> {
    let row = db::coop_log::find_event(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = views::events(&state.db, who, access, vec![row]).await?;
    out.pop().map(Json).ok_or(AppError::NotFound)
}

#[utoipa::path(post, path = "/coops/{id}/events", tag = "coops", request_body = SaveEvent,
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 201, body = EventView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_event(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SaveEvent>,
) -> AppResult<(StatusCode, Json<EventView>)> {
    let access = access::coop_member(&state.db, &who, id).await?;
    let created = log::create_event(&state, &who, &access, &req).await?;
    Ok((
        StatusCode::CREATED,
        one_event(&state, &who, &access, created.id).await?,
    ))
}

#[utoipa::path(put, path = "/coop-events/{id}", tag = "coops", request_body = SaveEvent,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_event(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SaveEvent>,
) -> AppResult<Json<EventView>> {
    let (row, access) = access::coop_event(&state.db, &who, id).await?;
    log::update_event(&state, &who, &access, &row, &req).await?;
    one_event(&state, &who, &access, id).await
}

#[utoipa::path(delete, path = "/coop-events/{id}", tag = "coops",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 204, description = "Deleted"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn delete_event(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let (row, access) = access::coop_event(&state.db, &who, id).await?;
    log::delete_event(&state, &who, &access, &row).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn calendar_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Events of `coops` from `ics::PAST_DAYS` ago on, as a calendar.
async fn calendar_of(state: &AppState, title: &str, coops: &[i64]) -> AppResult<String> {
    let from = Utc::now() - Duration::days(ics::PAST_DAYS);
    let events = db::coop_log::events_of(&state.db, coops, from).await?;
    let names: std::collections::HashMap<i64, String> = db::coops::list(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(ics::calendar(title, &events, |id| {
        names.get(&id).cloned().unwrap_or_default()
    }))
}

#[utoipa::path(get, path = "/coops/{id}/calendar.ics", tag = "coops",
    params(("id" = i64, Path, description = "Co-op id")),
    responses((status = 200, description = "The co-op's events as iCalendar", content_type = "text/calendar"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn coop_calendar(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let access = access::coop_member(&state.db, &who, id).await?;
    let body = calendar_of(&state, &access.coop.name, &[id]).await?;
    Ok(calendar_response(body, &format!("coop-{id}.ics")))
}

#[utoipa::path(post, path = "/calendar/feed", tag = "coops",
    responses((status = 200, description = "A new private feed address; the previous one stops working", body = CalendarFeed), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn new_feed(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<CalendarFeed>> {
    let secret = token::generate()?;
    db::coop_log::set_calendar_token(&state.db, who.id, &token::hash(&secret)).await?;
    Ok(Json(CalendarFeed {
        path: format!("/api/calendar/{secret}.ics"),
    }))
}

#[utoipa::path(get, path = "/calendar/{file}", tag = "coops",
    params(("file" = String, Path, description = "The private feed address: `{token}.ics`")),
    responses((status = 200, description = "Events of every co-op the address's owner belongs to now", content_type = "text/calendar"), (status = 404, description = "Unknown or replaced address", body = shared::ErrorBody)))]
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let secret = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let owner = db::coop_log::calendar_owner(&state.db, &token::hash(secret))
        .await?
        .ok_or(AppError::NotFound)?;
    // Membership is read now: a co-op left since then is no longer in it.
    let coops = db::coops::coops_of_user(&state.db, owner).await?.member_of;
    let body = calendar_of(&state, "Co-operative events", &coops).await?;
    Ok(calendar_response(body, "coops.ics"))
}
