//! What readers see of threads and posts: summaries with the reader's own
//! unread count and follow, and posts rendered with the glossary.

use std::collections::HashMap;

use shared::api::threads::{PostView, QuoteView, ThreadSummary, Visibility};
use shared::api::users::UserSummary;

use crate::db;
use crate::db::entities::{post, thread};
use crate::domain::markdown::{self, GlossaryEntry};
use crate::error::{AppError, AppResult};
use sea_orm::DatabaseConnection;

/// How much of a quoted post the quote shows.
const QUOTE_CHARS: usize = 280;

fn person(names: &HashMap<i64, String>, id: i64) -> UserSummary {
    UserSummary {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    }
}

pub fn visibility_of(t: &thread::Model) -> Visibility {
    match t.coop_id {
        None => Visibility::Members,
        Some(coop_id) => Visibility::Coop { coop_id },
    }
}

/// Summaries of `threads` for `reader`, in the given order.
pub async fn summaries(
    db: &DatabaseConnection,
    reader: i64,
    threads: &[thread::Model],
) -> AppResult<Vec<ThreadSummary>> {
    let ids: Vec<i64> = threads.iter().map(|t| t.id).collect();
    let topics = db::threads::topics_of(db, &ids).await?;
    let replies = db::threads::reply_counts(db, &ids).await?;
    let unread = db::threads::unread_counts(db, reader, &ids).await?;
    let followed = db::threads::followed(db, reader, &ids).await?;
    let author_ids: Vec<i64> = threads.iter().map(|t| t.author_id).collect();
    let names = db::users::names_of(db, &author_ids).await?;
    let org_ids: Vec<i64> = threads.iter().filter_map(|t| t.organisation_id).collect();
    let orgs = db::organisations::find_many(db, &org_ids).await?;
    Ok(threads
        .iter()
        .map(|t| ThreadSummary {
            id: t.id,
            title: t.title.clone(),
            topics: topics.get(&t.id).cloned().unwrap_or_default(),
            activity_types: db::threads::activity_types_of(t),
            visibility: visibility_of(t),
            author: person(&names, t.author_id),
            organisation: t
                .organisation_id
                .and_then(|o| orgs.get(&o))
                .map(|o| o.name.clone()),
            reply_count: replies.get(&t.id).copied().unwrap_or(0),
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
            pinned: t.pinned,
            locked: t.locked,
            closed: t.closed,
            answer_post_id: t.answer_post_id,
            unread_count: unread.get(&t.id).copied().unwrap_or(0),
            following: followed.contains(&t.id),
        })
        .collect())
}

/// Posts as every reader sees them (so one view can be pushed live to all).
pub async fn posts(
    db: &DatabaseConnection,
    posts: &[post::Model],
    glossary: &[GlossaryEntry],
) -> AppResult<Vec<PostView>> {
    let quoted_ids: Vec<i64> = posts.iter().filter_map(|p| p.quote_post_id).collect();
    let mut quoted: HashMap<i64, post::Model> = posts
        .iter()
        .filter(|p| quoted_ids.contains(&p.id))
        .map(|p| (p.id, p.clone()))
        .collect();
    let missing: Vec<i64> = quoted_ids
        .iter()
        .copied()
        .filter(|id| !quoted.contains_key(id))
        .collect();
    for p in db::threads::posts_by_id(db, &missing).await? {
        quoted.insert(p.id, p);
    }
    let mut people: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
    people.extend(quoted.values().map(|p| p.author_id));
    let names = db::users::names_of(db, &people).await?;
    let org_ids: Vec<i64> = posts.iter().filter_map(|p| p.organisation_id).collect();
    let orgs = db::organisations::find_many(db, &org_ids).await?;
    Ok(posts
        .iter()
        .map(|p| {
            let deleted = p.deleted_at.is_some();
            let hidden = p.hidden_at.is_some();
            PostView {
                id: p.id,
                thread_id: p.thread_id,
                author: person(&names, p.author_id),
                organisation: p
                    .organisation_id
                    .and_then(|o| orgs.get(&o))
                    .map(|o| o.name.clone()),
                body: if hidden {
                    String::new()
                } else {
                    p.body.clone()
                },
                html: if deleted || hidden {
                    String::new()
                } else {
                    markdown::render(&p.body, glossary, &format!("p{}", p.id))
                },
                quote: p
                    .quote_post_id
                    .and_then(|q| quoted.get(&q))
                    .map(|q| QuoteView {
                        post_id: q.id,
                        author: person(&names, q.author_id),
                        excerpt: if q.hidden_at.is_some() {
                            String::new()
                        } else {
                            db::notifications::excerpt_of(&q.plain, QUOTE_CHARS)
                        },
                    }),
                created_at: p.created_at,
                edited_at: p.edited_at,
                deleted,
                hidden,
                helpful_count: p.helpful_count,
                opening: p.opening,
            }
        })
        .collect())
}

/// One post, for a live event or a route's answer.
pub async fn post(db: &DatabaseConnection, p: &post::Model) -> AppResult<PostView> {
    let glossary = db::glossary::entries(db).await?;
    posts(db, std::slice::from_ref(p), &glossary)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(format!("post {} has no view", p.id)))
}
