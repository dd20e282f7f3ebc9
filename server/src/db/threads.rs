//! Queries on practice threads: threads and their topics, posts, helpful
//! marks, read positions and follows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use shared::taxonomy::{ActivityType, Topic};

use super::entities::{post, thread, thread_follow, thread_read, thread_topic, topic_follow};
use super::{begin_write, lists};
use crate::error::{AppError, AppResult};

/// Threads a list shows at most.
const LIST_LIMIT: u64 = 200;

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<thread::Model>> {
    Ok(thread::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_post(db: &DatabaseConnection, id: i64) -> AppResult<Option<post::Model>> {
    Ok(post::Entity::find_by_id(id).one(db).await?)
}

/// The thread's opening post.
pub async fn opening_post(
    db: &DatabaseConnection,
    thread_id: i64,
) -> AppResult<Option<post::Model>> {
    Ok(post::Entity::find()
        .filter(post::Column::ThreadId.eq(thread_id))
        .filter(post::Column::Opening.eq(true))
        .one(db)
        .await?)
}

pub fn activity_types_of(t: &thread::Model) -> Vec<ActivityType> {
    lists::decode(&t.activity_types)
}

/// A new thread: its row, topics and opening post.
pub struct NewThread<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub plain: &'a str,
    pub topics: &'a [Topic],
    pub activity_types: &'a [ActivityType],
    pub coop_id: Option<i64>,
    pub author_id: i64,
    pub organisation_id: Option<i64>,
}

/// Store a thread with its opening post; the author follows it and has read it.
pub async fn create(
    db: &DatabaseConnection,
    new: NewThread<'_>,
) -> AppResult<(thread::Model, post::Model)> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let t = thread::ActiveModel {
        title: Set(new.title.to_owned()),
        author_id: Set(new.author_id),
        organisation_id: Set(new.organisation_id),
        coop_id: Set(new.coop_id),
        activity_types: Set(lists::encode(new.activity_types)),
        created_at: Set(now),
        last_activity_at: Set(now),
        pinned: Set(false),
        locked: Set(false),
        closed: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_topics(&txn, t.id, new.topics).await?;
    let p = post::ActiveModel {
        thread_id: Set(t.id),
        author_id: Set(new.author_id),
        organisation_id: Set(new.organisation_id),
        body: Set(new.body.to_owned()),
        plain: Set(new.plain.to_owned()),
        search_title: Set(new.title.to_owned()),
        opening: Set(true),
        helpful_count: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    follow_in(&txn, t.id, new.author_id).await?;
    read_in(&txn, t.id, new.author_id, p.id).await?;
    txn.commit().await?;
    Ok((t, p))
}

async fn set_topics<C: ConnectionTrait>(
    conn: &C,
    thread_id: i64,
    topics: &[Topic],
) -> AppResult<()> {
    thread_topic::Entity::delete_many()
        .filter(thread_topic::Column::ThreadId.eq(thread_id))
        .exec(conn)
        .await?;
    thread_topic::Entity::insert_many(topics.iter().map(|t| thread_topic::ActiveModel {
        thread_id: Set(thread_id),
        topic: Set(t.slug().to_owned()),
    }))
    .exec(conn)
    .await?;
    Ok(())
}

/// The author changes the title, topics and opening post.
pub async fn edit(db: &DatabaseConnection, t: &thread::Model, new: NewThread<'_>) -> AppResult<()> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let mut row = t.clone().into_active_model();
    row.title = Set(new.title.to_owned());
    row.activity_types = Set(lists::encode(new.activity_types));
    row.update(&txn).await?;
    set_topics(&txn, t.id, new.topics).await?;
    post::Entity::update_many()
        .col_expr(post::Column::Body, Expr::value(new.body))
        .col_expr(post::Column::Plain, Expr::value(new.plain))
        .col_expr(post::Column::SearchTitle, Expr::value(new.title))
        .col_expr(post::Column::EditedAt, Expr::value(now))
        .filter(post::Column::ThreadId.eq(t.id))
        .filter(post::Column::Opening.eq(true))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn topics_of(
    db: &DatabaseConnection,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Topic>>> {
    let rows = thread_topic::Entity::find()
        .filter(thread_topic::Column::ThreadId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<Topic>> = HashMap::new();
    for r in rows {
        if let Some(topic) = Topic::from_slug(&r.topic) {
            out.entry(r.thread_id).or_default().push(topic);
        }
    }
    for topics in out.values_mut() {
        topics.sort();
    }
    Ok(out)
}

/// Which threads a list shows.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Open threads and those of the co-ops the reader may read.
    Readable(&'a [i64]),
    /// Only one co-op's threads (the caller checked the reader is in it).
    Coop(i64),
}

/// Threads newest activity first (pinned first), in `scope`, optionally
/// under one topic.
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope<'_>,
    topic: Option<Topic>,
) -> AppResult<Vec<thread::Model>> {
    let mut q = thread::Entity::find().filter(thread::Column::DeletedAt.is_null());
    q = match scope {
        Scope::Readable(coops) => q.filter(
            Condition::any()
                .add(thread::Column::CoopId.is_null())
                .add(thread::Column::CoopId.is_in(coops.iter().copied())),
        ),
        Scope::Coop(coop_id) => q.filter(thread::Column::CoopId.eq(coop_id)),
    };
    if let Some(topic) = topic {
        q = q.filter(
            thread::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(thread_topic::Column::ThreadId)
                    .from(thread_topic::Entity)
                    .and_where(thread_topic::Column::Topic.eq(topic.slug()))
                    .to_owned(),
            ),
        );
    }
    Ok(q.order_by_desc(thread::Column::Pinned)
        .order_by_desc(thread::Column::LastActivityAt)
        .order_by_desc(thread::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?)
}

#[derive(FromQueryResult)]
struct Count {
    thread_id: i64,
    n: i64,
}

/// Live (not deleted) replies per thread.
pub async fn reply_counts(db: &DatabaseConnection, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let rows = post::Entity::find()
        .select_only()
        .column(post::Column::ThreadId)
        .column_as(post::Column::Id.count(), "n")
        .filter(post::Column::ThreadId.is_in(ids.iter().copied()))
        .filter(post::Column::Opening.eq(false))
        .filter(post::Column::DeletedAt.is_null())
        .group_by(post::Column::ThreadId)
        .into_model::<Count>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.thread_id, r.n)).collect())
}

/// `user`'s read marker in each of the threads (absent: never opened).
pub async fn read_markers(
    db: &DatabaseConnection,
    user: i64,
    ids: &[i64],
) -> AppResult<HashMap<i64, i64>> {
    Ok(thread_read::Entity::find()
        .filter(thread_read::Column::UserId.eq(user))
        .filter(thread_read::Column::ThreadId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.thread_id, r.last_read_post_id))
        .collect())
}

/// Live posts after `user`'s read marker, per thread.
pub async fn unread_counts(
    db: &DatabaseConnection,
    user: i64,
    ids: &[i64],
) -> AppResult<HashMap<i64, i64>> {
    let markers = read_markers(db, user, ids).await?;
    // Only posts newer than the oldest marker can be unread; one query for all.
    let rows: Vec<(i64, i64)> = post::Entity::find()
        .select_only()
        .column(post::Column::ThreadId)
        .column(post::Column::Id)
        .filter(post::Column::ThreadId.is_in(ids.iter().copied()))
        .filter(post::Column::DeletedAt.is_null())
        .filter(post::Column::AuthorId.ne(user))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for (thread_id, post_id) in rows {
        if post_id > markers.get(&thread_id).copied().unwrap_or(0) {
            *out.entry(thread_id).or_insert(0) += 1;
        }
    }
    Ok(out)
}

pub async fn posts(db: &DatabaseConnection, thread_id: i64) -> AppResult<Vec<post::Model>> {
    Ok(post::Entity::find()
        .filter(post::Column::ThreadId.eq(thread_id))
        .order_by_asc(post::Column::Id)
        .all(db)
        .await?)
}

pub async fn posts_by_id(db: &DatabaseConnection, ids: &[i64]) -> AppResult<Vec<post::Model>> {
    Ok(post::Entity::find()
        .filter(post::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// A reply. Refused if the thread was closed or locked meanwhile (the check
/// and the insert share a write transaction).
pub async fn reply(
    db: &DatabaseConnection,
    thread_id: i64,
    author_id: i64,
    organisation_id: Option<i64>,
    body: &str,
    plain: &str,
    quote_post_id: Option<i64>,
) -> AppResult<post::Model> {
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let t = thread::Entity::find_by_id(thread_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.locked || t.closed {
        return Err(AppError::conflict(if t.locked {
            "This thread is locked: no new replies."
        } else {
            "This thread is closed: no new replies."
        }));
    }
    let p = post::ActiveModel {
        thread_id: Set(thread_id),
        author_id: Set(author_id),
        organisation_id: Set(organisation_id),
        body: Set(body.to_owned()),
        plain: Set(plain.to_owned()),
        search_title: Set(String::new()),
        quote_post_id: Set(quote_post_id),
        opening: Set(false),
        helpful_count: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    thread::Entity::update_many()
        .col_expr(thread::Column::LastActivityAt, Expr::value(now))
        .filter(thread::Column::Id.eq(thread_id))
        .exec(&txn)
        .await?;
    follow_in(&txn, thread_id, author_id).await?;
    read_in(&txn, thread_id, author_id, p.id).await?;
    txn.commit().await?;
    Ok(p)
}

/// Replace a post's text (the author's edit).
pub async fn edit_post(
    db: &DatabaseConnection,
    p: &post::Model,
    body: &str,
    plain: &str,
) -> AppResult<post::Model> {
    let mut row = p.clone().into_active_model();
    row.body = Set(body.to_owned());
    row.plain = Set(plain.to_owned());
    row.edited_at = Set(Some(Utc::now()));
    Ok(row.update(db).await?)
}

/// Tombstone a post: its text is gone (and so out of the search index); it
/// stops being the answer.
pub async fn delete_post(db: &DatabaseConnection, p: &post::Model) -> AppResult<post::Model> {
    let txn = begin_write(db).await?;
    let mut row = p.clone().into_active_model();
    row.body = Set(String::new());
    row.plain = Set(String::new());
    row.search_title = Set(String::new());
    row.deleted_at = Set(Some(Utc::now()));
    let out = row.update(&txn).await?;
    thread::Entity::update_many()
        .col_expr(
            thread::Column::AnswerPostId,
            Expr::value(Option::<i64>::None),
        )
        .filter(thread::Column::AnswerPostId.eq(p.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Remove a thread from every list, page and search (rows kept, text emptied).
pub async fn delete(db: &DatabaseConnection, t: &thread::Model) -> AppResult<()> {
    let now: DateTime<Utc> = Utc::now();
    let txn = begin_write(db).await?;
    thread::Entity::update_many()
        .col_expr(thread::Column::DeletedAt, Expr::value(now))
        .filter(thread::Column::Id.eq(t.id))
        .exec(&txn)
        .await?;
    post::Entity::update_many()
        .col_expr(post::Column::Body, Expr::value(""))
        .col_expr(post::Column::Plain, Expr::value(""))
        .col_expr(post::Column::SearchTitle, Expr::value(""))
        .col_expr(post::Column::DeletedAt, Expr::value(now))
        .filter(post::Column::ThreadId.eq(t.id))
        .filter(post::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Mark or unmark a post helpful for `user`; returns the new count.
pub async fn set_helpful(
    db: &DatabaseConnection,
    post_id: i64,
    user: i64,
    helpful: bool,
) -> AppResult<i64> {
    use super::entities::helpful_mark;
    let txn = begin_write(db).await?;
    if helpful {
        helpful_mark::Entity::insert(helpful_mark::ActiveModel {
            post_id: Set(post_id),
            user_id: Set(user),
            created_at: Set(Utc::now()),
        })
        .on_conflict_do_nothing_on([helpful_mark::Column::PostId, helpful_mark::Column::UserId])
        .exec(&txn)
        .await?;
    } else {
        helpful_mark::Entity::delete_many()
            .filter(helpful_mark::Column::PostId.eq(post_id))
            .filter(helpful_mark::Column::UserId.eq(user))
            .exec(&txn)
            .await?;
    }
    let n = helpful_mark::Entity::find()
        .filter(helpful_mark::Column::PostId.eq(post_id))
        .count(&txn)
        .await?;
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    post::Entity::update_many()
        .col_expr(post::Column::HelpfulCount, Expr::value(n))
        .filter(post::Column::Id.eq(post_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(n)
}

/// The posts of a thread `user` marked helpful.
pub async fn helped(db: &DatabaseConnection, thread_id: i64, user: i64) -> AppResult<Vec<i64>> {
    use super::entities::helpful_mark;
    Ok(helpful_mark::Entity::find()
        .select_only()
        .column(helpful_mark::Column::PostId)
        .filter(helpful_mark::Column::UserId.eq(user))
        .filter(
            helpful_mark::Column::PostId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(post::Column::Id)
                    .from(post::Entity)
                    .and_where(post::Column::ThreadId.eq(thread_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?)
}

/// Pin, lock or close (absent: unchanged).
pub async fn set_state(
    db: &DatabaseConnection,
    t: &thread::Model,
    pinned: Option<bool>,
    locked: Option<bool>,
    closed: Option<bool>,
) -> AppResult<()> {
    let mut row = t.clone().into_active_model();
    if let Some(v) = pinned {
        row.pinned = Set(v);
    }
    if let Some(v) = locked {
        row.locked = Set(v);
    }
    if let Some(v) = closed {
        row.closed = Set(v);
    }
    row.update(db).await?;
    Ok(())
}

pub async fn set_answer(
    db: &DatabaseConnection,
    t: &thread::Model,
    post: Option<i64>,
) -> AppResult<()> {
    let mut row = t.clone().into_active_model();
    row.answer_post_id = Set(post);
    row.update(db).await?;
    Ok(())
}

async fn follow_in<C: ConnectionTrait>(conn: &C, thread_id: i64, user: i64) -> AppResult<()> {
    thread_follow::Entity::insert(thread_follow::ActiveModel {
        thread_id: Set(thread_id),
        user_id: Set(user),
    })
    .on_conflict_do_nothing_on([
        thread_follow::Column::ThreadId,
        thread_follow::Column::UserId,
    ])
    .exec(conn)
    .await?;
    Ok(())
}

pub async fn set_follow(
    db: &DatabaseConnection,
    thread_id: i64,
    user: i64,
    on: bool,
) -> AppResult<()> {
    if on {
        follow_in(db, thread_id, user).await
    } else {
        thread_follow::Entity::delete_many()
            .filter(thread_follow::Column::ThreadId.eq(thread_id))
            .filter(thread_follow::Column::UserId.eq(user))
            .exec(db)
            .await?;
        Ok(())
    }
}

pub async fn set_topic_follow(
    db: &DatabaseConnection,
    topic: Topic,
    user: i64,
    on: bool,
) -> AppResult<()> {
    if on {
        topic_follow::Entity::insert(topic_follow::ActiveModel {
            user_id: Set(user),
            topic: Set(topic.slug().to_owned()),
        })
        .on_conflict_do_nothing_on([topic_follow::Column::Topic, topic_follow::Column::UserId])
        .exec(db)
        .await?;
    } else {
        topic_follow::Entity::delete_many()
            .filter(topic_follow::Column::Topic.eq(topic.slug()))
            .filter(topic_follow::Column::UserId.eq(user))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Of `ids`, the threads `user` follows.
pub async fn followed(db: &DatabaseConnection, user: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    Ok(thread_follow::Entity::find()
        .select_only()
        .column(thread_follow::Column::ThreadId)
        .filter(thread_follow::Column::UserId.eq(user))
        .filter(thread_follow::Column::ThreadId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn followed_topics(db: &DatabaseConnection, user: i64) -> AppResult<Vec<Topic>> {
    let rows: Vec<String> = topic_follow::Entity::find()
        .select_only()
        .column(topic_follow::Column::Topic)
        .filter(topic_follow::Column::UserId.eq(user))
        .into_tuple()
        .all(db)
        .await?;
    let mut topics: Vec<Topic> = rows.iter().filter_map(|s| Topic::from_slug(s)).collect();
    topics.sort();
    Ok(topics)
}

pub async fn thread_followers(db: &DatabaseConnection, thread_id: i64) -> AppResult<Vec<i64>> {
    Ok(thread_follow::Entity::find()
        .select_only()
        .column(thread_follow::Column::UserId)
        .filter(thread_follow::Column::ThreadId.eq(thread_id))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn topic_followers(db: &DatabaseConnection, topics: &[Topic]) -> AppResult<Vec<i64>> {
    let mut users: Vec<i64> = topic_follow::Entity::find()
        .select_only()
        .column(topic_follow::Column::UserId)
        .filter(topic_follow::Column::Topic.is_in(topics.iter().map(|t| t.slug())))
        .into_tuple()
        .all(db)
        .await?;
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

async fn read_in<C: ConnectionTrait>(
    conn: &C,
    thread_id: i64,
    user: i64,
    post_id: i64,
) -> AppResult<()> {
    let existing = thread_read::Entity::find_by_id((thread_id, user))
        .one(conn)
        .await?;
    match existing {
        Some(r) if r.last_read_post_id >= post_id => {}
        Some(_) => {
            thread_read::Entity::update_many()
                .col_expr(thread_read::Column::LastReadPostId, Expr::value(post_id))
                .filter(thread_read::Column::ThreadId.eq(thread_id))
                .filter(thread_read::Column::UserId.eq(user))
                .filter(thread_read::Column::LastReadPostId.lt(post_id))
                .exec(conn)
                .await?;
        }
        None => {
            thread_read::Entity::insert(thread_read::ActiveModel {
                thread_id: Set(thread_id),
                user_id: Set(user),
                last_read_post_id: Set(post_id),
            })
            .on_conflict(
                OnConflict::columns([thread_read::Column::ThreadId, thread_read::Column::UserId])
                    .update_column(thread_read::Column::LastReadPostId)
                    .to_owned(),
            )
            .exec(conn)
            .await?;
        }
    }
    Ok(())
}

/// Move `user`'s read marker forward to `post_id` (never back).
pub async fn mark_read(
    db: &DatabaseConnection,
    thread_id: i64,
    user: i64,
    post_id: i64,
) -> AppResult<()> {
    let txn = db.begin().await?;
    read_in(&txn, thread_id, user, post_id).await?;
    txn.commit().await?;
    Ok(())
}
