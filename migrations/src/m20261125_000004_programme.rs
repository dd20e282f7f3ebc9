//! The mentoring programme: organisations (staff, invitations, needs),
//! mentors (expertise), mentorships (history, goals, session notes), room
//! titles, and notifications that are about more than a message.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::columns::{
    fk, flag, id, optional_reference, optional_text, optional_timestamp, reference, slug, text,
    timestamp,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    Title,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    Description,
    /// JSON array of activity-type slugs.
    ActivityTypes,
    Locality,
    PopulationsServed,
    Size,
    CharityNumber,
    Status,
    DecisionReason,
    SafeguardingLeadId,
    CreatedBy,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum OrganisationStaff {
    Table,
    OrganisationId,
    UserId,
    IsLead,
    JoinedAt,
}

#[derive(DeriveIden)]
enum OrganisationInvites {
    Table,
    Id,
    OrganisationId,
    TokenHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedBy,
    UsedAt,
}

#[derive(DeriveIden)]
enum OrganisationNeeds {
    Table,
    OrganisationId,
    Topic,
    Priority,
    Description,
}

#[derive(DeriveIden)]
enum Mentors {
    Table,
    UserId,
    Bio,
    /// JSON array of activity-type slugs.
    ActivityTypes,
    /// JSON array of locality names.
    Localities,
    Remote,
    InPerson,
    Capacity,
    LivedExperience,
    Status,
    DecisionReason,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum MentorExpertise {
    Table,
    MentorId,
    Topic,
    Depth,
}

#[derive(DeriveIden)]
enum Mentorships {
    Table,
    Id,
    OrganisationId,
    MentorId,
    Status,
    RoomId,
    Note,
    CreatedAt,
    /// The newest step, note or goal change (messages are read from the room).
    ActivityAt,
    LastNudgedAt,
    MentorReflection,
    OrganisationReflection,
}

#[derive(DeriveIden)]
enum MentorshipEvents {
    Table,
    Id,
    MentorshipId,
    FromStatus,
    ToStatus,
    ActorId,
    Reason,
    At,
}

#[derive(DeriveIden)]
enum MentorshipGoals {
    Table,
    Id,
    MentorshipId,
    Title,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SessionNotes {
    Table,
    Id,
    MentorshipId,
    SessionDate,
    Summary,
    NextSteps,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    RoomId,
    MessageId,
    ActorId,
    CreatedAt,
    ReadAt,
    MentorshipId,
    OrganisationId,
    Text,
}

#[derive(DeriveIden)]
enum NotificationsRebuilt {
    Table,
}

use ForeignKeyAction::{Cascade, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(optional_text(Rooms::Title))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(id(Organisations::Id))
                    .col(ColumnDef::new(Organisations::Name).string().not_null())
                    .col(text(Organisations::Description))
                    .col(text(Organisations::ActivityTypes))
                    .col(ColumnDef::new(Organisations::Locality).string().not_null())
                    .col(text(Organisations::PopulationsServed))
                    .col(slug(Organisations::Size))
                    .col(ColumnDef::new(Organisations::CharityNumber).string().null())
                    .col(slug(Organisations::Status))
                    .col(optional_text(Organisations::DecisionReason))
                    .col(optional_reference(Organisations::SafeguardingLeadId))
                    .col(reference(Organisations::CreatedBy))
                    .col(timestamp(Organisations::CreatedAt))
                    .col(optional_timestamp(Organisations::DecidedAt))
                    .col(optional_reference(Organisations::DecidedBy))
                    .foreign_key(&mut fk(
                        Organisations::Table,
                        Organisations::SafeguardingLeadId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Organisations::Table,
                        Organisations::CreatedBy,
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
                    .table(OrganisationStaff::Table)
                    .col(reference(OrganisationStaff::OrganisationId))
                    .col(reference(OrganisationStaff::UserId))
                    .col(flag(OrganisationStaff::IsLead, false))
                    .col(timestamp(OrganisationStaff::JoinedAt))
                    .primary_key(
                        Index::create()
                            .col(OrganisationStaff::OrganisationId)
                            .col(OrganisationStaff::UserId),
                    )
                    .foreign_key(&mut fk(
                        OrganisationStaff::Table,
                        OrganisationStaff::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        OrganisationStaff::Table,
                        OrganisationStaff::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("organisation_staff_user_id_idx")
                    .table(OrganisationStaff::Table)
                    .col(OrganisationStaff::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganisationInvites::Table)
                    .col(id(OrganisationInvites::Id))
                    .col(reference(OrganisationInvites::OrganisationId))
                    // SHA-256 of the link's token; the token itself is never stored.
                    .col(slug(OrganisationInvites::TokenHash))
                    .col(reference(OrganisationInvites::CreatedBy))
                    .col(timestamp(OrganisationInvites::CreatedAt))
                    .col(timestamp(OrganisationInvites::ExpiresAt))
                    .col(optional_reference(OrganisationInvites::UsedBy))
                    .col(optional_timestamp(OrganisationInvites::UsedAt))
                    .foreign_key(&mut fk(
                        OrganisationInvites::Table,
                        OrganisationInvites::OrganisationId,
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
                    .name("organisation_invites_token_hash_key")
                    .table(OrganisationInvites::Table)
                    .col(OrganisationInvites::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganisationNeeds::Table)
                    .col(reference(OrganisationNeeds::OrganisationId))
                    .col(slug(OrganisationNeeds::Topic))
                    .col(slug(OrganisationNeeds::Priority))
                    .col(text(OrganisationNeeds::Description))
                    .primary_key(
                        Index::create()
                            .col(OrganisationNeeds::OrganisationId)
                            .col(OrganisationNeeds::Topic),
                    )
                    .foreign_key(&mut fk(
                        OrganisationNeeds::Table,
                        OrganisationNeeds::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Mentors::Table)
                    .col(
                        ColumnDef::new(Mentors::UserId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(text(Mentors::Bio))
                    .col(text(Mentors::ActivityTypes))
                    .col(text(Mentors::Localities))
                    .col(flag(Mentors::Remote, true))
                    .col(flag(Mentors::InPerson, false))
                    .col(ColumnDef::new(Mentors::Capacity).integer().not_null())
                    .col(flag(Mentors::LivedExperience, false))
                    .col(slug(Mentors::Status))
                    .col(optional_text(Mentors::DecisionReason))
                    .col(timestamp(Mentors::CreatedAt))
                    .col(optional_timestamp(Mentors::DecidedAt))
                    .col(optional_reference(Mentors::DecidedBy))
                    .foreign_key(&mut fk(
                        Mentors::Table,
                        Mentors::UserId,
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
                    .table(MentorExpertise::Table)
                    .col(reference(MentorExpertise::MentorId))
                    .col(slug(MentorExpertise::Topic))
                    .col(slug(MentorExpertise::Depth))
                    .primary_key(
                        Index::create()
                            .col(MentorExpertise::MentorId)
                            .col(MentorExpertise::Topic),
                    )
                    .foreign_key(&mut fk(
                        MentorExpertise::Table,
                        MentorExpertise::MentorId,
                        Mentors::Table,
                        Mentors::UserId,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Mentorships::Table)
                    .col(id(Mentorships::Id))
                    .col(reference(Mentorships::OrganisationId))
                    .col(reference(Mentorships::MentorId))
                    .col(slug(Mentorships::Status))
                    .col(optional_reference(Mentorships::RoomId))
                    .col(optional_text(Mentorships::Note))
                    .col(timestamp(Mentorships::CreatedAt))
                    .col(timestamp(Mentorships::ActivityAt))
                    .col(optional_timestamp(Mentorships::LastNudgedAt))
                    .col(optional_text(Mentorships::MentorReflection))
                    .col(optional_text(Mentorships::OrganisationReflection))
                    .foreign_key(&mut fk(
                        Mentorships::Table,
                        Mentorships::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Mentorships::Table,
                        Mentorships::MentorId,
                        Mentors::Table,
                        Mentors::UserId,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Mentorships::Table,
                        Mentorships::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // At most one open mentorship between the same organisation and
        // mentor, enforced by the database so two admins cannot race.
        // Both engines support partial unique indexes with this syntax.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX mentorships_open_pair_key \
                 ON mentorships (organisation_id, mentor_id) \
                 WHERE status IN ('requested', 'proposed', 'active', 'paused')",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mentorships_mentor_id_idx")
                    .table(Mentorships::Table)
                    .col(Mentorships::MentorId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MentorshipEvents::Table)
                    .col(id(MentorshipEvents::Id))
                    .col(reference(MentorshipEvents::MentorshipId))
                    .col(ColumnDef::new(MentorshipEvents::FromStatus).string().null())
                    .col(slug(MentorshipEvents::ToStatus))
                    .col(reference(MentorshipEvents::ActorId))
                    .col(optional_text(MentorshipEvents::Reason))
                    .col(timestamp(MentorshipEvents::At))
                    .foreign_key(&mut fk(
                        MentorshipEvents::Table,
                        MentorshipEvents::MentorshipId,
                        Mentorships::Table,
                        Mentorships::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mentorship_events_mentorship_id_idx")
                    .table(MentorshipEvents::Table)
                    .col(MentorshipEvents::MentorshipId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MentorshipGoals::Table)
                    .col(id(MentorshipGoals::Id))
                    .col(reference(MentorshipGoals::MentorshipId))
                    .col(ColumnDef::new(MentorshipGoals::Title).text().not_null())
                    .col(slug(MentorshipGoals::Status))
                    .col(reference(MentorshipGoals::CreatedBy))
                    .col(timestamp(MentorshipGoals::CreatedAt))
                    .col(timestamp(MentorshipGoals::UpdatedAt))
                    .foreign_key(&mut fk(
                        MentorshipGoals::Table,
                        MentorshipGoals::MentorshipId,
                        Mentorships::Table,
                        Mentorships::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SessionNotes::Table)
                    .col(id(SessionNotes::Id))
                    .col(reference(SessionNotes::MentorshipId))
                    .col(ColumnDef::new(SessionNotes::SessionDate).date().not_null())
                    .col(ColumnDef::new(SessionNotes::Summary).text().not_null())
                    .col(text(SessionNotes::NextSteps))
                    .col(reference(SessionNotes::AuthorId))
                    .col(timestamp(SessionNotes::CreatedAt))
                    .foreign_key(&mut fk(
                        SessionNotes::Table,
                        SessionNotes::MentorshipId,
                        Mentorships::Table,
                        Mentorships::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        notifications_about_more_than_messages(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SessionNotes::Table.into_iden(),
            MentorshipGoals::Table.into_iden(),
            MentorshipEvents::Table.into_iden(),
            Mentorships::Table.into_iden(),
            MentorExpertise::Table.into_iden(),
            Mentors::Table.into_iden(),
            OrganisationNeeds::Table.into_iden(),
            OrganisationInvites::Table.into_iden(),
            OrganisationStaff::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Notifications so far all pointed at a message; programme steps point at a
/// mentorship or an organisation instead, so the message columns become
/// optional and the new ones are added. PostgreSQL can drop `NOT NULL` in
/// place; SQLite cannot, so there the table is rebuilt and its rows copied
/// (ids kept, so read positions stay valid).
async fn notifications_about_more_than_messages(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let new_columns = [
        optional_reference(Notifications::MentorshipId),
        optional_reference(Notifications::OrganisationId),
        optional_text(Notifications::Text),
    ];
    if manager.get_database_backend() == DbBackend::Postgres {
        let mut alter = Table::alter();
        alter
            .table(Notifications::Table)
            .modify_column(ColumnDef::new(Notifications::RoomId).big_integer().null())
            .modify_column(
                ColumnDef::new(Notifications::MessageId)
                    .big_integer()
                    .null(),
            );
        for col in new_columns {
            alter.add_column(col);
        }
        return manager.alter_table(alter.to_owned()).await;
    }

    let mut create = Table::create();
    create
        .table(NotificationsRebuilt::Table)
        .col(id(Notifications::Id))
        .col(reference(Notifications::UserId))
        .col(slug(Notifications::Kind))
        .col(optional_reference(Notifications::RoomId))
        .col(optional_reference(Notifications::MessageId))
        .col(reference(Notifications::ActorId))
        .col(timestamp(Notifications::CreatedAt))
        .col(optional_timestamp(Notifications::ReadAt))
        .foreign_key(&mut fk(
            NotificationsRebuilt::Table,
            Notifications::UserId,
            Users::Table,
            Users::Id,
            Cascade,
        ))
        .foreign_key(&mut fk(
            NotificationsRebuilt::Table,
            Notifications::MessageId,
            Messages::Table,
            Messages::Id,
            Cascade,
        ));
    for mut col in new_columns {
        create.col(&mut col);
    }
    // One call, so every statement runs on one connection in order: SQLite
    // checks a rename against the connection's cached schema, and another
    // pooled connection may not have seen the drop yet.
    let script = [
        create.to_owned().to_string(SqliteQueryBuilder),
        "INSERT INTO notifications_rebuilt \
         (id, user_id, kind, room_id, message_id, actor_id, created_at, read_at) \
         SELECT id, user_id, kind, room_id, message_id, actor_id, created_at, read_at \
         FROM notifications"
            .to_owned(),
        Table::drop()
            .table(Notifications::Table)
            .to_owned()
            .to_string(SqliteQueryBuilder),
        Table::rename()
            .table(NotificationsRebuilt::Table, Notifications::Table)
            .to_owned()
            .to_string(SqliteQueryBuilder),
        Index::create()
            .name("notifications_user_id_id_idx")
            .table(Notifications::Table)
            .col(Notifications::UserId)
            .col(Notifications::Id)
            .to_owned()
            .to_string(SqliteQueryBuilder),
    ]
    .join(";\n");
    manager
        .get_connection()
        .execute_unprepared(&format!("BEGIN;\n{script};\nCOMMIT;"))
        .await?;
    Ok(())
}
