//! `threads`: one row per practice thread; its text is its opening post.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub author_id: i64,
    pub organisation_id: Option<i64>,
    /// `None`: every member may read it; `Some`: only that co-operative.
    pub coop_id: Option<i64>,
    /// JSON array of activity-type slugs.
    pub activity_types: String,
    pub created_at: ChronoDateTimeUtc,
    pub last_activity_at: ChronoDateTimeUtc,
    pub pinned: bool,
    pub locked: bool,
    pub closed: bool,
    pub answer_post_id: Option<i64>,
    pub deleted_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
