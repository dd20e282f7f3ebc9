//! Access for reports and moderation: who may report what they can read,
//! and the programme team as moderators.
//!
//! Anyone signed in may report a message of a room they are in or a post of
//! a thread they may read; what they cannot read is `NotFound`. Moderation
//! itself is no secret, so everyone else is `Forbidden` from it. Moderators
//! still have no way into private rooms: a message becomes theirs to act on
//! only once a member of its room has reported it.

use sea_orm::DatabaseConnection;

use super::room_member;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{message, post, report, thread, user};
use crate::error::{AppError, AppResult};

/// Only the programme team moderates.
pub fn moderator(who: &AuthUser) -> AppResult<()> {
    if who.is_admin || who.two_factor_setup_required {
        // The programme team's gate: it also says when two-factor is missing.
        super::admin(who)
    } else {
        Err(AppError::forbidden(
            "Only the programme team can moderate content.",
        ))
    }
}

/// A message `who` may report: in a room they are in, not deleted, not theirs.
pub async fn reportable_message(
    db: &DatabaseConnection,
    who: &AuthUser,
    message_id: i64,
) -> AppResult<message::Model> {
    let found = db::messages::find(db, message_id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    room_member(db, who, found.room_id).await?;
    if found.author_id == who.id {
        return Err(AppError::validation(
            "message_id",
            "You cannot report your own message.",
        ));
    }
    Ok(found)
}

/// A post `who` may report: in a thread they may read, not deleted, not theirs.
pub async fn reportable_post(
    db: &DatabaseConnection,
    who: &AuthUser,
    post_id: i64,
) -> AppResult<(post::Model, thread::Model)> {
    let (p, t) = super::post(db, who, post_id).await?;
    if p.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if p.author_id == who.id {
        return Err(AppError::validation(
            "post_id",
            "You cannot report your own post.",
        ));
    }
    Ok((p, t))
}

/// A report, for a moderator.
pub async fn moderated_report(
    db: &DatabaseConnection,
    who: &AuthUser,
    report_id: i64,
) -> AppResult<report::Model> {
    moderator(who)?;
    db::moderation::find_report(db, report_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A message a moderator may hide or restore: one somebody in its room has
/// reported. Unreported messages are `NotFound`, like any other message of
/// a room the moderator is not in.
pub async fn moderated_message(
    db: &DatabaseConnection,
    who: &AuthUser,
    message_id: i64,
) -> AppResult<message::Model> {
    moderator(who)?;
    let found = db::messages::find(db, message_id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    if !db::moderation::message_reported(db, message_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(found)
}

/// A post a moderator may hide or restore: any in a thread they may read,
/// and one reported from a co-operative's thread they may not.
pub async fn moderated_post(
    db: &DatabaseConnection,
    who: &AuthUser,
    post_id: i64,
) -> AppResult<(post::Model, thread::Model)> {
    moderator(who)?;
    let (p, t) = match super::post(db, who, post_id).await {
        Ok(found) => found,
        Err(AppError::NotFound | AppError::Refused)
            if db::moderation::post_reported(db, post_id).await? =>
        {
            let p = db::threads::find_post(db, post_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let t = db::threads::find(db, p.thread_id)
                .await?
                .filter(|t| t.deleted_at.is_none())
                .ok_or(AppError::NotFound)?;
            (p, t)
        }
        Err(e) => return Err(e),
    };
    if p.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok((p, t))
}

/// A person a moderator may look up, warn, or lift a suspension of.
pub async fn moderated_user(
    db: &DatabaseConnection,
    who: &AuthUser,
    user_id: i64,
) -> AppResult<user::Model> {
    moderator(who)?;
    db::users::find(db, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person a moderator may suspend: not themself, not another of the
/// programme team (that is a team decision, not a moderation step).
pub async fn suspendable(
    db: &DatabaseConnection,
    who: &AuthUser,
    user_id: i64,
) -> AppResult<user::Model> {
    let found = moderated_user(db, who, user_id).await?;
    if found.id == who.id {
        return Err(AppError::conflict("You cannot suspend yourself."));
    }
    if found.is_admin {
        return Err(AppError::conflict(
            "Members of the programme team cannot be suspended. Take them off the team first.",
        ));
    }
    Ok(found)
}

/// What a moderator's step with a `report_id` is about: it must be the
/// report's content, or the report's author for warnings and suspensions.
#[derive(Clone, Copy, Debug)]
pub enum ReportSubject {
    Message(i64),
    Post(i64),
    Author(i64),
}

/// The report a step names, if it is about the same thing.
pub async fn report_for(
    db: &DatabaseConnection,
    report_id: Option<i64>,
    about: ReportSubject,
) -> AppResult<Option<report::Model>> {
    let Some(id) = report_id else {
        return Ok(None);
    };
    let found = db::moderation::find_report(db, id).await?;
    let matches = found.as_ref().is_some_and(|r| match about {
        ReportSubject::Message(m) => r.message_id == Some(m),
        ReportSubject::Post(p) => r.post_id == Some(p),
        ReportSubject::Author(u) => r.content_author_id == Some(u),
    });
    if matches {
        Ok(found)
    } else {
        Err(AppError::validation(
            "report_id",
            "That report is about something else.",
        ))
    }
}
