//! `reports`: content reported for moderation (see `db::moderation`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reporter_id: Option<i64>,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    pub content_author_id: Option<i64>,
    pub content_text: String,
    pub reason: String,
    pub detail: String,
    pub status: String,
    pub created_at: ChronoDateTimeUtc,
    pub resolved_at: Option<ChronoDateTimeUtc>,
    pub resolved_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
