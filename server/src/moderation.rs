//! Reports and moderation's operations that span tables, live events and
//! notifications: reporting, the queue, hiding and restoring messages and
//! posts, warnings and suspensions. Routes check access first
//! (`domain::access::moderation`), then call here.
//!
//! Each moderator step is one transaction: the change, the moderation log
//! row, the report it resolves, the audit entry (never the content) and the
//! author's notification. Live events leave only after the commit.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::DatabaseTransaction;
use shared::api::moderation::{
    CreateReport, ListReportsResponse, ModerationActionView, ModerationReason, ModerationUserView,
    ReportStatus, ReportView, ReportedContent, SuspendUser,
};
use shared::api::notifications::NotificationKind;
use shared::api::users::UserSummary;
use shared::limits::{MODERATION_REASON_MAX_CHARS, REPORT_DETAIL_MAX_CHARS, SUSPENSION_MAX_DAYS};
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::cluster::Sessions;
use crate::db;
use crate::db::audit::{self, Entry, Event};
use crate::db::entities::{message, notification, post, report, thread, user};
use crate::db::moderation::{NewAction, NewReport, status_of};
use crate::db::notifications::Subject;
use crate::domain::access::{self, ReportSubject};
use crate::error::{AppError, AppResult};
use crate::threads::views;

// ---- input ----

/// What a person adds to a report: optional, bounded.
fn report_detail(detail: &str) -> AppResult<&str> {
    let detail = detail.trim();
    if detail.chars().count() > REPORT_DETAIL_MAX_CHARS {
        return Err(AppError::validation(
            "detail",
            format!("Keep the details to {REPORT_DETAIL_MAX_CHARS} characters or fewer."),
        ));
    }
    Ok(detail)
}

/// A moderator's reason: required when the step tells someone why
/// (hiding, warning, suspending), optional otherwise.
fn moderation_reason(reason: &str, required: bool) -> AppResult<&str> {
    let reason = reason.trim();
    if required && reason.is_empty() {
        return Err(AppError::validation(
            "reason",
            "Give a reason: the person is told it.",
        ));
    }
    if reason.chars().count() > MODERATION_REASON_MAX_CHARS {
        return Err(AppError::validation(
            "reason",
            format!("Keep the reason to {MODERATION_REASON_MAX_CHARS} characters or fewer."),
        ));
    }
    Ok(reason)
}

fn suspension_days(days: Option<u32>) -> AppResult<Option<Duration>> {
    match days {
        None => Ok(None),
        Some(d) if (1..=SUSPENSION_MAX_DAYS).contains(&d) => Ok(Some(Duration::days(i64::from(d)))),
        Some(_) => Err(AppError::validation(
            "days",
            format!(
                "Suspend for 1 to {SUSPENSION_MAX_DAYS} days, or leave the days out to suspend until you lift it."
            ),
        )),
    }
}

// ---- reporting ----

pub struct Reported {
    pub id: i64,
    /// False when the reporter already had an open report on this content.
    pub created: bool,
}

/// `who` reports a message or a post they can read. The content is copied
/// so the moderator reads what was reported even if it changes.
pub async fn report(state: &AppState, who: &AuthUser, req: &CreateReport) -> AppResult<Reported> {
    let db = &state.db;
    let (message_id, post_id, author_id, text) = match (req.message_id, req.post_id) {
        (Some(id), None) => {
            let m = access::reportable_message(db, who, id).await?;
            (Some(m.id), None, m.author_id, m.body)
        }
        (None, Some(id)) => {
            let (p, _) = access::reportable_post(db, who, id).await?;
            (None, Some(p.id), p.author_id, p.body)
        }
        _ => {
            return Err(AppError::validation(
                "message_id",
                "Report one message or one post at a time.",
            ));
        }
    };
    let detail = report_detail(&req.detail)?;
    let txn = db::begin_write(db).await?;
    if let Some(existing) =
        db::moderation::open_report_by(&txn, who.id, message_id, post_id).await?
    {
        txn.commit().await?;
        return Ok(Reported {
            id: existing.id,
            created: false,
        });
    }
    let created = db::moderation::create_report(
        &txn,
        NewReport {
            reporter_id: who.id,
            message_id,
            post_id,
            content_author_id: author_id,
            content_text: &text,
            reason: req.reason,
            detail,
        },
    )
    .await?;
    let open = db::moderation::open_count(&txn).await?;
    txn.commit().await?;
    reports_changed(state, open).await?;
    Ok(Reported {
        id: created.id,
        created: true,
    })
}

/// Tell every moderator's connections how long the queue is now.
async fn reports_changed(state: &AppState, open_count: i64) -> AppResult<()> {
    let admins = db::users::admin_ids(&state.db).await?;
    state
        .hub
        .send_to_users(&admins, &ServerMsg::ReportsChanged { open_count });
    Ok(())
}

// ---- the queue ----

fn summary(users: &HashMap<i64, user::Model>, id: Option<i64>) -> Option<UserSummary> {
    id.and_then(|id| users.get(&id)).map(|u| UserSummary {
        id: u.id,
        display_name: u.display_name.clone(),
    })
}

/// Reports as a moderator sees them: the copy, where the content lives, and
/// what became of it since.
async fn views_of(state: &AppState, rows: Vec<report::Model>) -> AppResult<Vec<ReportView>> {
    let db = &state.db;
    let mut people: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.reporter_id, r.content_author_id, r.resolved_by])
        .flatten()
        .collect();
    people.sort_unstable();
    people.dedup();
    let users: HashMap<i64, user::Model> = db::users::find_many(db, &people)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let message_ids: Vec<i64> = rows.iter().filter_map(|r| r.message_id).collect();
    let messages: HashMap<i64, message::Model> = db::moderation::messages_by_id(db, &message_ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let post_ids: Vec<i64> = rows.iter().filter_map(|r| r.post_id).collect();
    let posts: HashMap<i64, post::Model> = if post_ids.is_empty() {
        HashMap::new()
    } else {
        db::threads::posts_by_id(db, &post_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|r| {
            let message = r.message_id.and_then(|id| messages.get(&id));
            let post = r.post_id.and_then(|id| posts.get(&id));
            let hidden_reason = match (message, post) {
                (Some(m), _) if m.hidden_at.is_some() => m.hidden_reason.clone(),
                (_, Some(p)) if p.hidden_at.is_some() => p.hidden_reason.clone(),
                _ => None,
            };
            ReportView {
                id: r.id,
                status: status_of(&r),
                reason: db::moderation::reason_of(&r),
                reporter: summary(&users, r.reporter_id),
                content: ReportedContent {
                    message_id: r.message_id,
                    room_id: message.map(|m| m.room_id),
                    post_id: r.post_id,
                    thread_id: post.map(|p| p.thread_id),
                    author: summary(&users, r.content_author_id),
                    hidden_reason,
                    author_suspended: r
                        .content_author_id
                        .and_then(|id| users.get(&id))
                        .is_some_and(|u| db::users::is_suspended(u, now)),
                    text: r.content_text,
                },
                detail: r.detail,
                created_at: r.created_at,
                resolved_at: r.resolved_at,
                resolved_by: summary(&users, r.resolved_by),
            }
        })
        .collect())
}

async fn view_of(state: &AppState, r: report::Model) -> AppResult<ReportView> {
    let id = r.id;
    views_of(state, vec![r])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(format!("report {id} has no view")))
}

/// The queue (or the record of resolved reports). The list carries the
/// copies, so reading it is audited like reading one report.
pub async fn list(
    state: &AppState,
    who: &AuthUser,
    status: ReportStatus,
) -> AppResult<ListReportsResponse> {
    let rows = db::moderation::reports(&state.db, status).await?;
    let detail = format!("reports list ({})", status.slug());
    audit::record(
        &state.db,
        Entry::by(Event::SensitiveRead, who.id, None, &detail),
    )
    .await?;
    Ok(ListReportsResponse {
        reports: views_of(state, rows).await?,
        open_count: db::moderation::open_count(&state.db).await?,
    })
}

/// One report, its reading audited.
pub async fn one(state: &AppState, who: &AuthUser, r: report::Model) -> AppResult<ReportView> {
    let detail = format!("report {}", r.id);
    audit::record(
        &state.db,
        Entry::by(Event::SensitiveRead, who.id, r.content_author_id, &detail),
    )
    .await?;
    view_of(state, r).await
}

/// The moderator looked and leaves the content as it is.
pub async fn dismiss(
    state: &AppState,
    who: &AuthUser,
    r: report::Model,
    req: &ModerationReason,
) -> AppResult<ReportView> {
    let reason = moderation_reason(&req.reason, false)?;
    if status_of(&r) != ReportStatus::Open {
        return Err(AppError::conflict("This report has already been resolved."));
    }
    let detail = format!("dismiss report {}", r.id);
    let txn = db::begin_write(&state.db).await?;
    db::moderation::record_action(
        &txn,
        NewAction {
            moderator_id: who.id,
            action: "dismiss",
            user_id: r.content_author_id,
            message_id: r.message_id,
            post_id: r.post_id,
            report_id: Some(r.id),
            reason,
            until: None,
        },
    )
    .await?;
    let author = r.content_author_id;
    let resolved = db::moderation::resolve(&txn, r, ReportStatus::Dismissed, who.id).await?;
    audit::record(&txn, Entry::by(Event::AuthzAdmin, who.id, author, &detail)).await?;
    let open = db::moderation::open_count(&txn).await?;
    txn.commit().await?;
    reports_changed(state, open).await?;
    view_of(state, resolved).await
}

// ---- hiding and restoring ----

/// " (report N)" for audit details, or nothing.
fn report_suffix(r: Option<&report::Model>) -> String {
    r.map(|r| format!(" (report {})", r.id)).unwrap_or_default()
}

/// What the author is told.
fn author_text(what: &str, hide: bool, reason: &str) -> String {
    match (hide, reason.is_empty()) {
        (true, _) => format!("A moderator hid your {what}: {reason}"),
        (false, true) => format!("A moderator restored your {what}."),
        (false, false) => format!("A moderator restored your {what}: {reason}"),
    }
}

/// Push the author's new notifications live.
fn push_notifications(state: &AppState, who: &AuthUser, rows: &[notification::Model]) {
    for n in rows {
        let view = db::notifications::programme_view(n, &who.display_name);
        state
            .hub
            .send_to_users(&[n.user_id], &ServerMsg::Notification(view));
    }
}

/// What a moderator hides or restores.
#[derive(Clone, Copy)]
enum Hideable {
    Message(i64),
    Post { thread_id: i64, post_id: i64 },
}

impl Hideable {
    fn noun(self) -> &'static str {
        match self {
            Self::Message(_) => "message",
            Self::Post { .. } => "post",
        }
    }
}

/// Refuse a step that would change nothing.
fn check_hidden_state(what: Hideable, hide: bool, hidden: bool) -> AppResult<()> {
    match (hide, hidden) {
        (true, true) => Err(AppError::conflict(format!(
            "This {} is already hidden.",
            what.noun()
        ))),
        (false, false) => Err(AppError::conflict(format!(
            "This {} is not hidden.",
            what.noun()
        ))),
        _ => Ok(()),
    }
}

/// The records of one hide or restore, inside its transaction: the
/// moderation log row, the report it resolves, the audit entry and the
/// author's notice. Returns the notices to push after the commit, and the
/// open report count when a report was resolved.
async fn record_hiding(
    txn: &DatabaseTransaction,
    who: &AuthUser,
    what: Hideable,
    author_id: i64,
    r: Option<report::Model>,
    hide: bool,
    reason: &str,
) -> AppResult<(Vec<notification::Model>, Option<i64>)> {
    let action = if hide { "hide" } else { "restore" };
    let (message_id, post_id, subject, id) = match what {
        Hideable::Message(id) => (Some(id), None, Subject::Nothing, id),
        Hideable::Post { thread_id, post_id } => (
            None,
            Some(post_id),
            Subject::Post { thread_id, post_id },
            post_id,
        ),
    };
    let detail = format!("{action} {} {id}{}", what.noun(), report_suffix(r.as_ref()));
    db::moderation::record_action(
        txn,
        NewAction {
            moderator_id: who.id,
            action,
            user_id: Some(author_id),
            message_id,
            post_id,
            report_id: r.as_ref().map(|r| r.id),
            reason,
            until: None,
        },
    )
    .await?;
    let resolved = r.is_some();
    if let Some(r) = r {
        db::moderation::resolve(txn, r, ReportStatus::Actioned, who.id).await?;
    }
    audit::record(
        txn,
        Entry::by(Event::AuthzAdmin, who.id, Some(author_id), &detail),
    )
    .await?;
    let notes = db::notifications::create_programme(
        txn,
        &[author_id],
        NotificationKind::Moderation,
        who.id,
        subject,
        &author_text(what.noun(), hide, reason),
    )
    .await?;
    let open = if resolved {
        Some(db::moderation::open_count(txn).await?)
    } else {
        None
    };
    Ok((notes, open))
}

/// After the commit: the author's notices, and the queue if it changed.
async fn announce_hiding(
    state: &AppState,
    who: &AuthUser,
    notes: &[notification::Model],
    open: Option<i64>,
) -> AppResult<()> {
    push_notifications(state, who, notes);
    if let Some(open) = open {
        reports_changed(state, open).await?;
    }
    Ok(())
}

/// Hide a reported message (`hide`), or restore it; its room sees the
/// tombstone (or the body again) at once.
pub async fn set_message_hidden(
    state: &AppState,
    who: &AuthUser,
    m: message::Model,
    req: &ModerationReason,
    hide: bool,
) -> AppResult<()> {
    let reason = moderation_reason(&req.reason, hide)?;
    let r = access::report_for(&state.db, req.report_id, ReportSubject::Message(m.id)).await?;
    let what = Hideable::Message(m.id);
    check_hidden_state(what, hide, m.hidden_at.is_some())?;
    let author_id = m.author_id;
    let txn = db::begin_write(&state.db).await?;
    let updated = db::moderation::set_message_hidden(&txn, m, hide.then_some(reason)).await?;
    let (notes, open) = record_hiding(&txn, who, what, author_id, r, hide, reason).await?;
    txn.commit().await?;

    // The room, through the same event as an edit or a delete.
    let author_name = db::users::find(&state.db, author_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let view = db::messages::to_view(updated, author_name);
    let members = db::rooms::members_of(&state.db, &[view.room_id])
        .await?
        .remove(&view.room_id)
        .unwrap_or_default();
    state
        .hub
        .send_to_users(&members, &ServerMsg::MessageUpdated(view));
    announce_hiding(state, who, &notes, open).await
}

/// Hide a post (`hide`), or restore it; the thread's watchers see the
/// tombstone (or the post again) at once.
pub async fn set_post_hidden(
    state: &AppState,
    who: &AuthUser,
    p: post::Model,
    t: &thread::Model,
    req: &ModerationReason,
    hide: bool,
) -> AppResult<()> {
    let reason = moderation_reason(&req.reason, hide)?;
    let r = access::report_for(&state.db, req.report_id, ReportSubject::Post(p.id)).await?;
    let what = Hideable::Post {
        thread_id: t.id,
        post_id: p.id,
    };
    check_hidden_state(what, hide, p.hidden_at.is_some())?;
    let author_id = p.author_id;
    let txn = db::begin_write(&state.db).await?;
    let updated = db::moderation::set_post_hidden(&txn, p, hide.then_some(reason)).await?;
    let (notes, open) = record_hiding(&txn, who, what, author_id, r, hide, reason).await?;
    txn.commit().await?;

    // The thread's watchers who may read it, as for the author's own edits.
    let view = views::post(&state.db, &updated).await?;
    let readers = access::thread_readers(&state.db, t, state.hub.watchers(t.id)).await?;
    state
        .hub
        .send_to_watchers(t.id, &readers, true, &ServerMsg::ThreadPost { post: view });
    announce_hiding(state, who, &notes, open).await
}

// ---- people ----

/// Tell someone, in their notifications, what a moderator wants them to know.
pub async fn warn(
    state: &AppState,
    who: &AuthUser,
    target: &user::Model,
    req: &ModerationReason,
) -> AppResult<()> {
    let reason = moderation_reason(&req.reason, true)?;
    if target.id == who.id {
        return Err(AppError::conflict("You cannot warn yourself."));
    }
    let r = access::report_for(&state.db, req.report_id, ReportSubject::Author(target.id)).await?;
    let detail = format!("warn user {}{}", target.id, report_suffix(r.as_ref()));
    let txn = db::begin_write(&state.db).await?;
    db::moderation::record_action(
        &txn,
        NewAction {
            moderator_id: who.id,
            action: "warn",
            user_id: Some(target.id),
            message_id: r.as_ref().and_then(|r| r.message_id),
            post_id: r.as_ref().and_then(|r| r.post_id),
            report_id: r.as_ref().map(|r| r.id),
            reason,
            until: None,
        },
    )
    .await?;
    let resolved = r.is_some();
    if let Some(r) = r {
        db::moderation::resolve(&txn, r, ReportStatus::Actioned, who.id).await?;
    }
    audit::record(
        &txn,
        Entry::by(Event::AuthzAdmin, who.id, Some(target.id), &detail),
    )
    .await?;
    let notes = db::notifications::create_programme(
        &txn,
        &[target.id],
        NotificationKind::Moderation,
        who.id,
        Subject::Nothing,
        &format!("A moderator warned you: {reason}"),
    )
    .await?;
    let open = db::moderation::open_count(&txn).await?;
    txn.commit().await?;
    push_notifications(state, who, &notes);
    if resolved {
        reports_changed(state, open).await?;
    }
    Ok(())
}

/// Suspend an account: it is signed out everywhere at once and cannot sign
/// in until the suspension ends or is lifted.
pub async fn suspend(
    state: &AppState,
    who: &AuthUser,
    target: &user::Model,
    req: &SuspendUser,
) -> AppResult<()> {
    let reason = moderation_reason(&req.reason, true)?;
    let length = suspension_days(req.days)?;
    let r = access::report_for(&state.db, req.report_id, ReportSubject::Author(target.id)).await?;
    let until = length.map(|d| Utc::now() + d);
    let how_long = match req.days {
        Some(days) => format!("for {days} days"),
        None => "until lifted".to_owned(),
    };
    let detail = format!(
        "suspend user {} {how_long}{}",
        target.id,
        report_suffix(r.as_ref())
    );
    let txn = db::begin_write(&state.db).await?;
    db::moderation::set_suspended(&txn, target.id, Some((reason, until))).await?;
    db::moderation::record_action(
        &txn,
        NewAction {
            moderator_id: who.id,
            action: "suspend",
            user_id: Some(target.id),
            message_id: r.as_ref().and_then(|r| r.message_id),
            post_id: r.as_ref().and_then(|r| r.post_id),
            report_id: r.as_ref().map(|r| r.id),
            reason,
            until,
        },
    )
    .await?;
    let resolved = r.is_some();
    if let Some(r) = r {
        db::moderation::resolve(&txn, r, ReportStatus::Actioned, who.id).await?;
    }
    audit::record(
        &txn,
        Entry::by(Event::AuthzAdmin, who.id, Some(target.id), &detail),
    )
    .await?;
    let open = db::moderation::open_count(&txn).await?;
    txn.commit().await?;

    // Sessions refuse a suspended account already (`sessions::find_live`);
    // ending them too means lifting the suspension does not revive them.
    let ended = db::sessions::delete_all_for(&state.db, target.id, None).await?;
    state
        .hub
        .close_sessions(target.id, Sessions::All, "suspended");
    let revoked = format!("suspended: {ended} sessions ended");
    audit::record(
        &state.db,
        Entry::by(Event::TokenRevoked, who.id, Some(target.id), &revoked),
    )
    .await?;
    if resolved {
        reports_changed(state, open).await?;
    }
    Ok(())
}

/// Lift a suspension: the person may sign in again.
pub async fn unsuspend(
    state: &AppState,
    who: &AuthUser,
    target: &user::Model,
    req: &ModerationReason,
) -> AppResult<()> {
    let reason = moderation_reason(&req.reason, false)?;
    if target.suspended_at.is_none() {
        return Err(AppError::conflict("This account is not suspended."));
    }
    let detail = format!("unsuspend user {}", target.id);
    let txn = db::begin_write(&state.db).await?;
    db::moderation::set_suspended(&txn, target.id, None).await?;
    db::moderation::record_action(
        &txn,
        NewAction {
            moderator_id: who.id,
            action: "unsuspend",
            user_id: Some(target.id),
            message_id: None,
            post_id: None,
            report_id: None,
            reason,
            until: None,
        },
    )
    .await?;
    audit::record(
        &txn,
        Entry::by(Event::AuthzAdmin, who.id, Some(target.id), &detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A person's standing and what moderators did about them.
pub async fn user_view(state: &AppState, target: user::Model) -> AppResult<ModerationUserView> {
    let db = &state.db;
    let actions = db::moderation::actions_about(db, target.id).await?;
    let mut moderators: Vec<i64> = actions.iter().filter_map(|a| a.moderator_id).collect();
    moderators.sort_unstable();
    moderators.dedup();
    let users: HashMap<i64, user::Model> = db::users::find_many(db, &moderators)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let suspended = db::users::is_suspended(&target, Utc::now());
    Ok(ModerationUserView {
        reports_against: db::moderation::reports_against(db, target.id).await?,
        user: UserSummary {
            id: target.id,
            display_name: target.display_name,
        },
        suspended_until: target.suspended_until.filter(|_| suspended),
        suspended,
        suspension_reason: target.suspension_reason.filter(|_| suspended),
        actions: actions
            .into_iter()
            .map(|a| ModerationActionView {
                at: a.at,
                moderator: summary(&users, a.moderator_id),
                action: a.action,
                reason: a.reason,
                until: a.until,
            })
            .collect(),
    })
}
