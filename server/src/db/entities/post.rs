//! `posts`: a thread's opening post and its replies.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub organisation_id: Option<i64>,
    /// Markdown source.
    pub body: String,
    /// What a reader sees as text: searched, quoted, and cut into snippets.
    pub plain: String,
    /// The thread title on the opening post (so titles are searched), else empty.
    pub search_title: String,
    pub quote_post_id: Option<i64>,
    pub opening: bool,
    pub helpful_count: i64,
    pub created_at: ChronoDateTimeUtc,
    pub edited_at: Option<ChronoDateTimeUtc>,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    /// Hidden by a moderator: readers see a tombstone with this reason.
    pub hidden_at: Option<ChronoDateTimeUtc>,
    pub hidden_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
