//! Storing and paging messages. Seqs are handed out by bumping
//! `rooms.last_seq` in the same transaction as the insert, so they are
//! gap-free: a failed insert rolls the bump back.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use shared::api::rooms::MessageView;

use super::entities::{message, room};
use crate::error::{AppError, AppResult};

pub fn to_view(m: message::Model, author_name: String) -> MessageView {
    MessageView {
        id: m.id,
        room_id: m.room_id,
        seq: m.seq,
        author_id: m.author_id,
        author_name,
        body: m.body,
        created_at: m.created_at,
        client_msg_id: m.client_msg_id,
    }
}

pub struct Stored {
    pub message: message::Model,
    /// The same `client_msg_id` was sent before; nothing new was stored.
    pub duplicate: bool,
}

/// Store a message once per `(author, client_msg_id)`; durable when this returns.
pub async fn insert(
    db: &DatabaseConnection,
    room_id: i64,
    author_id: i64,
    client_msg_id: &str,
    body: &str,
) -> AppResult<Stored> {
    if let Some(existing) = find_by_client_id(db, author_id, client_msg_id).await? {
        return Ok(Stored {
            message: existing,
            duplicate: true,
        });
    }
    let txn = db.begin().await?;
    // The write comes first so SQLite takes its write lock at once (a read
    // first would make a later upgrade fail with SQLITE_BUSY instead of
    // waiting), and PostgreSQL locks the room row: senders to one room queue.
    let bumped = room::Entity::update_many()
        .col_expr(
            room::Column::LastSeq,
            Expr::col(room::Column::LastSeq).add(1),
        )
        .filter(room::Column::Id.eq(room_id))
        .exec_with_returning(&txn)
        .await?;
    let seq = bumped.first().ok_or(AppError::NotFound)?.last_seq;
    let inserted = message::ActiveModel {
        room_id: Set(room_id),
        seq: Set(seq),
        author_id: Set(author_id),
        body: Set(body.to_owned()),
        client_msg_id: Set(client_msg_id.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(message) => {
            txn.commit().await?;
            Ok(Stored {
                message,
                duplicate: false,
            })
        }
        // A concurrent retry of the same send won the race.
        Err(e) if super::is_unique_violation(&e) => {
            txn.rollback().await?;
            let existing = find_by_client_id(db, author_id, client_msg_id)
                .await?
                .ok_or_else(|| AppError::internal("unique violation without a row"))?;
            Ok(Stored {
                message: existing,
                duplicate: true,
            })
        }
        Err(e) => Err(e.into()),
    }
}

async fn find_by_client_id(
    db: &DatabaseConnection,
    author_id: i64,
    client_msg_id: &str,
) -> AppResult<Option<message::Model>> {
    Ok(message::Entity::find()
        .filter(message::Column::AuthorId.eq(author_id))
        .filter(message::Column::ClientMsgId.eq(client_msg_id))
        .one(db)
        .await?)
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
