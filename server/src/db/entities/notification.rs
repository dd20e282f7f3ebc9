//! `notifications`: in-app notifications, one row per recipient: a mention
//! points at a message, a programme step at a mentorship or organisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// `shared::api::notifications::NotificationKind`, snake_case.
    pub kind: String,
    pub room_id: Option<i64>,
    pub message_id: Option<i64>,
    pub actor_id: i64,
    pub created_at: ChronoDateTimeUtc,
    pub read_at: Option<ChronoDateTimeUtc>,
    pub mentorship_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// What happened, for programme steps.
    pub text: Option<String>,
    /// Thread activity: the thread and the post.
    pub thread_id: Option<i64>,
    pub coop_id: Option<i64>,
    pub concern_id: Option<i64>,
    pub post_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
