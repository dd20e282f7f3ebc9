//! Trust and safety: safeguarding concerns with their append-only history,
//! content reports, the moderation log, hidden messages and posts, suspended
//! accounts, and the device a session was started from (for the session list).

use sea_orm_migration::prelude::*;

use crate::columns::{
    id, optional_reference, optional_text, optional_timestamp, reference, slug, text, timestamp,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Concerns {
    Table,
    Id,
    /// Who raised it (always able to read it).
    RaisedBy,
    /// The organisation concerned: its safeguarding lead is told. None when
    /// the raiser has no organisation (then the admins alone handle it).
    OrganisationId,
    /// `immediate`, `concern` or `information`.
    Priority,
    /// `new`, `acknowledged`, `actioned` or `closed`.
    Status,
    /// Free text: who is at risk, with no forced identification.
    AtRisk,
    WhatHappened,
    /// Where it was raised from, if anywhere: a message or a thread post.
    MessageId,
    PostId,
    /// A copy of that message or post as it was when the concern was raised,
    /// so the handler reads what the raiser saw even if it is later edited.
    ContextText,
    ContextAuthorId,
    CreatedAt,
    /// When it should be acknowledged by, from its priority.
    AckDueAt,
    AcknowledgedAt,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConcernHistory {
    Table,
    Id,
    ConcernId,
    At,
    ActorId,
    /// `raised`, `acknowledged`, `actioned`, `closed`, `reopened`, `note`.
    Action,
    Note,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    ReporterId,
    MessageId,
    PostId,
    /// Whose content it is (the moderator's warn and suspend act on them).
    ContentAuthorId,
    /// The content as it was when reported: what the moderator reads.
    ContentText,
    /// `harassment`, `harmful`, `personal_information`, `spam`, `other`.
    Reason,
    Detail,
    /// `open`, `actioned` or `dismissed`.
    Status,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

#[derive(DeriveIden)]
enum ModerationActions {
    Table,
    Id,
    At,
    ModeratorId,
    /// `hide`, `restore`, `warn`, `suspend`, `unsuspend`, `dismiss`.
    Action,
    /// The person acted on (the author of hidden content, the one warned).
    UserId,
    MessageId,
    PostId,
    ReportId,
    Reason,
    /// A suspension's end; None for "until lifted".
    Until,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    HiddenAt,
    HiddenReason,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    HiddenAt,
    HiddenReason,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    SuspendedAt,
    SuspendedUntil,
    SuspensionReason,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    ConcernId,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    /// The browser's own description, cut short: the session list shows it.
    UserAgent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Concerns::Table)
                    .col(id(Concerns::Id))
                    .col(reference(Concerns::RaisedBy))
                    .col(optional_reference(Concerns::OrganisationId))
                    .col(slug(Concerns::Priority))
                    .col(slug(Concerns::Status))
                    .col(text(Concerns::AtRisk))
                    .col(text(Concerns::WhatHappened))
                    .col(optional_reference(Concerns::MessageId))
                    .col(optional_reference(Concerns::PostId))
                    .col(optional_text(Concerns::ContextText))
                    .col(optional_reference(Concerns::ContextAuthorId))
                    .col(timestamp(Concerns::CreatedAt))
                    .col(timestamp(Concerns::AckDueAt))
                    .col(optional_timestamp(Concerns::AcknowledgedAt))
                    .col(optional_timestamp(Concerns::ClosedAt))
                    .col(timestamp(Concerns::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConcernHistory::Table)
                    .col(id(ConcernHistory::Id))
                    .col(reference(ConcernHistory::ConcernId))
                    .col(timestamp(ConcernHistory::At))
                    .col(optional_reference(ConcernHistory::ActorId))
                    .col(slug(ConcernHistory::Action))
                    .col(text(ConcernHistory::Note))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(id(Reports::Id))
                    .col(optional_reference(Reports::ReporterId))
                    .col(optional_reference(Reports::MessageId))
                    .col(optional_reference(Reports::PostId))
                    .col(optional_reference(Reports::ContentAuthorId))
                    .col(text(Reports::ContentText))
                    .col(slug(Reports::Reason))
                    .col(text(Reports::Detail))
                    .col(slug(Reports::Status))
                    .col(timestamp(Reports::CreatedAt))
                    .col(optional_timestamp(Reports::ResolvedAt))
                    .col(optional_reference(Reports::ResolvedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModerationActions::Table)
                    .col(id(ModerationActions::Id))
                    .col(timestamp(ModerationActions::At))
                    .col(optional_reference(ModerationActions::ModeratorId))
                    .col(slug(ModerationActions::Action))
                    .col(optional_reference(ModerationActions::UserId))
                    .col(optional_reference(ModerationActions::MessageId))
                    .col(optional_reference(ModerationActions::PostId))
                    .col(optional_reference(ModerationActions::ReportId))
                    .col(text(ModerationActions::Reason))
                    .col(optional_timestamp(ModerationActions::Until))
                    .to_owned(),
            )
            .await?;
        for (name, table, cols) in [
            (
                "concerns_organisation_idx",
                Concerns::Table.into_iden(),
                vec![
                    Concerns::OrganisationId.into_iden(),
                    Concerns::Status.into_iden(),
                ],
            ),
            (
                "concerns_raised_by_idx",
                Concerns::Table.into_iden(),
                vec![Concerns::RaisedBy.into_iden()],
            ),
            (
                "concern_history_concern_idx",
                ConcernHistory::Table.into_iden(),
                vec![ConcernHistory::ConcernId.into_iden()],
            ),
            (
                "reports_status_idx",
                Reports::Table.into_iden(),
                vec![Reports::Status.into_iden(), Reports::CreatedAt.into_iden()],
            ),
            (
                "moderation_actions_user_idx",
                ModerationActions::Table.into_iden(),
                vec![ModerationActions::UserId.into_iden()],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // SQLite adds one column per statement.
        let added: Vec<(DynIden, ColumnDef)> = vec![
            (
                Messages::Table.into_iden(),
                optional_timestamp(Messages::HiddenAt),
            ),
            (
                Messages::Table.into_iden(),
                optional_text(Messages::HiddenReason),
            ),
            (
                Posts::Table.into_iden(),
                optional_timestamp(Posts::HiddenAt),
            ),
            (Posts::Table.into_iden(), optional_text(Posts::HiddenReason)),
            (
                Users::Table.into_iden(),
                optional_timestamp(Users::SuspendedAt),
            ),
            (
                Users::Table.into_iden(),
                optional_timestamp(Users::SuspendedUntil),
            ),
            (
                Users::Table.into_iden(),
                optional_text(Users::SuspensionReason),
            ),
            (
                Sessions::Table.into_iden(),
                optional_text(Sessions::UserAgent),
            ),
            (
                Notifications::Table.into_iden(),
                optional_reference(Notifications::ConcernId),
            ),
        ];
        for (table, mut col) in added {
            manager
                .alter_table(Table::alter().table(table).add_column(&mut col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Concerns::Table.into_iden(),
            ConcernHistory::Table.into_iden(),
            Reports::Table.into_iden(),
            ModerationActions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let dropped: Vec<(DynIden, DynIden)> = vec![
            (Messages::Table.into_iden(), Messages::HiddenAt.into_iden()),
            (
                Messages::Table.into_iden(),
                Messages::HiddenReason.into_iden(),
            ),
            (Posts::Table.into_iden(), Posts::HiddenAt.into_iden()),
            (Posts::Table.into_iden(), Posts::HiddenReason.into_iden()),
            (Users::Table.into_iden(), Users::SuspendedAt.into_iden()),
            (Users::Table.into_iden(), Users::SuspendedUntil.into_iden()),
            (
                Users::Table.into_iden(),
                Users::SuspensionReason.into_iden(),
            ),
            (Sessions::Table.into_iden(), Sessions::UserAgent.into_iden()),
            (
                Notifications::Table.into_iden(),
                Notifications::ConcernId.into_iden(),
            ),
        ];
        for (table, col) in dropped {
            manager
                .alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
