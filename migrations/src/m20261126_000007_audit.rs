//! The audit log: an append-only record of security-relevant events
//! (logins and failed logins first), named after the OWASP logging
//! vocabulary. Login throttling counts its rows, so every server sharing
//! the database sees the same counts.

use sea_orm_migration::prelude::*;

use crate::columns::{id, optional_reference, optional_text, slug, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    /// `authn_login_success`, `authn_login_fail`, `authn_login_lock`, …
    Event,
    /// Who acted, when signed in.
    ActorId,
    /// The account an event is about (the one a login tried).
    SubjectId,
    /// The client's address, as the server decided it.
    Ip,
    /// Never a secret: what the event needs to be read.
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(id(AuditEvents::Id))
                    .col(timestamp(AuditEvents::At))
                    .col(slug(AuditEvents::Event))
                    .col(optional_reference(AuditEvents::ActorId))
                    .col(optional_reference(AuditEvents::SubjectId))
                    .col(optional_text(AuditEvents::Ip))
                    .col(optional_text(AuditEvents::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "audit_events_subject_idx",
                [AuditEvents::SubjectId, AuditEvents::Event, AuditEvents::At],
            ),
            (
                "audit_events_ip_idx",
                [AuditEvents::Ip, AuditEvents::Event, AuditEvents::At],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEvents::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
