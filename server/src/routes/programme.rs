//! The programme as a whole: the caller's roles, the whole-programme plan
//! and the dashboard.

use axum::extract::State;
use shared::api::programme::{Dashboard, MyOrganisation, MyProgramme, ProgrammePlan};
use shared::taxonomy::MentorshipStatus;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::access;
use crate::error::{AppResult, Json};
use crate::programme;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_programme))
        .routes(routes!(plan))
        .routes(routes!(dashboard))
}

#[utoipa::path(get, path = "/programme/me", tag = "programme",
    responses((status = 200, body = MyProgramme), (status = 401, body = shared::ErrorBody)))]
async fn my_programme(
    State(state): State<AppState>,
    who: AuthUser,
) -> AppResult<Json<MyProgramme>> {
    let orgs = db::organisations::of_user(&state.db, who.id).await?;
    let org_ids: Vec<i64> = orgs.iter().map(|(o, _)| o.id).collect();
    let mentor_status = db::mentors::find(&state.db, who.id)
        .await?
        .map(|m| db::mentors::status_of(&m));
    let mine = db::mentorships::list(&state.db, None, Some(&org_ids), Some(who.id)).await?;
    let items = access::roles_in_each(&who, &orgs, mine);
    let mut mentorships = programme::mentorships::views(&state, &items).await?;
    // Open ones first, then newest.
    mentorships.sort_by_key(|m| {
        (
            !m.status.is_open(),
            m.status == MentorshipStatus::Completed,
            std::cmp::Reverse(m.id),
        )
    });
    Ok(Json(MyProgramme {
        is_admin: who.is_admin,
        mentor_status,
        organisations: orgs
            .into_iter()
            .map(|(o, is_lead)| MyOrganisation {
                id: o.id,
                status: db::organisations::status_of(&o),
                name: o.name,
                is_lead,
            })
            .collect(),
        mentorships,
    }))
}

#[utoipa::path(get, path = "/programme/plan", tag = "matching",
    responses((status = 200, description = "A suggested mentor for every waiting organisation; nothing is sent", body = ProgrammePlan), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody)))]
async fn plan(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<ProgrammePlan>> {
    access::admin(&who)?;
    Ok(Json(programme::matching::plan(&state).await?))
}

#[utoipa::path(get, path = "/programme/dashboard", tag = "programme",
    responses((status = 200, body = Dashboard), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody)))]
async fn dashboard(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<Dashboard>> {
    access::admin(&who)?;
    Ok(Json(programme::dashboard::build(&state).await?))
}
