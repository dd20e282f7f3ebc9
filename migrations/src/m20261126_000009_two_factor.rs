//! Two-factor sign-in: each account's TOTP secret (pending until the first
//! code confirms it), when it was turned on, the last step used (a code is
//! good once), and single-use recovery codes stored only as SHA-256.

use sea_orm_migration::prelude::*;

use crate::columns::{id, optional_text, optional_timestamp, reference, slug, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    /// Base32; set by the set-up step, in force once `totp_enabled_at` is.
    TotpSecret,
    TotpEnabledAt,
    /// The 30-second step of the last code accepted: never accepted again.
    TotpLastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    /// SHA-256 (hex) of the code in its normal form; the code is never stored.
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for mut col in [
            optional_text(Users::TotpSecret),
            optional_timestamp(Users::TotpEnabledAt),
            ColumnDef::new(Users::TotpLastStep)
                .big_integer()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(id(RecoveryCodes::Id))
                    .col(reference(RecoveryCodes::UserId))
                    .col(slug(RecoveryCodes::CodeHash))
                    .col(optional_timestamp(RecoveryCodes::UsedAt))
                    .col(timestamp(RecoveryCodes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("recovery_codes_user_id_idx")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RecoveryCodes::Table).to_owned())
            .await?;
        for col in [
            Users::TotpSecret.into_iden(),
            Users::TotpEnabledAt.into_iden(),
            Users::TotpLastStep.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
