//! The audit log: append a security event, and count recent ones (login
//! throttling reads its limits from here, so every node sees the same).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use super::entities::audit_event;
use crate::error::AppResult;

/// Event names after the OWASP logging vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    LoginSuccess,
    LoginFail,
    /// A login refused unchecked because of too many recent failures.
    LoginLock,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::LoginSuccess => "authn_login_success",
            Event::LoginFail => "authn_login_fail",
            Event::LoginLock => "authn_login_lock",
        }
    }
}

/// One entry; `detail` must never hold a secret.
pub struct Entry<'a> {
    pub event: Event,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub async fn record(db: &DatabaseConnection, e: Entry<'_>) -> AppResult<()> {
    audit_event::ActiveModel {
        at: Set(Utc::now()),
        event: Set(e.event.name().into()),
        actor_id: Set(e.actor),
        subject_id: Set(e.subject),
        ip: Set(e.ip.map(str::to_owned)),
        detail: Set(e.detail.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How many `event`s about `subject` since `since`.
pub async fn count_for_subject(
    db: &DatabaseConnection,
    event: Event,
    subject: i64,
    since: DateTime<Utc>,
) -> AppResult<u64> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::SubjectId.eq(subject))
        .filter(audit_event::Column::Event.eq(event.name()))
        .filter(audit_event::Column::At.gte(since))
        .count(db)
        .await?)
}

/// How many `event`s from `ip` since `since`.
pub async fn count_for_ip(
    db: &DatabaseConnection,
    event: Event,
    ip: &str,
    since: DateTime<Utc>,
) -> AppResult<u64> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::Ip.eq(ip))
        .filter(audit_event::Column::Event.eq(event.name()))
        .filter(audit_event::Column::At.gte(since))
        .count(db)
        .await?)
}
