//! `moderation_actions`: what moderators did, append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: ChronoDateTimeUtc,
    pub moderator_id: Option<i64>,
    pub action: String,
    pub user_id: Option<i64>,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    pub report_id: Option<i64>,
    pub reason: String,
    pub until: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
