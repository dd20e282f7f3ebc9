//! `rooms`: a conversation of any kind; `last_seq` hands out message seqs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `direct`, `mentorship` or `coop` (see `shared::api::rooms::RoomKind`).
    pub kind: String,
    pub direct_key: Option<String>,
    pub last_seq: i64,
    pub created_at: ChronoDateTimeUtc,
    /// The name of a mentorship or co-op room; direct rooms are named after the people.
    pub title: Option<String>,
    /// The co-op a `coop` room belongs to.
    pub coop_id: Option<i64>,
    /// Archived co-op rooms keep their history and take no new messages.
    pub archived_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
