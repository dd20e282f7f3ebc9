//! The audit log: append a security event, and count recent ones (login
//! throttling reads its limits from here, so every node sees the same).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
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
    /// Signed in, refused a step (`forbidden`) or a thing kept from them.
    AuthzFail,
    /// A privileged step by the programme team, a moderator or a
    /// coordinator; `detail` names it (`hide message 12 (report 3)`).
    AuthzAdmin,
    /// A privileged read of content a member raised (a concern's or a
    /// report's copy of a message, read by the programme team).
    SensitiveRead,
    /// A safeguarding concern raised.
    SensitiveCreate,
    /// A safeguarding concern moved on or noted.
    SensitiveUpdate,
    /// Sessions ended by their owner (sign out elsewhere) or a moderator.
    TokenRevoked,
    /// An account erased at its owner's request.
    UserDeleted,
    /// Two-factor sign-in turned on, or its recovery codes replaced
    /// (`detail` says which).
    MfaEnabled,
    /// Two-factor sign-in turned off.
    MfaDisabled,
    /// A recovery code used to sign in (each works once).
    RecoveryCodeUsed,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::LoginSuccess => "authn_login_success",
            Event::LoginFail => "authn_login_fail",
            Event::LoginLock => "authn_login_lock",
            Event::AuthzFail => "authz_fail",
            Event::AuthzAdmin => "authz_admin",
            Event::SensitiveRead => "sensitive_read",
            Event::SensitiveCreate => "sensitive_create",
            Event::SensitiveUpdate => "sensitive_update",
            Event::TokenRevoked => "authn_token_revoked",
            Event::UserDeleted => "user_deleted",
            Event::MfaEnabled => "authn_mfa_enabled",
            Event::MfaDisabled => "authn_mfa_disabled",
            Event::RecoveryCodeUsed => "authn_recovery_code_used",
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

impl<'a> Entry<'a> {
    /// `actor` did `event` to `subject` (a user id, or None), described by `detail`.
    pub fn by(event: Event, actor: i64, subject: Option<i64>, detail: &'a str) -> Self {
        Self {
            event,
            actor: Some(actor),
            subject,
            ip: None,
            detail: Some(detail),
        }
    }
}

/// Append one entry. Takes any connection, so it can join the transaction
/// of the step it records.
pub async fn record<C: ConnectionTrait>(db: &C, e: Entry<'_>) -> AppResult<()> {
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

/// Filters for reading the log back (all optional).
#[derive(Default)]
pub struct Filter<'a> {
    pub event: Option<&'a str>,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub before_id: Option<i64>,
}

/// Newest first, at most `limit` entries.
pub async fn list(
    db: &DatabaseConnection,
    filter: Filter<'_>,
    limit: u64,
) -> AppResult<Vec<audit_event::Model>> {
    let mut query = audit_event::Entity::find();
    if let Some(event) = filter.event {
        query = query.filter(audit_event::Column::Event.eq(event));
    }
    if let Some(actor) = filter.actor {
        query = query.filter(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(subject) = filter.subject {
        query = query.filter(audit_event::Column::SubjectId.eq(subject));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(audit_event::Column::Id.lt(before));
    }
    Ok(query
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
