//! `organisations`: member organisations; lists are JSON arrays of slugs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub activity_types: String,
    pub locality: String,
    pub populations_served: String,
    pub size: String,
    pub charity_number: Option<String>,
    pub status: String,
    pub decision_reason: Option<String>,
    pub safeguarding_lead_id: Option<i64>,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub decided_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
