//! The database: connecting (with SQLite durability settings) and the queries.
//! This is the only module that touches sea-orm; the rest of the server calls
//! these functions.

pub mod audit;
pub mod concerns;
pub mod coop_log;
pub mod coops;
pub mod entities;
pub mod glossary;
pub mod lists;
pub mod mentors;
pub mod mentorships;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod organisations;
pub mod privacy;
pub mod rooms;
pub mod search;
pub mod sessions;
pub mod threads;
pub mod users;

use std::time::Duration;

use migrations::MigratorTrait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqlErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::Config;

/// Open the pool. SQLite gets WAL with `synchronous=FULL` (an acknowledged
/// message survives power loss), foreign keys, and a busy timeout so writers
/// queue instead of failing; PostgreSQL gets `synchronous_commit=on`.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let url = &config.database_url;
    if let Some(path) = sqlite_file(url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.db_max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        })
        // The server default, stated: a commit returns only once it is on disk.
        .map_sqlx_postgres_opts(|o| o.options([("synchronous_commit", "on")]));
    Database::connect(options).await
}

/// Apply pending migrations. A restart usually has none, so one query asks
/// first: the migrator's own check costs several round trips per migration
/// (about 90 ms of PostgreSQL's cold start).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if all_applied(db).await {
        return Ok(());
    }
    migrations::Migrator::up(db, None).await
}

async fn all_applied(db: &DatabaseConnection) -> bool {
    // No table yet (a fresh database) is an error here: then migrate.
    let Ok(rows) = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    else {
        return false;
    };
    let applied: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "version").ok())
        .collect();
    migrations::Migrator::migrations()
        .iter()
        .all(|m| applied.contains(m.name()))
}

/// The file behind a `sqlite:` URL, if it names one.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Begin a transaction that will write. SQLite takes its write lock at
/// `BEGIN IMMEDIATE`, so a concurrent writer makes it wait (busy timeout)
/// rather than fail later when a read turns into a write; PostgreSQL ignores
/// the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub(crate) fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(
            sqlite_file("sqlite://data/app.db?mode=rwc"),
            Some("data/app.db")
        );
        assert_eq!(sqlite_file("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/db"), None);
    }
}
