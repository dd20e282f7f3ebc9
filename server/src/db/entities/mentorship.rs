//! `mentorships`: one mentor with one organisation, through its lifecycle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentorships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub mentor_id: i64,
    pub status: String,
    pub room_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub activity_at: ChronoDateTimeUtc,
    pub last_nudged_at: Option<ChronoDateTimeUtc>,
    pub mentor_reflection: Option<String>,
    pub organisation_reflection: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
