//! Read markers, the read-receipt setting, edits and tombstones.

use sea_orm_migration::prelude::*;

use crate::columns::{id, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    ReadReceipts,
}

#[derive(DeriveIden)]
enum RoomMembers {
    Table,
    LastReadSeq,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    EditedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum MessageEdits {
    Table,
    Id,
    MessageId,
    PreviousBody,
    ChangedAt,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::ReadReceipts)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .add_column(
                        ColumnDef::new(RoomMembers::LastReadSeq)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        for col in [Messages::EditedAt, Messages::DeletedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Messages::Table)
                        .add_column(ColumnDef::new(col).timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        // Earlier bodies of edited and deleted messages, for moderators only.
        manager
            .create_table(
                Table::create()
                    .table(MessageEdits::Table)
                    .col(id(MessageEdits::Id))
                    .col(
                        ColumnDef::new(MessageEdits::MessageId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MessageEdits::PreviousBody).text().not_null())
                    .col(timestamp(MessageEdits::ChangedAt))
                    // `edit` or `delete`.
                    .col(ColumnDef::new(MessageEdits::Kind).string().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageEdits::Table, MessageEdits::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("message_edits_message_id_idx")
                    .table(MessageEdits::Table)
                    .col(MessageEdits::MessageId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MessageEdits::Table).to_owned())
            .await
    }
}
