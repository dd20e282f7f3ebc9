//! `coop_events`: a co-op's meetings and deadlines.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub coop_id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: ChronoDateTimeUtc,
    pub ends_at: Option<ChronoDateTimeUtc>,
    pub all_day: bool,
    pub place: String,
    pub link: String,
    pub description: String,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
