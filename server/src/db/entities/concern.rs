//! `concerns`: safeguarding concerns (see `db::concerns`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concerns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub raised_by: i64,
    pub organisation_id: Option<i64>,
    pub priority: String,
    pub status: String,
    pub at_risk: String,
    pub what_happened: String,
    pub message_id: Option<i64>,
    pub post_id: Option<i64>,
    pub context_text: Option<String>,
    pub context_author_id: Option<i64>,
    pub created_at: ChronoDateTimeUtc,
    pub ack_due_at: ChronoDateTimeUtc,
    pub acknowledged_at: Option<ChronoDateTimeUtc>,
    pub closed_at: Option<ChronoDateTimeUtc>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
