//! Queries on reports, hidden messages and posts, suspensions and the
//! moderation log.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::moderation::{ReportReason, ReportStatus};

use super::entities::{message, moderation_action, post, report, user};
use crate::error::{AppError, AppResult};

/// Most reports one list answer holds.
pub const LIST_LIMIT: u64 = 200;

pub fn status_of(r: &report::Model) -> ReportStatus {
    // Rows are only ever written from `ReportStatus`; an unknown slug would
    // be a bug, and an open report is the one a moderator still looks at.
    ReportStatus::from_slug(&r.status).unwrap_or(ReportStatus::Open)
}

pub fn reason_of(r: &report::Model) -> ReportReason {
    ReportReason::from_slug(&r.reason).unwrap_or(ReportReason::Other)
}

/// What was reported, copied as it was at that moment.
pub struct NewReport<'a> {
    pub reporter_id: i64,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    pub content_author_id: i64,
    pub content_text: &'a str,
    pub reason: ReportReason,
    pub detail: &'a str,
}

pub async fn find_report<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> AppResult<Option<report::Model>> {
    Ok(report::Entity::find_by_id(id).one(conn).await?)
}

/// `reporter`'s open report on the same message or post, if any.
pub async fn open_report_by<C: ConnectionTrait>(
    conn: &C,
    reporter: i64,
    message_id: Option<i64>,
    post_id: Option<i64>,
) -> AppResult<Option<report::Model>> {
    let mut q = report::Entity::find()
        .filter(report::Column::ReporterId.eq(reporter))
        .filter(report::Column::Status.eq(ReportStatus::Open.slug()));
    q = match (message_id, post_id) {
        (Some(m), _) => q.filter(report::Column::MessageId.eq(m)),
        (None, Some(p)) => q.filter(report::Column::PostId.eq(p)),
        (None, None) => return Ok(None),
    };
    Ok(q.one(conn).await?)
}

pub async fn create_report<C: ConnectionTrait>(
    conn: &C,
    new: NewReport<'_>,
) -> AppResult<report::Model> {
    Ok(report::ActiveModel {
        reporter_id: Set(Some(new.reporter_id)),
        message_id: Set(new.message_id),
        post_id: Set(new.post_id),
        content_author_id: Set(Some(new.content_author_id)),
        content_text: Set(new.content_text.to_owned()),
        reason: Set(new.reason.slug().to_owned()),
        detail: Set(new.detail.to_owned()),
        status: Set(ReportStatus::Open.slug().to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Reports with `status`: open ones oldest first (the queue), resolved ones
/// newest first (the record).
pub async fn reports(
    db: &DatabaseConnection,
    status: ReportStatus,
) -> AppResult<Vec<report::Model>> {
    let q = report::Entity::find().filter(report::Column::Status.eq(status.slug()));
    let q = if status == ReportStatus::Open {
        q.order_by_asc(report::Column::CreatedAt)
            .order_by_asc(report::Column::Id)
    } else {
        q.order_by_desc(report::Column::CreatedAt)
            .order_by_desc(report::Column::Id)
    };
    Ok(q.limit(LIST_LIMIT).all(db).await?)
}

pub async fn open_count<C: ConnectionTrait>(conn: &C) -> AppResult<i64> {
    let n = report::Entity::find()
        .filter(report::Column::Status.eq(ReportStatus::Open.slug()))
        .count(conn)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Reports ever made about `user_id`'s content.
pub async fn reports_against(db: &DatabaseConnection, user_id: i64) -> AppResult<i64> {
    let n = report::Entity::find()
        .filter(report::Column::ContentAuthorId.eq(user_id))
        .count(db)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Someone has reported this message (whatever became of the report).
pub async fn message_reported(db: &DatabaseConnection, message_id: i64) -> AppResult<bool> {
    Ok(report::Entity::find()
        .filter(report::Column::MessageId.eq(message_id))
        .count(db)
        .await?
        > 0)
}

/// Someone has reported this post (whatever became of the report).
pub async fn post_reported(db: &DatabaseConnection, post_id: i64) -> AppResult<bool> {
    Ok(report::Entity::find()
        .filter(report::Column::PostId.eq(post_id))
        .count(db)
        .await?
        > 0)
}

/// Close a report as `status` by moderator `by`.
pub async fn resolve<C: ConnectionTrait>(
    conn: &C,
    r: report::Model,
    status: ReportStatus,
    by: i64,
) -> AppResult<report::Model> {
    let mut active: report::ActiveModel = r.into();
    active.status = Set(status.slug().to_owned());
    active.resolved_at = Set(Some(Utc::now()));
    active.resolved_by = Set(Some(by));
    Ok(active.update(conn).await?)
}

/// One moderation step for the log.
pub struct NewAction<'a> {
    pub moderator_id: i64,
    /// `hide`, `restore`, `warn`, `suspend`, `unsuspend` or `dismiss`.
    pub action: &'a str,
    pub user_id: Option<i64>,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    pub report_id: Option<i64>,
    pub reason: &'a str,
    pub until: Option<DateTime<Utc>>,
}

pub async fn record_action<C: ConnectionTrait>(conn: &C, new: NewAction<'_>) -> AppResult<()> {
    moderation_action::ActiveModel {
        at: Set(Utc::now()),
        moderator_id: Set(Some(new.moderator_id)),
        action: Set(new.action.to_owned()),
        user_id: Set(new.user_id),
        message_id: Set(new.message_id),
        post_id: Set(new.post_id),
        report_id: Set(new.report_id),
        reason: Set(new.reason.to_owned()),
        until: Set(new.until),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Steps taken about `user_id`, newest first.
pub async fn actions_about(
    db: &DatabaseConnection,
    user_id: i64,
) -> AppResult<Vec<moderation_action::Model>> {
    Ok(moderation_action::Entity::find()
        .filter(moderation_action::Column::UserId.eq(user_id))
        .order_by_desc(moderation_action::Column::At)
        .order_by_desc(moderation_action::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?)
}

pub async fn messages_by_id(
    db: &DatabaseConnection,
    ids: &[i64],
) -> AppResult<Vec<message::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(message::Entity::find()
        .filter(message::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Hide a message with `reason` (`Some`), or restore it (`None`).
pub async fn set_message_hidden<C: ConnectionTrait>(
    conn: &C,
    m: message::Model,
    reason: Option<&str>,
) -> AppResult<message::Model> {
    let mut active: message::ActiveModel = m.into();
    active.hidden_at = Set(reason.map(|_| Utc::now()));
    active.hidden_reason = Set(reason.map(str::to_owned));
    Ok(active.update(conn).await?)
}

/// Hide a post with `reason` (`Some`), or restore it (`None`).
pub async fn set_post_hidden<C: ConnectionTrait>(
    conn: &C,
    p: post::Model,
    reason: Option<&str>,
) -> AppResult<post::Model> {
    let mut active: post::ActiveModel = p.into();
    active.hidden_at = Set(reason.map(|_| Utc::now()));
    active.hidden_reason = Set(reason.map(str::to_owned));
    Ok(active.update(conn).await?)
}

/// Suspend `user_id` from now until `until` (None: until lifted), or lift
/// a suspension (`reason` None).
pub async fn set_suspended<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    suspension: Option<(&str, Option<DateTime<Utc>>)>,
) -> AppResult<user::Model> {
    let found = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: user::ActiveModel = found.into();
    active.suspended_at = Set(suspension.map(|_| Utc::now()));
    active.suspended_until = Set(suspension.and_then(|(_, until)| until));
    active.suspension_reason = Set(suspension.map(|(reason, _)| reason.to_owned()));
    Ok(active.update(conn).await?)
}
