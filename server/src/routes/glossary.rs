//! The glossary: terms for everyone, suggestions from members, decisions
//! by the programme team.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::glossary::{DecideTerm, GlossaryResponse, GlossaryTerm, SuggestTerm};
use shared::api::users::UserSummary;
use shared::limits::REASON_MAX_CHARS;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::glossary_term;
use crate::domain::validate_programme::text;
use crate::domain::{access, validate_threads};
use crate::error::{AppError, AppResult, Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, suggest))
        .routes(routes!(decide))
}

async fn views(state: &AppState, rows: Vec<glossary_term::Model>) -> AppResult<Vec<GlossaryTerm>> {
    let people: Vec<i64> = rows.iter().filter_map(|t| t.suggested_by).collect();
    let names = db::users::names_of(&state.db, &people).await?;
    Ok(rows
        .into_iter()
        .map(|t| GlossaryTerm {
            id: t.id,
            status: db::glossary::status_of(&t),
            aliases: db::glossary::aliases_of(&t),
            suggested_by: t.suggested_by.map(|id| UserSummary {
                id,
                display_name: names.get(&id).cloned().unwrap_or_default(),
            }),
            term: t.term,
            definition: t.definition,
            decision_reason: t.decision_reason,
            created_at: t.created_at,
        })
        .collect())
}

#[utoipa::path(get, path = "/glossary", tag = "glossary",
    responses((status = 200, description = "Approved terms A–Z; suggestions: all pending for admins, the caller's own otherwise", body = GlossaryResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody)))]
async fn list(State(state): State<AppState>, who: AuthUser) -> AppResult<Json<GlossaryResponse>> {
    let terms = views(&state, db::glossary::approved(&state.db).await?).await?;
    let suggestions = views(
        &state,
        db::glossary::suggestions(&state.db, who.id, who.is_admin).await?,
    )
    .await?;
    Ok(Json(GlossaryResponse { terms, suggestions }))
}

#[utoipa::path(post, path = "/glossary", tag = "glossary", request_body = SuggestTerm,
    responses(
        (status = 201, description = "Suggested (pending), or added at once when the programme team suggests it", body = GlossaryTerm),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 409, description = "Already in the glossary or waiting", body = shared::ErrorBody),
        (status = 422, description = "validation: a missing or too long term or definition", body = shared::ErrorBody),
    ))]
async fn suggest(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<SuggestTerm>,
) -> AppResult<(StatusCode, Json<GlossaryTerm>)> {
    let (term, aliases, definition) =
        validate_threads::term(&req.term, &req.aliases, &req.definition)?;
    let approved_by = who.is_admin.then_some(who.id);
    let row = db::glossary::suggest(
        &state.db,
        &term,
        &aliases,
        &definition,
        Some(who.id),
        approved_by,
    )
    .await?;
    let view = views(&state, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(post, path = "/glossary/{id}/decision", tag = "glossary", params(("id" = i64, Path)), request_body = DecideTerm,
    responses(
        (status = 200, description = "Approved (explained wherever it appears from now on) or declined", body = GlossaryTerm),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such suggestion", body = shared::ErrorBody),
        (status = 409, description = "Already decided", body = shared::ErrorBody),
        (status = 422, description = "validation: declining without a reason, or too long", body = shared::ErrorBody),
    ))]
async fn decide(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<DecideTerm>,
) -> AppResult<Json<GlossaryTerm>> {
    access::admin(&who)?;
    let found = db::glossary::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = text(
        "reason",
        "a reason",
        req.reason.as_deref().unwrap_or(""),
        REASON_MAX_CHARS,
        !req.approve,
    )?;
    let reason = (!reason.is_empty()).then_some(reason);
    let row = db::glossary::decide(&state.db, found, who.id, req.approve, reason).await?;
    let view = views(&state, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(Json(view))
}
