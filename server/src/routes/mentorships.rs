//! Mentorships: proposing and requesting, lifecycle steps, reflections,
//! goals, session notes and nudges.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use shared::api::mentorships::{
    CreateGoal, CreateMentorship, CreateSessionNote, GoalView, ListGoalsResponse, ListMentorships,
    ListMentorshipsResponse, ListSessionNotesResponse, MentorshipView, SaveReflection,
    SessionNoteView, Transition, UpdateGoal,
};
use shared::api::notifications::NotificationKind;
use shared::api::users::UserSummary;
use shared::limits::{GOAL_TITLE_MAX_CHARS, NOTE_MAX_CHARS, REASON_MAX_CHARS};
use shared::taxonomy::{ApprovalStatus, GoalStatus, MentorshipStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{mentorship_goal, session_note};
use crate::db::notifications::Subject;
use crate::domain::access;
use crate::domain::validate_programme::text;
use crate::error::{AppError, AppResult, Json, Path, Query};
use crate::programme;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mentorships, create_mentorship))
        .routes(routes!(get_mentorship))
        .routes(routes!(transition))
        .routes(routes!(save_reflection))
        .routes(routes!(list_goals, create_goal))
        .routes(routes!(update_goal))
        .routes(routes!(list_notes, create_note))
        .routes(routes!(nudge))
}

#[utoipa::path(get, path = "/mentorships", tag = "mentorships", params(ListMentorships),
    responses((status = 200, description = "The caller's own (as mentor or staff); the programme team sees all", body = ListMentorshipsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn list_mentorships(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListMentorships>,
) -> AppResult<Json<ListMentorshipsResponse>> {
    let statuses = q.status.map(|s| vec![s]);
    let mine = db::organisations::of_user(&state.db, who.id).await?;
    let orgs_of_mine: Vec<i64> = mine.iter().map(|(o, _)| o.id).collect();
    let found = if who.is_admin {
        db::mentorships::list(&state.db, statuses.as_deref(), None, None).await?
    } else {
        db::mentorships::list(
            &state.db,
            statuses.as_deref(),
            Some(&orgs_of_mine),
            Some(who.id),
        )
        .await?
    };
    let found = found
        .into_iter()
        .filter(|m| q.organisation_id.is_none_or(|o| o == m.organisation_id))
        .collect();
    let items = access::roles_in_each(&who, &mine, found);
    let mentorships = programme::mentorships::views(&state, &items).await?;
    Ok(Json(ListMentorshipsResponse { mentorships }))
}

#[utoipa::path(post, path = "/mentorships", tag = "mentorships", request_body = CreateMentorship,
    responses(
        (status = 201, description = "Proposed (by the programme team) or requested (by a lead)", body = MentorshipView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Neither on the programme team nor a lead of the organisation", body = shared::ErrorBody),
        (status = 404, description = "No such organisation or approved mentor", body = shared::ErrorBody),
        (status = 409, description = "Already under way, or the mentor has no place left", body = shared::ErrorBody),
        (status = 422, description = "validation: the note is too long", body = shared::ErrorBody),
    ))]
async fn create_mentorship(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<CreateMentorship>,
) -> AppResult<(StatusCode, Json<MentorshipView>)> {
    let org = access::organisation(&state.db, &who, req.organisation_id).await?;
    let status = if who.is_admin {
        MentorshipStatus::Proposed
    } else if org.role.is_lead {
        MentorshipStatus::Requested
    } else {
        return Err(AppError::forbidden(
            "Only a lead of the organisation or the programme team can ask for a mentor.",
        ));
    };
    if db::organisations::status_of(&org.org) != ApprovalStatus::Approved {
        return Err(AppError::conflict(
            "The organisation needs the programme team's approval before it is matched.",
        ));
    }
    let mentor = db::mentors::find(&state.db, req.mentor_id)
        .await?
        .filter(|m| db::mentors::status_of(m) == ApprovalStatus::Approved)
        .ok_or(AppError::NotFound)?;
    let note = match req.note.as_deref() {
        Some(n) => {
            Some(text("note", "the note", n, REASON_MAX_CHARS, false)?).filter(|n| !n.is_empty())
        }
        None => None,
    };
    let created =
        programme::mentorships::create(&state, &who, &org.org, mentor.user_id, status, note)
            .await?;
    let access = access::mentorship(&state.db, &who, created.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(programme::mentorships::view(&state, &access).await?),
    ))
}

#[utoipa::path(get, path = "/mentorships/{id}", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses((status = 200, body = MentorshipView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "No such mentorship, or not yours", body = shared::ErrorBody)))]
async fn get_mentorship(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<MentorshipView>> {
    let access = access::mentorship(&state.db, &who, id).await?;
    Ok(Json(programme::mentorships::view(&state, &access).await?))
}

#[utoipa::path(post, path = "/mentorships/{id}/transition", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")), request_body = Transition,
    responses(
        (status = 200, body = MentorshipView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "The step is someone else's", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "Not possible from the current status", body = shared::ErrorBody),
        (status = 422, description = "A reason is required", body = shared::ErrorBody),
    ))]
async fn transition(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<Transition>,
) -> AppResult<Json<MentorshipView>> {
    let access = access::mentorship(&state.db, &who, id).await?;
    let reason = match req.reason.as_deref() {
        Some(r) => Some(text("reason", "the reason", r, REASON_MAX_CHARS, false)?)
            .filter(|r| !r.is_empty()),
        None => None,
    };
    programme::mentorships::step(&state, &who, &access, req.action, reason).await?;
    Ok(Json(programme::mentorships::view(&state, &access).await?))
}

#[utoipa::path(put, path = "/mentorships/{id}/reflection", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")), request_body = SaveReflection,
    responses((status = 200, body = MentorshipView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Not completed yet", body = shared::ErrorBody), (status = 422, description = "validation: an empty or too long reflection", body = shared::ErrorBody)))]
async fn save_reflection(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SaveReflection>,
) -> AppResult<Json<MentorshipView>> {
    let access = access::mentorship_member(&state.db, &who, id).await?;
    if db::mentorships::status_of(&access.mentorship) != MentorshipStatus::Completed {
        return Err(AppError::conflict(
            "Closing reflections are written once the mentorship is completed.",
        ));
    }
    let body = text("text", "your reflection", &req.text, NOTE_MAX_CHARS, true)?;
    db::mentorships::set_reflection(
        &state.db,
        access.mentorship.clone(),
        access.roles.mentor,
        body,
    )
    .await?;
    Ok(Json(programme::mentorships::view(&state, &access).await?))
}

async fn goal_views(
    state: &AppState,
    goals: Vec<mentorship_goal::Model>,
) -> AppResult<Vec<GoalView>> {
    let ids: Vec<i64> = goals.iter().map(|g| g.created_by).collect();
    let names = db::users::names_of(&state.db, &ids).await?;
    Ok(goals
        .into_iter()
        .map(|g| GoalView {
            id: g.id,
            status: GoalStatus::from_slug(&g.status).unwrap_or(GoalStatus::NotStarted),
            created_by: UserSummary {
                id: g.created_by,
                display_name: names.get(&g.created_by).cloned().unwrap_or_default(),
            },
            title: g.title,
            updated_at: g.updated_at,
        })
        .collect())
}

#[utoipa::path(get, path = "/mentorships/{id}/goals", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses((status = 200, body = ListGoalsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Programme team: not theirs to read", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn list_goals(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ListGoalsResponse>> {
    access::mentorship_member(&state.db, &who, id).await?;
    let goals = db::mentorships::goals(&state.db, id).await?;
    Ok(Json(ListGoalsResponse {
        goals: goal_views(&state, goals).await?,
    }))
}

#[utoipa::path(post, path = "/mentorships/{id}/goals", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")), request_body = CreateGoal,
    responses((status = 201, body = GoalView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_goal(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateGoal>,
) -> AppResult<(StatusCode, Json<GoalView>)> {
    let access = access::mentorship_member(&state.db, &who, id).await?;
    let title = text("title", "the goal", &req.title, GOAL_TITLE_MAX_CHARS, true)?;
    let goal = db::mentorships::create_goal(&state.db, id, title, who.id).await?;
    programme::mentorships::changed(&state, &access.mentorship).await?;
    let mut views = goal_views(&state, vec![goal]).await?;
    Ok((StatusCode::CREATED, Json(views.remove(0))))
}

#[utoipa::path(put, path = "/mentorships/{id}/goals/{goal_id}", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id"), ("goal_id" = i64, Path, description = "Goal id")),
    request_body = UpdateGoal,
    responses((status = 200, body = GoalView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_goal(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, goal_id)): Path<(i64, i64)>,
    Json(req): Json<UpdateGoal>,
) -> AppResult<Json<GoalView>> {
    let access = access::mentorship_member(&state.db, &who, id).await?;
    let goal = db::mentorships::goal(&state.db, id, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = match req.title.as_deref() {
        Some(t) => Some(text("title", "the goal", t, GOAL_TITLE_MAX_CHARS, true)?),
        None => None,
    };
    let updated = db::mentorships::update_goal(&state.db, goal, title, req.status).await?;
    programme::mentorships::changed(&state, &access.mentorship).await?;
    let mut views = goal_views(&state, vec![updated]).await?;
    Ok(Json(views.remove(0)))
}

async fn note_views(
    state: &AppState,
    notes: Vec<session_note::Model>,
) -> AppResult<Vec<SessionNoteView>> {
    let ids: Vec<i64> = notes.iter().map(|n| n.author_id).collect();
    let names = db::users::names_of(&state.db, &ids).await?;
    Ok(notes
        .into_iter()
        .map(|n| SessionNoteView {
            id: n.id,
            session_date: n.session_date,
            author: UserSummary {
                id: n.author_id,
                display_name: names.get(&n.author_id).cloned().unwrap_or_default(),
            },
            summary: n.summary,
            next_steps: n.next_steps,
            created_at: n.created_at,
        })
        .collect())
}

#[utoipa::path(get, path = "/mentorships/{id}/notes", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses((status = 200, body = ListSessionNotesResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Programme team: not theirs to read", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn list_notes(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ListSessionNotesResponse>> {
    access::mentorship_member(&state.db, &who, id).await?;
    let notes = db::mentorships::notes(&state.db, id).await?;
    Ok(Json(ListSessionNotesResponse {
        notes: note_views(&state, notes).await?,
    }))
}

#[utoipa::path(post, path = "/mentorships/{id}/notes", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")), request_body = CreateSessionNote,
    responses((status = 201, body = SessionNoteView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_note(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreateSessionNote>,
) -> AppResult<(StatusCode, Json<SessionNoteView>)> {
    let access = access::mentorship_member(&state.db, &who, id).await?;
    let summary = text(
        "summary",
        "a summary of the session",
        &req.summary,
        NOTE_MAX_CHARS,
        true,
    )?;
    let next_steps = text(
        "next_steps",
        "the agreed next steps",
        &req.next_steps,
        NOTE_MAX_CHARS,
        false,
    )?;
    if req.session_date > Utc::now().date_naive() + chrono::Duration::days(1) {
        return Err(AppError::validation(
            "session_date",
            "Session notes are for sessions that have happened: choose today or an earlier date.",
        ));
    }
    let note =
        db::mentorships::create_note(&state.db, id, req.session_date, summary, next_steps, who.id)
            .await?;
    programme::mentorships::changed(&state, &access.mentorship).await?;
    let mut views = note_views(&state, vec![note]).await?;
    Ok((StatusCode::CREATED, Json(views.remove(0))))
}

#[utoipa::path(post, path = "/mentorships/{id}/nudge", tag = "mentorships",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses((status = 204, description = "The mentor and the organisation's staff are notified"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Not active", body = shared::ErrorBody)))]
async fn nudge(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let access = access::mentorship(&state.db, &who, id).await?;
    access::admin(&who)?;
    let m = &access.mentorship;
    if !matches!(
        db::mentorships::status_of(m),
        MentorshipStatus::Active | MentorshipStatus::Paused
    ) {
        return Err(AppError::conflict(
            "Only a mentorship under way can be nudged.",
        ));
    }
    let users = db::mentorships::members(&state.db, m).await?;
    programme::notify(
        &state,
        &users,
        NotificationKind::Nudge,
        who.id,
        &who.display_name,
        Subject::Mentorship(m.id),
        &format!(
            "{} from the programme team is checking in on the mentorship of {}: \
             how is it going? A message, a session note or a goal update keeps it on track.",
            who.display_name, access.org.name
        ),
    )
    .await?;
    db::mentorships::set_nudged(&state.db, m.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
