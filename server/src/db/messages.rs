//! Storing and paging messages. Seqs are handed out by bumping
//! `rooms.last_seq` in the same transaction as the insert, so they are
//! gap-free: a failed insert rolls the bump back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use shared::api::rooms::MessageView;

use super::entities::{message, message_edit, room};
use crate::error::{AppError, AppResult};

/// The message as readers see it: a deleted one, or one a moderator hid, is
/// a tombstone without a body.
pub fn to_view(m: message::Model, author_name: String) -> MessageView {
    let deleted = m.deleted_at.is_some();
    let hidden = m.hidden_at.is_some();
    MessageView {
        id: m.id,
        room_id: m.room_id,
        seq: m.seq,
        author_id: m.author_id,
        author_name,
        body: if deleted || hidden {
            String::new()
        } else {
            m.body
        },
        created_at: m.created_at,
        client_msg_id: m.client_msg_id,
        edited_at: m.edited_at,
        deleted,
        hidden,
    }
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<message::Model>> {
    Ok(message::Entity::find_by_id(id).one(db).await?)
}

/// How a message changes after it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change<'a> {
    Edit(&'a str),
    Delete,
}

/// Edit or delete a message, keeping the earlier body in `message_edits`
/// (for moderators); a deleted message keeps its row and seq as a tombstone.
pub async fn change(
    db: &DatabaseConnection,
    found: message::Model,
    change: Change<'_>,
) -> AppResult<message::Model> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    message_edit::ActiveModel {
        message_id: Set(found.id),
        previous_body: Set(found.body.clone()),
        changed_at: Set(now),
        kind: Set(match change {
            Change::Edit(_) => "edit".into(),
            Change::Delete => "delete".into(),
        }),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut active: message::ActiveModel = found.into();
    match change {
        Change::Edit(body) => {
            active.body = Set(body.to_owned());
            active.edited_at = Set(Some(now));
        }
        Change::Delete => {
            active.body = Set(String::new());
            active.deleted_at = Set(Some(now));
        }
    }
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

pub struct Stored {
    pub message: message::Model,
    /// The same `client_msg_id` was sent before; nothing new was stored.
    pub duplicate: bool,
}

/// What to store; the author is already known to be a member.
pub struct NewMessage<'a> {
    pub room_id: i64,
    pub author_id: i64,
    pub client_msg_id: &'a str,
    pub body: &'a str,
}

/// Store a message inside the caller's transaction, once per
/// `(author, client_msg_id)`: a repeat returns the original.
pub async fn insert_in<C: ConnectionTrait>(conn: &C, new: &NewMessage<'_>) -> AppResult<Stored> {
    let retry = find_by_client_ids(conn, &[(new.author_id, new.client_msg_id)]).await?;
    if let Some(existing) = retry.into_values().next() {
        return Ok(Stored {
            message: existing,
            duplicate: true,
        });
    }
    // Bumping the room's counter locks its row (PostgreSQL), so concurrent
    // writers to one room queue, and the seq is the bumped value: gap-free,
    // because a failed insert rolls the bump back with it.
    let bumped = room::Entity::update_many()
        .col_expr(
            room::Column::LastSeq,
            Expr::col(room::Column::LastSeq).add(1),
        )
        .filter(room::Column::Id.eq(new.room_id))
        .exec_with_returning(conn)
        .await?;
    let seq = bumped.first().ok_or(AppError::NotFound)?.last_seq;
    let message = message::ActiveModel {
        room_id: Set(new.room_id),
        seq: Set(seq),
        author_id: Set(new.author_id),
        body: Set(new.body.to_owned()),
        client_msg_id: Set(new.client_msg_id.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Stored {
        message,
        duplicate: false,
    })
}

/// The messages already stored for these `(author, client_msg_id)` pairs:
/// one query for a whole batch of sends.
pub async fn find_by_client_ids<C: ConnectionTrait>(
    conn: &C,
    keys: &[(i64, &str)],
) -> AppResult<HashMap<(i64, String), message::Model>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let any = keys.iter().fold(Condition::any(), |c, &(author, id)| {
        c.add(
            Condition::all()
                .add(message::Column::AuthorId.eq(author))
                .add(message::Column::ClientMsgId.eq(id)),
        )
    });
    Ok(message::Entity::find()
        .filter(any)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| ((m.author_id, m.client_msg_id.clone()), m))
        .collect())
}

/// Store a batch of sends the caller knows are new (the group-commit
/// writer checked for retries) in three statements, whatever its size: read
/// the rooms' counters (locking their rows on PostgreSQL), insert every row
/// with the seqs that follow, and move the counters on. Gap-free as one
/// insert at a time: if anything fails, the transaction rolls it all back.
pub async fn insert_batch_in<C: ConnectionTrait>(
    conn: &C,
    news: &[NewMessage<'_>],
) -> AppResult<Vec<message::Model>> {
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let mut rooms: Vec<i64> = news.iter().map(|n| n.room_id).collect();
    rooms.sort_unstable();
    rooms.dedup();
    let mut last: HashMap<i64, i64> = room::Entity::find()
        .filter(room::Column::Id.is_in(rooms.iter().copied()))
        .lock_exclusive()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.last_seq))
        .collect();
    if last.len() != rooms.len() {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let mut rows = Vec::with_capacity(news.len());
    let mut order = Vec::with_capacity(news.len());
    for new in news {
        let seq = last.get_mut(&new.room_id).ok_or(AppError::NotFound)?;
        *seq += 1;
        order.push((new.room_id, *seq));
        rows.push(message::ActiveModel {
            room_id: Set(new.room_id),
            seq: Set(*seq),
            author_id: Set(new.author_id),
            body: Set(new.body.to_owned()),
            client_msg_id: Set(new.client_msg_id.to_owned()),
            created_at: Set(now),
            ..Default::default()
        });
    }
    let mut stored: HashMap<(i64, i64), message::Model> = message::Entity::insert_many(rows)
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .map(|m| ((m.room_id, m.seq), m))
        .collect();
    // The counters' new values are integers we computed: safe to inline.
    let cases: String = last
        .iter()
        .map(|(id, seq)| format!(" WHEN {id} THEN {seq}"))
        .collect();
    let ids: Vec<String> = last.keys().map(i64::to_string).collect();
    conn.execute_unprepared(&format!(
        "UPDATE rooms SET last_seq = CASE id{cases} END WHERE id IN ({})",
        ids.join(", ")
    ))
    .await?;
    order
        .into_iter()
        .map(|key| {
            stored
                .remove(&key)
                .ok_or_else(|| AppError::internal("a stored message was not returned"))
        })
        .collect()
}

/// Store one message in its own transaction (seeding, tools). Live traffic
/// goes through the group-commit writer in `messaging::writer`.
pub async fn insert(db: &DatabaseConnection, new: &NewMessage<'_>) -> AppResult<Stored> {
    let txn = super::begin_write(db).await?;
    let stored = insert_in(&txn, new).await?;
    txn.commit().await?;
    Ok(stored)
}

/// Which slice of a room's history to read.
#[derive(Clone, Copy, Debug)]
pub enum Page {
    /// Oldest first, starting after this seq.
    After(i64),
    /// The newest messages before this seq.
    Before(i64),
    Newest,
}

/// Up to `limit` messages, oldest first, and whether more lie beyond them.
pub async fn page(
    db: &DatabaseConnection,
    room_id: i64,
    page: Page,
    limit: u64,
) -> AppResult<(Vec<MessageView>, bool)> {
    let mut query = message::Entity::find().filter(message::Column::RoomId.eq(room_id));
    query = match page {
        Page::After(seq) => query
            .filter(message::Column::Seq.gt(seq))
            .order_by_asc(message::Column::Seq),
        Page::Before(seq) => query
            .filter(message::Column::Seq.lt(seq))
            .order_by_desc(message::Column::Seq),
        Page::Newest => query.order_by_desc(message::Column::Seq),
    };
    let mut rows = query.limit(limit + 1).all(db).await?;
    let has_more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    if !matches!(page, Page::After(_)) {
        rows.reverse();
    }
    Ok((with_names(db, rows).await?, has_more))
}

/// Messages up to `up_to_seq` edited or deleted after `since`, oldest first
/// (at most `limit`, and whether there were more).
pub async fn changed_since(
    db: &DatabaseConnection,
    room_id: i64,
    up_to_seq: i64,
    since: DateTime<Utc>,
    limit: u64,
) -> AppResult<(Vec<MessageView>, bool)> {
    let mut rows = message::Entity::find()
        .filter(message::Column::RoomId.eq(room_id))
        .filter(message::Column::Seq.lte(up_to_seq))
        .filter(
            Condition::any()
                .add(message::Column::EditedAt.gt(since))
                .add(message::Column::DeletedAt.gt(since))
                .add(message::Column::HiddenAt.gt(since)),
        )
        .order_by_asc(message::Column::Seq)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((with_names(db, rows).await?, more))
}

/// Attach author names with one query for the whole batch.
pub async fn with_names(
    db: &DatabaseConnection,
    rows: Vec<message::Model>,
) -> AppResult<Vec<MessageView>> {
    let mut ids: Vec<i64> = rows.iter().map(|m| m.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = super::users::find_many(db, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| {
            let name = names.get(&m.author_id).cloned().unwrap_or_default();
            to_view(m, name)
        })
        .collect())
}
