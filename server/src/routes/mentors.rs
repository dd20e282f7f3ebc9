//! Mentors: applying and editing one's profile, the directory, approval.

use axum::extract::State;
use shared::api::mentors::{ListMentors, ListMentorsResponse, MentorView, SaveMentorProfile};
use shared::api::notifications::NotificationKind;
use shared::api::organisations::Decide;
use shared::taxonomy::ApprovalStatus;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::organisations::decision_reason;
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::mentor;
use crate::db::notifications::Subject;
use crate::domain::access;
use crate::domain::validate_programme as validate;
use crate::error::{AppError, AppResult, Json, Path, Query};
use crate::programme;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mentors))
        .routes(routes!(my_profile, save_my_profile))
        .routes(routes!(get_mentor))
        .routes(routes!(decide))
}

async fn view_of(state: &AppState, m: &mentor::Model) -> AppResult<Json<MentorView>> {
    let mut views = db::mentors::views(&state.db, std::slice::from_ref(m)).await?;
    views.pop().map(Json).ok_or(AppError::NotFound)
}

#[utoipa::path(get, path = "/mentors", tag = "mentors", params(ListMentors),
    responses((status = 200, body = ListMentorsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "A status other than approved, asked by someone not on the programme team", body = shared::ErrorBody)))]
async fn list_mentors(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListMentors>,
) -> AppResult<Json<ListMentorsResponse>> {
    let status = q.status.unwrap_or(ApprovalStatus::Approved);
    if status != ApprovalStatus::Approved {
        access::admin(&who)?;
    }
    let models = db::mentors::list(&state.db, &[status]).await?;
    let locality = q
        .locality
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let mentors = db::mentors::views(&state.db, &models)
        .await?
        .into_iter()
        .filter(|m| {
            let p = &m.profile;
            q.topic
                .is_none_or(|t| p.expertise.iter().any(|e| e.topic == t))
                && q.activity_type
                    .is_none_or(|a| p.activity_types.contains(&a))
                && locality.is_none_or(|l| {
                    p.remote
                        || (p.in_person && p.localities.iter().any(|x| x.eq_ignore_ascii_case(l)))
                })
        })
        .collect();
    Ok(Json(ListMentorsResponse { mentors }))
}

#[utoipa::path(get, path = "/mentors/me", tag = "mentors",
    responses((status = 200, body = MentorView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "Has not applied to mentor", body = shared::ErrorBody)))]
async fn my_profile(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<MentorView>> {
    let found = db::mentors::find(&state.db, who.id)
        .await?
        .ok_or(AppError::NotFound)?;
    view_of(&state, &found).await
}

#[utoipa::path(put, path = "/mentors/me", tag = "mentors", request_body = SaveMentorProfile,
    responses((status = 200, description = "Saved; a first save is an application", body = MentorView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn save_my_profile(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<SaveMentorProfile>,
) -> AppResult<Json<MentorView>> {
    let profile = validate::mentor_profile(&req)?;
    let before = db::mentors::find(&state.db, who.id).await?;
    let saved = db::mentors::save(&state.db, who.id, &profile).await?;
    let now_pending = db::mentors::status_of(&saved) == ApprovalStatus::Pending;
    let was_pending = before
        .as_ref()
        .is_some_and(|b| db::mentors::status_of(b) == ApprovalStatus::Pending);
    if now_pending && !was_pending {
        let admins = programme::admins(&state).await?;
        programme::notify(
            &state,
            &admins,
            NotificationKind::Decision,
            who.id,
            &who.display_name,
            Subject::Mentor(who.id),
            &format!("{} applied to mentor.", who.display_name),
        )
        .await?;
    }
    view_of(&state, &saved).await
}

#[utoipa::path(get, path = "/mentors/{user_id}", tag = "mentors",
    params(("user_id" = i64, Path, description = "The mentor's user id")),
    responses((status = 200, body = MentorView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "No such mentor, or an application that is not yours", body = shared::ErrorBody)))]
async fn get_mentor(
    State(state): State<AppState>,
    who: AuthUser,
    Path(user_id): Path<i64>,
) -> AppResult<Json<MentorView>> {
    let found = access::mentor(&state.db, &who, user_id).await?;
    view_of(&state, &found).await
}

#[utoipa::path(post, path = "/mentors/{user_id}/decision", tag = "mentors",
    params(("user_id" = i64, Path, description = "The applicant's user id")), request_body = Decide,
    responses((status = 200, body = MentorView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not on the programme team", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    who: AuthUser,
    Path(user_id): Path<i64>,
    Json(req): Json<Decide>,
) -> AppResult<Json<MentorView>> {
    let found = access::mentor(&state.db, &who, user_id).await?;
    access::admin(&who)?;
    let reason = decision_reason(&req)?;
    let decided = db::mentors::decide(&state.db, found, who.id, req.approve, reason).await?;
    let text = if req.approve {
        format!(
            "{} approved you as a mentor: organisations can now find you.",
            who.display_name
        )
    } else {
        format!("{} declined your application to mentor.", who.display_name)
    };
    programme::notify(
        &state,
        &[user_id],
        NotificationKind::Decision,
        who.id,
        &who.display_name,
        Subject::Mentor(user_id),
        &text,
    )
    .await?;
    view_of(&state, &decided).await
}
