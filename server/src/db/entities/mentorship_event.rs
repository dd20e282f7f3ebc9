//! `mentorship_events`: every lifecycle step, append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentorship_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mentorship_id: i64,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: i64,
    pub reason: Option<String>,
    pub at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
