//! Local co-operatives: the co-ops, their coordinators and member
//! organisations, join requests and invitations, an append-only history,
//! decisions and actions, events, private calendar feed tokens; co-op rooms
//! (rooms gain `coop_id` and `archived_at`) and co-op notifications.

use sea_orm_migration::prelude::*;

use crate::columns::{
    fk, id, optional_reference, optional_text, optional_timestamp, reference, slug, text, timestamp,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    CoopId,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    CoopId,
}

#[derive(DeriveIden)]
enum Coops {
    Table,
    Id,
    Name,
    Locality,
    Purpose,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CoopCoordinators {
    Table,
    CoopId,
    UserId,
    AddedAt,
}

#[derive(DeriveIden)]
enum CoopMembers {
    Table,
    CoopId,
    OrganisationId,
    JoinedAt,
}

#[derive(DeriveIden)]
enum CoopRequests {
    Table,
    Id,
    CoopId,
    OrganisationId,
    /// `request` or `invite`.
    Kind,
    /// `pending`, `accepted`, `declined`, `withdrawn`.
    Status,
    Message,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    Reason,
}

#[derive(DeriveIden)]
enum CoopHistory {
    Table,
    Id,
    CoopId,
    Action,
    ActorId,
    OrganisationId,
    PersonId,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum CoopRecords {
    Table,
    Id,
    CoopId,
    /// `decision` or `action`.
    Kind,
    Text,
    MessageId,
    OwnerOrganisationId,
    OwnerUserId,
    DueOn,
    /// `open`, `done`, `dropped`.
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CoopEvents {
    Table,
    Id,
    CoopId,
    Title,
    Kind,
    StartsAt,
    EndsAt,
    AllDay,
    Place,
    Link,
    Description,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    UserId,
    TokenHash,
    CreatedAt,
}

use ForeignKeyAction::{Cascade, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Coops::Table)
                    .col(id(Coops::Id))
                    .col(ColumnDef::new(Coops::Name).string().not_null())
                    .col(text(Coops::Locality))
                    .col(text(Coops::Purpose))
                    .col(reference(Coops::CreatedBy))
                    .col(timestamp(Coops::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("coops_name_key")
                    .table(Coops::Table)
                    .col(Coops::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopCoordinators::Table)
                    .col(reference(CoopCoordinators::CoopId))
                    .col(reference(CoopCoordinators::UserId))
                    .col(timestamp(CoopCoordinators::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(CoopCoordinators::CoopId)
                            .col(CoopCoordinators::UserId),
                    )
                    .foreign_key(&mut fk(
                        CoopCoordinators::Table,
                        CoopCoordinators::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CoopCoordinators::Table,
                        CoopCoordinators::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopMembers::Table)
                    .col(reference(CoopMembers::CoopId))
                    .col(reference(CoopMembers::OrganisationId))
                    .col(timestamp(CoopMembers::JoinedAt))
                    .primary_key(
                        Index::create()
                            .col(CoopMembers::CoopId)
                            .col(CoopMembers::OrganisationId),
                    )
                    .foreign_key(&mut fk(
                        CoopMembers::Table,
                        CoopMembers::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CoopMembers::Table,
                        CoopMembers::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("coop_members_organisation_id_idx")
                    .table(CoopMembers::Table)
                    .col(CoopMembers::OrganisationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopRequests::Table)
                    .col(id(CoopRequests::Id))
                    .col(reference(CoopRequests::CoopId))
                    .col(reference(CoopRequests::OrganisationId))
                    .col(slug(CoopRequests::Kind))
                    .col(slug(CoopRequests::Status))
                    .col(text(CoopRequests::Message))
                    .col(reference(CoopRequests::CreatedBy))
                    .col(timestamp(CoopRequests::CreatedAt))
                    .col(optional_reference(CoopRequests::DecidedBy))
                    .col(optional_timestamp(CoopRequests::DecidedAt))
                    .col(optional_text(CoopRequests::Reason))
                    .foreign_key(&mut fk(
                        CoopRequests::Table,
                        CoopRequests::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CoopRequests::Table,
                        CoopRequests::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One open request or invitation per co-op and organisation, kept by
        // the database so a double click or two coordinators cannot make two.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX coop_requests_open_key \
                 ON coop_requests (coop_id, organisation_id) WHERE status = 'pending'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopHistory::Table)
                    .col(id(CoopHistory::Id))
                    .col(reference(CoopHistory::CoopId))
                    .col(slug(CoopHistory::Action))
                    .col(reference(CoopHistory::ActorId))
                    .col(optional_reference(CoopHistory::OrganisationId))
                    .col(optional_reference(CoopHistory::PersonId))
                    .col(optional_text(CoopHistory::Detail))
                    .col(timestamp(CoopHistory::At))
                    .foreign_key(&mut fk(
                        CoopHistory::Table,
                        CoopHistory::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("coop_history_coop_id_idx")
                    .table(CoopHistory::Table)
                    .col(CoopHistory::CoopId)
                    .col(CoopHistory::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopRecords::Table)
                    .col(id(CoopRecords::Id))
                    .col(reference(CoopRecords::CoopId))
                    .col(slug(CoopRecords::Kind))
                    .col(ColumnDef::new(CoopRecords::Text).text().not_null())
                    .col(optional_reference(CoopRecords::MessageId))
                    .col(optional_reference(CoopRecords::OwnerOrganisationId))
                    .col(optional_reference(CoopRecords::OwnerUserId))
                    .col(ColumnDef::new(CoopRecords::DueOn).date().null())
                    .col(slug(CoopRecords::Status))
                    .col(reference(CoopRecords::CreatedBy))
                    .col(timestamp(CoopRecords::CreatedAt))
                    .col(optional_reference(CoopRecords::UpdatedBy))
                    .col(timestamp(CoopRecords::UpdatedAt))
                    .foreign_key(&mut fk(
                        CoopRecords::Table,
                        CoopRecords::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CoopRecords::Table,
                        CoopRecords::MessageId,
                        Messages::Table,
                        Messages::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        CoopRecords::Table,
                        CoopRecords::OwnerOrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        CoopRecords::Table,
                        CoopRecords::OwnerUserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("coop_records_coop_id_idx")
                    .table(CoopRecords::Table)
                    .col(CoopRecords::CoopId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoopEvents::Table)
                    .col(id(CoopEvents::Id))
                    .col(reference(CoopEvents::CoopId))
                    .col(ColumnDef::new(CoopEvents::Title).text().not_null())
                    .col(slug(CoopEvents::Kind))
                    .col(timestamp(CoopEvents::StartsAt))
                    .col(optional_timestamp(CoopEvents::EndsAt))
                    .col(
                        ColumnDef::new(CoopEvents::AllDay)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(text(CoopEvents::Place))
                    .col(text(CoopEvents::Link))
                    .col(text(CoopEvents::Description))
                    .col(reference(CoopEvents::CreatedBy))
                    .col(timestamp(CoopEvents::CreatedAt))
                    .col(timestamp(CoopEvents::UpdatedAt))
                    .foreign_key(&mut fk(
                        CoopEvents::Table,
                        CoopEvents::CoopId,
                        Coops::Table,
                        Coops::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("coop_events_coop_id_starts_at_idx")
                    .table(CoopEvents::Table)
                    .col(CoopEvents::CoopId)
                    .col(CoopEvents::StartsAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CalendarTokens::Table)
                    .col(
                        ColumnDef::new(CalendarTokens::UserId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(slug(CalendarTokens::TokenHash).unique_key())
                    .col(timestamp(CalendarTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        CalendarTokens::Table,
                        CalendarTokens::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // SQLite adds one column per ALTER TABLE.
        for col in [
            optional_reference(Rooms::CoopId),
            optional_timestamp(Rooms::ArchivedAt),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Rooms::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("rooms_coop_id_idx")
                    .table(Rooms::Table)
                    .col(Rooms::CoopId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(optional_reference(Notifications::CoopId))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CalendarTokens::Table.into_iden(),
            CoopEvents::Table.into_iden(),
            CoopRecords::Table.into_iden(),
            CoopHistory::Table.into_iden(),
            CoopRequests::Table.into_iden(),
            CoopMembers::Table.into_iden(),
            CoopCoordinators::Table.into_iden(),
            Coops::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
