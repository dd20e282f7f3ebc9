//! `glossary_terms`: the shared glossary: approved terms and suggestions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "glossary_terms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub term: String,
    /// The term lower-cased: one live entry per key.
    pub term_key: String,
    /// JSON array of other ways of writing it.
    pub aliases: String,
    pub definition: String,
    /// `shared::taxonomy::ApprovalStatus` slug.
    pub status: String,
    pub suggested_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub decided_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
