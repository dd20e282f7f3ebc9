//! `GET /api/health`: the process is up and the database answers.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::error::{AppResult, Json};

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, body = Health), (status = 500, body = shared::ErrorBody)))]
async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    state.db.ping().await?;
    Ok(Json(Health { status: "ok" }))
}
