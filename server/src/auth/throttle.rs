//! Login throttling: at most 5 failed logins per account in 15 minutes, and
//! 20 per client address in a minute. Checked before any password is
//! hashed, so a flood is refused cheaply instead of burning CPU (and the
//! hashes that do run are bounded, see `password`). Counts come from the
//! audit log in the database, so they hold across restarts and nodes.

use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;

use crate::db::audit::{self, Entry, Event};
use crate::error::{AppError, AppResult};

pub const ACCOUNT_FAILURES: u64 = 5;
pub const ACCOUNT_WINDOW_MINUTES: i64 = 15;
pub const ADDRESS_FAILURES: u64 = 20;
pub const ADDRESS_WINDOW_SECONDS: i64 = 60;

/// Refuse (and record the refusal) when the account or the address has
/// failed too often lately.
pub async fn check(db: &DatabaseConnection, ip: &str, account: Option<i64>) -> AppResult<()> {
    let now = Utc::now();
    let from_address = audit::count_for_ip(
        db,
        Event::LoginFail,
        ip,
        now - Duration::seconds(ADDRESS_WINDOW_SECONDS),
    )
    .await?;
    let refusal = if from_address >= ADDRESS_FAILURES {
        Some("Too many failed log-ins from your connection. Wait a minute and try again.")
    } else if let Some(id) = account {
        let failures = audit::count_for_subject(
            db,
            Event::LoginFail,
            id,
            now - Duration::minutes(ACCOUNT_WINDOW_MINUTES),
        )
        .await?;
        (failures >= ACCOUNT_FAILURES).then_some(
            "Too many failed log-ins for this account. Wait 15 minutes and try again, \
             or reset your password.",
        )
    } else {
        None
    };
    match refusal {
        None => Ok(()),
        Some(message) => {
            audit::record(
                db,
                Entry {
                    event: Event::LoginLock,
                    actor: None,
                    subject: account,
                    ip: Some(ip),
                    detail: None,
                },
            )
            .await?;
            Err(AppError::RateLimited(message.into()))
        }
    }
}
