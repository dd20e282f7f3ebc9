//! The network picture: organisations, mentors and co-ops, and who links whom.

use axum::extract::State;
use shared::api::network::{NetworkQuery, NetworkResponse};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::coops::network;
use crate::error::{AppResult, Json, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_network))
}

#[utoipa::path(get, path = "/network", tag = "coops", params(NetworkQuery),
    responses((status = 200, description = "Nodes and links the caller may see: mentorships only to the programme team and the people in them", body = NetworkResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn get_network(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<NetworkQuery>,
) -> AppResult<Json<NetworkResponse>> {
    Ok(Json(network::picture(&state.db, &who, &q).await?))
}
