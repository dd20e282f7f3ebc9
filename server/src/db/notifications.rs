//! Queries on in-app notifications.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::notifications::{NotificationKind, NotificationView};
use shared::api::rooms::MessageView;
use shared::api::users::UserSummary;

use super::entities::{message, notification, user};
use crate::error::AppResult;

/// How much of the message the list shows.
const EXCERPT_CHARS: usize = 140;

pub fn excerpt(body: &str) -> String {
    excerpt_of(body, EXCERPT_CHARS)
}

/// The first `max` characters of `text`, with an ellipsis when cut.
pub fn excerpt_of(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// Record that `users` were mentioned in `msg` (inside the message's transaction).
pub async fn create_mentions<C: ConnectionTrait>(
    conn: &C,
    msg: &message::Model,
    users: &[i64],
) -> AppResult<Vec<notification::Model>> {
    let mut out = Vec::with_capacity(users.len());
    for &user_id in users {
        let row = notification::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind_str(NotificationKind::Mention).into()),
            room_id: Set(Some(msg.room_id)),
            message_id: Set(Some(msg.id)),
            actor_id: Set(msg.author_id),
            created_at: Set(msg.created_at),
            read_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        out.push(row);
    }
    Ok(out)
}

pub fn kind_str(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Mention => "mention",
        NotificationKind::Mentorship => "mentorship",
        NotificationKind::Nudge => "nudge",
        NotificationKind::Decision => "decision",
        NotificationKind::ThreadReply => "thread_reply",
        NotificationKind::NewThread => "new_thread",
        NotificationKind::Coop => "coop",
        NotificationKind::Concern => "concern",
        NotificationKind::Moderation => "moderation",
    }
}

fn parse_kind(s: &str) -> NotificationKind {
    match s {
        "mentorship" => NotificationKind::Mentorship,
        "nudge" => NotificationKind::Nudge,
        "decision" => NotificationKind::Decision,
        "thread_reply" => NotificationKind::ThreadReply,
        "new_thread" => NotificationKind::NewThread,
        "coop" => NotificationKind::Coop,
        "concern" => NotificationKind::Concern,
        "moderation" => NotificationKind::Moderation,
        _ => NotificationKind::Mention,
    }
}

/// What a programme notification points at.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    Mentorship(i64),
    Organisation(i64),
    /// A mentor application: the reader's own, or one for admins to decide.
    Mentor(i64),
    /// A post in a practice thread.
    Post {
        thread_id: i64,
        post_id: i64,
    },
    /// A co-operative (its membership, or an action in its log).
    Coop(i64),
    /// A safeguarding concern.
    Concern(i64),
    /// Nothing to open (a moderator's warning).
    Nothing,
}

/// Record a programme step or thread activity for each of `users` (not the
/// actor themself).
pub async fn create_programme<C: ConnectionTrait>(
    conn: &C,
    users: &[i64],
    kind: NotificationKind,
    actor: i64,
    subject: Subject,
    text: &str,
) -> AppResult<Vec<notification::Model>> {
    let now = Utc::now();
    let mut out = Vec::with_capacity(users.len());
    for &user_id in users.iter().filter(|&&u| u != actor) {
        let (mentorship_id, organisation_id) = match subject {
            Subject::Mentorship(id) => (Some(id), None),
            Subject::Organisation(id) => (None, Some(id)),
            Subject::Mentor(_)
            | Subject::Post { .. }
            | Subject::Coop(_)
            | Subject::Concern(_)
            | Subject::Nothing => (None, None),
        };
        let (thread_id, post_id) = match subject {
            Subject::Post { thread_id, post_id } => (Some(thread_id), Some(post_id)),
            _ => (None, None),
        };
        let row = notification::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind_str(kind).into()),
            actor_id: Set(actor),
            created_at: Set(now),
            mentorship_id: Set(mentorship_id),
            organisation_id: Set(organisation_id),
            thread_id: Set(thread_id),
            post_id: Set(post_id),
            coop_id: Set(match subject {
                Subject::Coop(id) => Some(id),
                _ => None,
            }),
            concern_id: Set(match subject {
                Subject::Concern(id) => Some(id),
                _ => None,
            }),
            text: Set(Some(text.to_owned())),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        out.push(row);
    }
    Ok(out)
}

/// A programme or thread notification as its reader sees it.
pub fn programme_view(n: &notification::Model, actor: &str) -> NotificationView {
    NotificationView {
        id: n.id,
        kind: parse_kind(&n.kind),
        room_id: None,
        message_id: None,
        seq: None,
        mentorship_id: n.mentorship_id,
        organisation_id: n.organisation_id,
        thread_id: n.thread_id,
        post_id: n.post_id,
        coop_id: n.coop_id,
        concern_id: n.concern_id,
        actor: UserSummary {
            id: n.actor_id,
            display_name: actor.to_owned(),
        },
        excerpt: n.text.clone().unwrap_or_default(),
        created_at: n.created_at,
        read: n.read_at.is_some(),
    }
}

pub fn to_view(n: &notification::Model, msg: &message::Model, actor: &str) -> NotificationView {
    NotificationView {
        id: n.id,
        kind: NotificationKind::Mention,
        room_id: n.room_id,
        message_id: n.message_id,
        seq: Some(msg.seq),
        mentorship_id: None,
        organisation_id: None,
        thread_id: None,
        post_id: None,
        coop_id: None,
        concern_id: None,
        actor: UserSummary {
            id: n.actor_id,
            display_name: actor.to_owned(),
        },
        excerpt: if msg.deleted_at.is_some() || msg.hidden_at.is_some() {
            String::new()
        } else {
            excerpt(&msg.body)
        },
        created_at: n.created_at,
        read: n.read_at.is_some(),
    }
}

/// A notification just created for `msg` (the writer has the view at hand).
pub fn view_of_new(n: &notification::Model, msg: &MessageView) -> NotificationView {
    NotificationView {
        id: n.id,
        kind: NotificationKind::Mention,
        room_id: n.room_id,
        message_id: n.message_id,
        seq: Some(msg.seq),
        mentorship_id: None,
        organisation_id: None,
        thread_id: None,
        post_id: None,
        coop_id: None,
        concern_id: None,
        actor: UserSummary {
            id: msg.author_id,
            display_name: msg.author_name.clone(),
        },
        excerpt: excerpt(&msg.body),
        created_at: n.created_at,
        read: false,
    }
}

/// The newest `limit` notifications of `user`, and how many are unread.
pub async fn list(
    db: &DatabaseConnection,
    user: i64,
    limit: u64,
) -> AppResult<(Vec<NotificationView>, i64)> {
    let rows = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let message_ids: Vec<i64> = rows.iter().filter_map(|n| n.message_id).collect();
    let messages: std::collections::HashMap<i64, message::Model> = message::Entity::find()
        .filter(message::Column::Id.is_in(message_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let actor_ids: Vec<i64> = rows.iter().map(|n| n.actor_id).collect();
    let actors: std::collections::HashMap<i64, user::Model> =
        super::users::find_many(db, &actor_ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
    let views = rows
        .iter()
        .filter_map(|n| {
            let actor = actors
                .get(&n.actor_id)
                .map_or("", |u| u.display_name.as_str());
            match n.message_id {
                Some(id) => Some(to_view(n, messages.get(&id)?, actor)),
                None => Some(programme_view(n, actor)),
            }
        })
        .collect();
    Ok((views, unread_count(db, user).await?))
}

pub async fn unread_count(db: &DatabaseConnection, user: i64) -> AppResult<i64> {
    let n = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Mark `user`'s notifications up to `up_to_id` read; returns the unread count after.
pub async fn mark_read(db: &DatabaseConnection, user: i64, up_to_id: i64) -> AppResult<i64> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::Id.lte(up_to_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    unread_count(db, user).await
}
