//! `mentorship_goals`: what a mentorship is working towards.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentorship_goals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mentorship_id: i64,
    pub title: String,
    pub status: String,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
