//! Finding people by name.

use axum::extract::State;
use shared::api::users::{ListUsers, ListUsersResponse, UserSummary};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::error::{AppError, AppResult, Json, Query};

const SEARCH_LIMIT: u64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users))
}

#[utoipa::path(get, path = "/users", tag = "users", params(ListUsers),
    responses(
        (status = 200, body = ListUsersResponse),
        (status = 401, body = shared::ErrorBody),
        (status = 422, description = "q shorter than two characters", body = shared::ErrorBody),
    ))]
async fn list_users(
    State(state): State<AppState>,
    who: AuthUser,
    Query(query): Query<ListUsers>,
) -> AppResult<Json<ListUsersResponse>> {
    let q = query.q.trim();
    if q.chars().count() < 2 {
        return Err(AppError::validation(
            "q",
            "Type at least two letters of a name.",
        ));
    }
    let users = db::users::search(&state.db, q, who.id, SEARCH_LIMIT)
        .await?
        .into_iter()
        .map(|u| UserSummary {
            id: u.id,
            display_name: u.display_name,
        })
        .collect();
    Ok(Json(ListUsersResponse { users }))
}
