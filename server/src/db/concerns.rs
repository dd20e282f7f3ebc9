//! Queries on safeguarding concerns and their append-only history. The
//! writes take any connection so a step's rows (the concern, its history
//! line, the audit entry, the notifications) commit together.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use shared::api::concerns::{ConcernPriority, ConcernStatus};

use super::entities::{concern, concern_history};
use crate::error::AppResult;

/// The stored status; an unknown slug reads as `new`, so a concern with a
/// damaged row still shows up as needing attention rather than vanishing.
pub fn status_of(c: &concern::Model) -> ConcernStatus {
    ConcernStatus::from_slug(&c.status).unwrap_or(ConcernStatus::New)
}

/// The stored priority; an unknown slug reads as the most urgent, for the
/// same reason.
pub fn priority_of(c: &concern::Model) -> ConcernPriority {
    ConcernPriority::from_slug(&c.priority).unwrap_or(ConcernPriority::Immediate)
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<concern::Model>> {
    Ok(concern::Entity::find_by_id(id).one(db).await?)
}

/// A concern as raised (texts already validated).
pub struct NewConcern<'a> {
    pub raised_by: i64,
    pub organisation_id: Option<i64>,
    pub priority: ConcernPriority,
    pub at_risk: &'a str,
    pub what_happened: &'a str,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    /// The message or post as the raiser saw it, and whose it is.
    pub context_text: Option<&'a str>,
    pub context_author_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub ack_due_at: DateTime<Utc>,
}

/// Store a new concern (status `new`) with its `raised` history line.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    new: &NewConcern<'_>,
) -> AppResult<concern::Model> {
    let created = concern::ActiveModel {
        raised_by: Set(new.raised_by),
        organisation_id: Set(new.organisation_id),
        priority: Set(new.priority.slug().into()),
        status: Set(ConcernStatus::New.slug().into()),
        at_risk: Set(new.at_risk.to_owned()),
        what_happened: Set(new.what_happened.to_owned()),
        message_id: Set(new.message_id),
        post_id: Set(new.post_id),
        context_text: Set(new.context_text.map(str::to_owned)),
        context_author_id: Set(new.context_author_id),
        created_at: Set(new.created_at),
        ack_due_at: Set(new.ack_due_at),
        acknowledged_at: Set(None),
        closed_at: Set(None),
        updated_at: Set(new.created_at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    record(
        conn,
        created.id,
        new.raised_by,
        "raised",
        "",
        new.created_at,
    )
    .await?;
    Ok(created)
}

/// Append one line to a concern's history.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    concern_id: i64,
    actor: i64,
    action: &str,
    note: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    concern_history::ActiveModel {
        concern_id: Set(concern_id),
        at: Set(at),
        actor_id: Set(Some(actor)),
        action: Set(action.to_owned()),
        note: Set(note.to_owned()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Move `c` to `to`, only if it is still in the status it was read in (two
/// handlers acting at once: the second is told, not silently applied).
/// Returns whether it moved. The first acknowledgement is kept; closing
/// stamps `closed_at` and reopening clears it.
pub async fn move_to<C: ConnectionTrait>(
    conn: &C,
    c: &concern::Model,
    to: ConcernStatus,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let acknowledged_at = match (to, c.acknowledged_at) {
        (ConcernStatus::Acknowledged, None) => Some(now),
        (_, kept) => kept,
    };
    let closed_at = (to == ConcernStatus::Closed).then_some(now);
    let moved = concern::Entity::update_many()
        .col_expr(concern::Column::Status, Expr::value(to.slug()))
        .col_expr(
            concern::Column::AcknowledgedAt,
            Expr::value(acknowledged_at),
        )
        .col_expr(concern::Column::ClosedAt, Expr::value(closed_at))
        .col_expr(concern::Column::UpdatedAt, Expr::value(now))
        .filter(concern::Column::Id.eq(c.id))
        .filter(concern::Column::Status.eq(c.status.as_str()))
        .exec(conn)
        .await?
        .rows_affected;
    Ok(moved > 0)
}

/// Mark a concern as changed now (a note was added).
pub async fn touch<C: ConnectionTrait>(conn: &C, id: i64, now: DateTime<Utc>) -> AppResult<()> {
    concern::Entity::update_many()
        .col_expr(concern::Column::UpdatedAt, Expr::value(now))
        .filter(concern::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A concern's history, oldest first.
pub async fn history(
    db: &DatabaseConnection,
    concern_id: i64,
) -> AppResult<Vec<concern_history::Model>> {
    Ok(concern_history::Entity::find()
        .filter(concern_history::Column::ConcernId.eq(concern_id))
        .order_by_asc(concern_history::Column::At)
        .order_by_asc(concern_history::Column::Id)
        .all(db)
        .await?)
}

/// Which concerns a list reads.
#[derive(Clone, Debug)]
pub enum Scope<'a> {
    /// Every concern (the programme team).
    All,
    /// The concerns of these organisations (their safeguarding lead).
    Organisations(&'a [i64]),
    /// The concerns this person raised.
    RaisedBy(i64),
}

/// The concerns in `scope`, only those in `status` when given (unordered:
/// the caller orders by deadline, which depends on the time of asking).
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope<'_>,
    status: Option<ConcernStatus>,
) -> AppResult<Vec<concern::Model>> {
    let mut query = concern::Entity::find();
    query = match scope {
        Scope::All => query,
        Scope::Organisations([]) => return Ok(Vec::new()),
        Scope::Organisations(ids) => {
            query.filter(concern::Column::OrganisationId.is_in(ids.iter().copied()))
        }
        Scope::RaisedBy(user) => query.filter(concern::Column::RaisedBy.eq(user)),
    };
    if let Some(status) = status {
        query = query.filter(concern::Column::Status.eq(status.slug()));
    }
    Ok(query.order_by_asc(concern::Column::Id).all(db).await?)
}
