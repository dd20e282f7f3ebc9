//! `thread_topics`: the topics a thread sits under.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "thread_topics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub thread_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub topic: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
