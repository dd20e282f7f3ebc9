//! `coop_records`: a co-op's decisions and actions, maybe made from a message.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coop_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub coop_id: i64,
    pub kind: String,
    pub text: String,
    pub message_id: Option<i64>,
    pub owner_organisation_id: Option<i64>,
    pub owner_user_id: Option<i64>,
    pub due_on: Option<Date>,
    pub status: String,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_by: Option<i64>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
