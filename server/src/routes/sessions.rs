//! Where one is signed in: list one's sessions, end one, or end all but
//! this one. Ending a session closes its sockets at once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::api::auth::{ListSessionsResponse, SessionView, SignedOut};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::{AuthUser, device};
use crate::cluster::Sessions;
use crate::db;
use crate::db::audit::{self, Entry, Event};
use crate::domain::access;
use crate::error::{AppResult, Json};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(sign_out_others))
}

#[utoipa::path(get, path = "/me/sessions", tag = "auth",
    responses((status = 200, body = ListSessionsResponse), (status = 401, body = shared::ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<ListSessionsResponse>> {
    let sessions = db::sessions::list_for(&state.db, who.id)
        .await?
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: Some(device::describe(s.user_agent.as_deref())),
            current: s.id == who.session_id,
        })
        .collect();
    Ok(Json(ListSessionsResponse { sessions }))
}

#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "auth",
    params(("id" = i64, Path, description = "One of the caller's sessions")),
    responses(
        (status = 204, description = "That session ended; its sockets are closed"),
        (status = 401, body = shared::ErrorBody),
        (status = 404, description = "Not one of the caller's sessions", body = shared::ErrorBody),
    ))]
async fn end_session(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let session = access::own_session(&state.db, &who, id).await?;
    db::sessions::delete(&state.db, session.id).await?;
    state
        .hub
        .close_sessions(who.id, Sessions::Only(session.id), "signed out");
    let detail = format!("session {} ended by its owner", session.id);
    audit::record(
        &state.db,
        Entry::by(Event::TokenRevoked, who.id, Some(who.id), &detail),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/me/sessions/sign-out-others", tag = "auth",
    responses(
        (status = 200, description = "Every other session ended", body = SignedOut),
        (status = 401, body = shared::ErrorBody),
    ))]
async fn sign_out_others(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<SignedOut>> {
    let ended = db::sessions::delete_all_for(&state.db, who.id, Some(who.session_id)).await?;
    let keep = who.session_id;
    state
        .hub
        .close_sessions(who.id, Sessions::AllBut(keep), "signed out elsewhere");
    let detail = format!("{ended} other sessions ended by their owner");
    audit::record(
        &state.db,
        Entry::by(Event::TokenRevoked, who.id, Some(who.id), &detail),
    )
    .await?;
    Ok(Json(SignedOut { ended }))
}
