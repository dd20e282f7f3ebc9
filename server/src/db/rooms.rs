//! Queries on rooms and their members.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Condition, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QuerySelect, Set,
};
use shared::api::rooms::{ReadMarker, RoomKind, RoomSummary};
use shared::api::users::UserSummary;

use super::entities::{message, room, room_member, user};
use super::messages::to_view;
use crate::error::{AppError, AppResult};

pub fn kind_str(kind: RoomKind) -> &'static str {
    match kind {
        RoomKind::Direct => "direct",
        RoomKind::Mentorship => "mentorship",
        RoomKind::Coop => "coop",
    }
}

fn parse_kind(s: &str) -> RoomKind {
    match s {
        "mentorship" => RoomKind::Mentorship,
        "coop" => RoomKind::Coop,
        _ => RoomKind::Direct,
    }
}

pub async fn find(db: &DatabaseConnection, room_id: i64) -> AppResult<Option<room::Model>> {
    Ok(room::Entity::find_by_id(room_id).one(db).await?)
}

pub async fn is_member(db: &DatabaseConnection, room_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(room_member::Entity::find_by_id((room_id, user_id))
        .one(db)
        .await?
        .is_some())
}

/// The room, if `user_id` is one of its members: one query, since every
/// message sent asks.
pub async fn find_as_member(
    db: &DatabaseConnection,
    room_id: i64,
    user_id: i64,
) -> AppResult<Option<room::Model>> {
    let membership = sea_orm::sea_query::Query::select()
        .column(room_member::Column::RoomId)
        .from(room_member::Entity)
        .and_where(room_member::Column::RoomId.eq(room_id))
        .and_where(room_member::Column::UserId.eq(user_id))
        .to_owned();
    Ok(room::Entity::find_by_id(room_id)
        .filter(room::Column::Id.in_subquery(membership))
        .one(db)
        .await?)
}

/// The members of each of `room_ids`, in one query.
pub async fn members_of<C: ConnectionTrait>(
    conn: &C,
    room_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if room_ids.is_empty() {
        return Ok(out);
    }
    for m in room_member::Entity::find()
        .filter(room_member::Column::RoomId.is_in(room_ids.iter().copied()))
        .all(conn)
        .await?
    {
        out.entry(m.room_id).or_default().push(m.user_id);
    }
    Ok(out)
}

/// The direct room of two people, created on first use. Returns whether it was created.
pub async fn open_direct(
    db: &DatabaseConnection,
    a: i64,
    b: i64,
) -> AppResult<(room::Model, bool)> {
    let key = format!("{}:{}", a.min(b), a.max(b));
    if let Some(existing) = find_direct(db, &key).await? {
        return Ok((existing, false));
    }
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let inserted = room::ActiveModel {
        kind: Set(kind_str(RoomKind::Direct).into()),
        direct_key: Set(Some(key.clone())),
        last_seq: Set(0),
        created_at: Set(now),
        title: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(r) => r,
        // Both people opened it at the same moment: the other insert won.
        Err(e) if super::is_unique_violation(&e) => {
            txn.rollback().await?;
            let existing = find_direct(db, &key).await?.ok_or(AppError::NotFound)?;
            return Ok((existing, false));
        }
        Err(e) => return Err(e.into()),
    };
    for user_id in [a, b] {
        room_member::ActiveModel {
            room_id: Set(created.id),
            user_id: Set(user_id),
            joined_at: Set(now),
            last_read_seq: Set(0),
            muted: Set(false),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok((created, true))
}

/// A named room (a mentorship's or a co-op's) with its first members.
pub async fn create_named<C: ConnectionTrait>(
    conn: &C,
    kind: RoomKind,
    title: &str,
    members: &[i64],
) -> AppResult<room::Model> {
    let now = Utc::now();
    let created = room::ActiveModel {
        kind: Set(kind_str(kind).into()),
        direct_key: Set(None),
        last_seq: Set(0),
        created_at: Set(now),
        title: Set(Some(title.to_owned())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for &user_id in members {
        room_member::ActiveModel {
            room_id: Set(created.id),
            user_id: Set(user_id),
            joined_at: Set(now),
            last_read_seq: Set(0),
            muted: Set(false),
        }
        .insert(conn)
        .await?;
    }
    Ok(created)
}

async fn find_direct(db: &DatabaseConnection, key: &str) -> AppResult<Option<room::Model>> {
    Ok(room::Entity::find()
        .filter(room::Column::DirectKey.eq(key))
        .one(db)
        .await?)
}

/// Every room `viewer` belongs to, newest activity first.
pub async fn list_for(db: &DatabaseConnection, viewer: i64) -> AppResult<Vec<RoomSummary>> {
    let room_ids: Vec<i64> = room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(viewer))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.room_id)
        .collect();
    summaries(db, &room_ids, viewer).await
}

/// A room's title as a member reads it: its name, else the other members'
/// names (`others`, joined).
fn display_title(named: Option<String>, others: String) -> String {
    match named {
        Some(named) => named,
        None if others.is_empty() => "Just you".into(),
        None => others,
    }
}

/// What `viewer` calls each of `room_ids`, without the rest of a summary
/// (search shows only the titles).
pub async fn titles(
    db: &DatabaseConnection,
    room_ids: &[i64],
    viewer: i64,
) -> AppResult<HashMap<i64, String>> {
    let rooms = room::Entity::find()
        .filter(room::Column::Id.is_in(room_ids.iter().copied()))
        .all(db)
        .await?;
    let memberships = room_member::Entity::find()
        .filter(room_member::Column::RoomId.is_in(room_ids.iter().copied()))
        .filter(room_member::Column::UserId.ne(viewer))
        .all(db)
        .await?;
    let people: Vec<i64> = memberships.iter().map(|m| m.user_id).collect();
    let names = super::users::names_of(db, &people).await?;
    Ok(rooms
        .into_iter()
        .map(|r| {
            let others = memberships
                .iter()
                .filter(|m| m.room_id == r.id)
                .filter_map(|m| names.get(&m.user_id).map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ");
            (r.id, display_title(r.title, others))
        })
        .collect())
}

pub async fn summary(db: &DatabaseConnection, room_id: i64, viewer: i64) -> AppResult<RoomSummary> {
    summaries(db, &[room_id], viewer)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

async fn summaries(
    db: &DatabaseConnection,
    room_ids: &[i64],
    viewer: i64,
) -> AppResult<Vec<RoomSummary>> {
    if room_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rooms = room::Entity::find()
        .filter(room::Column::Id.is_in(room_ids.iter().copied()))
        .all(db)
        .await?;
    let memberships = room_member::Entity::find()
        .filter(room_member::Column::RoomId.is_in(room_ids.iter().copied()))
        .all(db)
        .await?;
    let user_ids: Vec<i64> = memberships.iter().map(|m| m.user_id).collect();
    let people: HashMap<i64, user::Model> = super::users::find_many(db, &user_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let name = |id: i64| {
        people
            .get(&id)
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    };
    let my_read: HashMap<i64, i64> = memberships
        .iter()
        .filter(|m| m.user_id == viewer)
        .map(|m| (m.room_id, m.last_read_seq))
        .collect();

    let mut last_condition = Condition::any();
    for r in rooms.iter().filter(|r| r.last_seq > 0) {
        last_condition = last_condition.add(
            Condition::all()
                .add(message::Column::RoomId.eq(r.id))
                .add(message::Column::Seq.eq(r.last_seq)),
        );
    }
    let mut last_messages: HashMap<i64, message::Model> = HashMap::new();
    if rooms.iter().any(|r| r.last_seq > 0) {
        for m in message::Entity::find()
            .filter(last_condition)
            .all(db)
            .await?
        {
            last_messages.insert(m.room_id, m);
        }
    }
    let unread = unread_counts(db, &my_read, viewer).await?;

    let mut out: Vec<RoomSummary> = rooms
        .into_iter()
        .map(|r| {
            let here: Vec<&room_member::Model> =
                memberships.iter().filter(|m| m.room_id == r.id).collect();
            let members: Vec<UserSummary> = here
                .iter()
                .map(|m| UserSummary {
                    id: m.user_id,
                    display_name: name(m.user_id),
                })
                .collect();
            let title = members
                .iter()
                .filter(|m| m.id != viewer)
                .map(|m| m.display_name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            // Receipts only from people who allow them.
            let read_by = here
                .iter()
                .filter(|m| m.user_id != viewer)
                .filter(|m| people.get(&m.user_id).is_some_and(|u| u.read_receipts))
                .map(|m| ReadMarker {
                    user_id: m.user_id,
                    seq: m.last_read_seq,
                })
                .collect();
            let last_message = last_messages.remove(&r.id).map(|m| {
                let author = name(m.author_id);
                to_view(m, author)
            });
            RoomSummary {
                id: r.id,
                kind: parse_kind(&r.kind),
                title: display_title(r.title.clone(), title),
                members,
                last_seq: r.last_seq,
                last_message,
                last_read_seq: my_read.get(&r.id).copied().unwrap_or(0),
                unread_count: unread.get(&r.id).copied().unwrap_or(0),
                read_by,
                muted: here.iter().any(|m| m.user_id == viewer && m.muted),
                coop_id: r.coop_id,
                archived: r.archived_at.is_some(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let at = |s: &RoomSummary| s.last_message.as_ref().map(|m| m.created_at);
        at(b).cmp(&at(a)).then(b.id.cmp(&a.id))
    });
    Ok(out)
}

#[derive(FromQueryResult)]
struct RoomCount {
    room_id: i64,
    n: i64,
}

/// Unread messages per room: others' live messages after the reader's marker,
/// counted in one grouped query.
async fn unread_counts(
    db: &DatabaseConnection,
    read: &HashMap<i64, i64>,
    reader: i64,
) -> AppResult<HashMap<i64, i64>> {
    if read.is_empty() {
        return Ok(HashMap::new());
    }
    let mut after_marker = Condition::any();
    for (room_id, seq) in read {
        after_marker = after_marker.add(
            Condition::all()
                .add(message::Column::RoomId.eq(*room_id))
                .add(message::Column::Seq.gt(*seq)),
        );
    }
    let rows = message::Entity::find()
        .select_only()
        .column(message::Column::RoomId)
        .column_as(Expr::from(Func::count(Expr::col(message::Column::Id))), "n")
        .filter(after_marker)
        .filter(message::Column::AuthorId.ne(reader))
        .filter(message::Column::DeletedAt.is_null())
        .group_by(message::Column::RoomId)
        .into_model::<RoomCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.room_id, r.n)).collect())
}

/// Move `reader`'s marker forward to `seq` (never back, never past the last
/// message). Returns the marker and the unread count after the move, and
/// whether it moved.
pub async fn mark_read(
    db: &DatabaseConnection,
    room: &room::Model,
    reader: i64,
    seq: i64,
) -> AppResult<(i64, i64, bool)> {
    let member = room_member::Entity::find_by_id((room.id, reader))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = seq.min(room.last_seq);
    let moved = target > member.last_read_seq;
    if moved {
        // Conditional, so two tabs racing cannot move the marker back.
        room_member::Entity::update_many()
            .col_expr(room_member::Column::LastReadSeq, Expr::value(target))
            .filter(room_member::Column::RoomId.eq(room.id))
            .filter(room_member::Column::UserId.eq(reader))
            .filter(room_member::Column::LastReadSeq.lt(target))
            .exec(db)
            .await?;
    }
    let marker = target.max(member.last_read_seq);
    let unread = unread_counts(db, &HashMap::from([(room.id, marker)]), reader)
        .await?
        .get(&room.id)
        .copied()
        .unwrap_or(0);
    Ok((marker, unread, moved))
}

/// A member as the writer needs them: to deliver, and to resolve mentions.
pub struct RosterEntry {
    pub user_id: i64,
    pub display_name: String,
    pub muted: bool,
}

/// The members of each of `room_ids` with their names and mute setting.
pub async fn roster_of<C: ConnectionTrait>(
    conn: &C,
    room_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<RosterEntry>>> {
    let mut out: HashMap<i64, Vec<RosterEntry>> = HashMap::new();
    if room_ids.is_empty() {
        return Ok(out);
    }
    let rows = room_member::Entity::find()
        .filter(room_member::Column::RoomId.is_in(room_ids.iter().copied()))
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.user_id).collect();
    let names: HashMap<i64, String> = super::users::find_many(conn, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    for m in rows {
        out.entry(m.room_id).or_default().push(RosterEntry {
            user_id: m.user_id,
            display_name: names.get(&m.user_id).cloned().unwrap_or_default(),
            muted: m.muted,
        });
    }
    Ok(out)
}

/// Take `user_id` out of the room. Returns whether they were a member.
pub async fn remove_member(db: &DatabaseConnection, room_id: i64, user_id: i64) -> AppResult<bool> {
    let gone = room_member::Entity::delete_by_id((room_id, user_id))
        .exec(db)
        .await?;
    Ok(gone.rows_affected > 0)
}

/// Put `user_id` (back) into the room; a returning member's read marker
/// starts again, so what they missed shows as unread.
pub async fn add_member(db: &DatabaseConnection, room_id: i64, user_id: i64) -> AppResult<()> {
    if is_member(db, room_id, user_id).await? {
        return Ok(());
    }
    let inserted = room_member::ActiveModel {
        room_id: Set(room_id),
        user_id: Set(user_id),
        joined_at: Set(Utc::now()),
        last_read_seq: Set(0),
        muted: Set(false),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        // Added twice at once: the other insert did it.
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A member's own setting for a room.
pub async fn set_muted(
    db: &DatabaseConnection,
    room_id: i64,
    user_id: i64,
    muted: bool,
) -> AppResult<()> {
    room_member::Entity::update_many()
        .col_expr(room_member::Column::Muted, Expr::value(muted))
        .filter(room_member::Column::RoomId.eq(room_id))
        .filter(room_member::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Everyone who shares at least one room with `user` (not `user`).
pub async fn contacts_of(db: &DatabaseConnection, user: i64) -> AppResult<Vec<i64>> {
    let mine = room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(user))
        .all(db)
        .await?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = room_member::Entity::find()
        .filter(room_member::Column::RoomId.is_in(mine.iter().map(|m| m.room_id)))
        .filter(room_member::Column::UserId.ne(user))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
