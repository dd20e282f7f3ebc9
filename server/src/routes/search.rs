//! Full-text search over threads and the caller's rooms.

use axum::extract::State;
use shared::api::search::{SearchQuery, SearchResponse};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::error::{AppResult, Json, Query};
use crate::threads;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses(
        (status = 200, description = "Best first: posts of threads the caller may read and messages of the caller's rooms, never others", body = SearchResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 422, description = "No words to search for, an unknown topic, or dates the wrong way round", body = shared::ErrorBody),
    ))]
async fn search(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<SearchResponse>> {
    Ok(Json(threads::search::search(&state, &who, &q).await?))
}
