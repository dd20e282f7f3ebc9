//! `coop_history`: what happened in a co-op, append-only (see `shared::api::coops::HistoryAction`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub coop_id: i64,
    pub action: String,
    pub actor_id: i64,
    pub organisation_id: Option<i64>,
    pub person_id: Option<i64>,
    pub detail: Option<String>,
    pub at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
