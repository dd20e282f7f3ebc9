//! `coop_requests`: join requests (`request`) and invitations (`invite`); at most one `pending` per co-op and organisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub coop_id: i64,
    pub organisation_id: i64,
    pub kind: String,
    pub status: String,
    pub message: String,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
