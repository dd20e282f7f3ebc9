//! The schema, one migration per change, applied in order at server start-up
//! (`server migrate` applies them without serving).

use sea_orm_migration::prelude::*;

mod columns;
mod m20261125_000001_accounts_and_rooms;
mod m20261125_000002_read_state_and_edits;
mod m20261125_000003_notifications;
mod m20261125_000004_programme;
mod m20261125_000005_threads;
mod m20261126_000006_coops;
mod m20261126_000007_audit;
mod m20261126_000008_trust;
mod m20261126_000009_two_factor;
mod m20261126_000010_cluster_events;

pub use sea_orm_migration::MigratorTrait;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_accounts_and_rooms::Migration),
            Box::new(m20261125_000002_read_state_and_edits::Migration),
            Box::new(m20261125_000003_notifications::Migration),
            Box::new(m20261125_000004_programme::Migration),
            Box::new(m20261125_000005_threads::Migration),
            Box::new(m20261126_000006_coops::Migration),
            Box::new(m20261126_000007_audit::Migration),
            Box::new(m20261126_000008_trust::Migration),
            Box::new(m20261126_000009_two_factor::Migration),
            Box::new(m20261126_000010_cluster_events::Migration),
        ]
    }
}
