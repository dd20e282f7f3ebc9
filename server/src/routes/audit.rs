//! `GET /api/admin/audit`: the programme team reads the audit log, filtered
//! by event, actor and subject, newest first.

use axum::extract::State;
use shared::api::audit::{AUDIT_EVENTS, AuditEntryView, ListAudit, ListAuditResponse};
use shared::api::users::UserSummary;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::audit::Filter;
use crate::domain::access;
use crate::error::{AppError, AppResult, Json, Query};

/// Entries per page.
const PAGE: u64 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[utoipa::path(get, path = "/admin/audit", tag = "admin", params(ListAudit),
    responses(
        (status = 200, body = ListAuditResponse),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not on the programme team", body = shared::ErrorBody),
        (status = 422, description = "An event name the log does not use", body = shared::ErrorBody),
    ))]
async fn list_audit(
    State(state): State<AppState>,
    who: AuthUser,
    Query(query): Query<ListAudit>,
) -> AppResult<Json<ListAuditResponse>> {
    access::admin(&who)?;
    let event = query.event.as_deref().filter(|e| !e.is_empty());
    if let Some(event) = event
        && !AUDIT_EVENTS.contains(&event)
    {
        return Err(AppError::validation(
            "event",
            format!("No such event. Choose one of: {}.", AUDIT_EVENTS.join(", ")),
        ));
    }
    let filter = Filter {
        event,
        actor: query.actor_id,
        subject: query.subject_id,
        before_id: query.before_id,
    };
    let mut rows = db::audit::list(&state.db, filter, PAGE + 1).await?;
    let has_more = rows.len() as u64 > PAGE;
    rows.truncate(PAGE as usize);
    let people: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.actor_id, r.subject_id])
        .flatten()
        .collect();
    let names = db::users::names_of(&state.db, &people).await?;
    let person = |id: Option<i64>| {
        id.map(|id| UserSummary {
            id,
            display_name: names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "Deleted account".into()),
        })
    };
    let entries = rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            at: r.at,
            event: r.event,
            actor: person(r.actor_id),
            subject: person(r.subject_id),
            ip: r.ip,
            detail: r.detail,
        })
        .collect();
    Ok(Json(ListAuditResponse { entries, has_more }))
}
