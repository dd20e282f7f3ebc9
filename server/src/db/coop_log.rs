//! Queries on a co-op's decisions and actions, its events, and the private
//! calendar feed addresses.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use shared::api::coops::{ActionStatus, EventKind, Owner, RecordKind, SaveEvent};

use super::entities::{calendar_token, coop_event, coop_record};
use crate::error::AppResult;

pub fn record_kind_of(r: &coop_record::Model) -> RecordKind {
    match r.kind.as_str() {
        "action" => RecordKind::Action,
        _ => RecordKind::Decision,
    }
}

fn record_kind_str(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Decision => "decision",
        RecordKind::Action => "action",
    }
}

pub fn status_of(r: &coop_record::Model) -> ActionStatus {
    match r.status.as_str() {
        "done" => ActionStatus::Done,
        "dropped" => ActionStatus::Dropped,
        _ => ActionStatus::Open,
    }
}

fn status_str(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Open => "open",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

pub fn owner_of(r: &coop_record::Model) -> Option<Owner> {
    match (r.owner_organisation_id, r.owner_user_id) {
        (Some(organisation_id), _) => Some(Owner::Organisation { organisation_id }),
        (None, Some(user_id)) => Some(Owner::Person { user_id }),
        (None, None) => None,
    }
}

fn owner_columns(owner: Option<&Owner>) -> (Option<i64>, Option<i64>) {
    match owner {
        Some(Owner::Organisation { organisation_id }) => (Some(*organisation_id), None),
        Some(Owner::Person { user_id }) => (None, Some(*user_id)),
        None => (None, None),
    }
}

/// A new decision or action (already validated).
pub struct NewRecord<'a> {
    pub coop_id: i64,
    pub kind: RecordKind,
    pub text: &'a str,
    pub message_id: Option<i64>,
    pub owner: Option<&'a Owner>,
    pub due_on: Option<NaiveDate>,
    pub by: i64,
}

pub async fn create_record(
    db: &DatabaseConnection,
    new: NewRecord<'_>,
) -> AppResult<coop_record::Model> {
    let now = Utc::now();
    let (org, user) = owner_columns(new.owner);
    Ok(coop_record::ActiveModel {
        coop_id: Set(new.coop_id),
        kind: Set(record_kind_str(new.kind).into()),
        text: Set(new.text.to_owned()),
        message_id: Set(new.message_id),
        owner_organisation_id: Set(org),
        owner_user_id: Set(user),
        due_on: Set(new.due_on),
        status: Set(status_str(ActionStatus::Open).into()),
        created_by: Set(new.by),
        created_at: Set(now),
        updated_by: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The record's new state, whole (the route merged the change into it).
pub struct RecordState<'a> {
    pub text: &'a str,
    pub status: ActionStatus,
    pub owner: Option<&'a Owner>,
    pub due_on: Option<NaiveDate>,
}

pub async fn update_record(
    db: &DatabaseConnection,
    id: i64,
    state: RecordState<'_>,
    by: i64,
) -> AppResult<coop_record::Model> {
    let (org, user) = owner_columns(state.owner);
    Ok(coop_record::ActiveModel {
        id: Set(id),
        text: Set(state.text.to_owned()),
        status: Set(status_str(state.status).into()),
        owner_organisation_id: Set(org),
        owner_user_id: Set(user),
        due_on: Set(state.due_on),
        updated_by: Set(Some(by)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?)
}

pub async fn find_record(
    db: &DatabaseConnection,
    id: i64,
) -> AppResult<Option<coop_record::Model>> {
    Ok(coop_record::Entity::find_by_id(id).one(db).await?)
}

pub async fn delete_record(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    coop_record::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

pub async fn records_of(
    db: &DatabaseConnection,
    coop_id: i64,
) -> AppResult<Vec<coop_record::Model>> {
    Ok(coop_record::Entity::find()
        .filter(coop_record::Column::CoopId.eq(coop_id))
        .order_by_desc(coop_record::Column::Id)
        .all(db)
        .await?)
}

// ---- events ----

pub fn event_kind_of(e: &coop_event::Model) -> EventKind {
    match e.kind.as_str() {
        "deadline" => EventKind::Deadline,
        _ => EventKind::Meeting,
    }
}

fn event_kind_str(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Meeting => "meeting",
        EventKind::Deadline => "deadline",
    }
}

pub fn event_of(e: &coop_event::Model) -> SaveEvent {
    SaveEvent {
        title: e.title.clone(),
        kind: event_kind_of(e),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        all_day: e.all_day,
        place: e.place.clone(),
        link: e.link.clone(),
        description: e.description.clone(),
    }
}

pub async fn create_event(
    db: &DatabaseConnection,
    coop_id: i64,
    e: &SaveEvent,
    by: i64,
) -> AppResult<coop_event::Model> {
    let now = Utc::now();
    Ok(coop_event::ActiveModel {
        coop_id: Set(coop_id),
        title: Set(e.title.clone()),
        kind: Set(event_kind_str(e.kind).into()),
        starts_at: Set(e.starts_at),
        ends_at: Set(e.ends_at),
        all_day: Set(e.all_day),
        place: Set(e.place.clone()),
        link: Set(e.link.clone()),
        description: Set(e.description.clone()),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update_event(
    db: &DatabaseConnection,
    id: i64,
    e: &SaveEvent,
) -> AppResult<coop_event::Model> {
    Ok(coop_event::ActiveModel {
        id: Set(id),
        title: Set(e.title.clone()),
        kind: Set(event_kind_str(e.kind).into()),
        starts_at: Set(e.starts_at),
        ends_at: Set(e.ends_at),
        all_day: Set(e.all_day),
        place: Set(e.place.clone()),
        link: Set(e.link.clone()),
        description: Set(e.description.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?)
}

pub async fn find_event(db: &DatabaseConnection, id: i64) -> AppResult<Option<coop_event::Model>> {
    Ok(coop_event::Entity::find_by_id(id).one(db).await?)
}

pub async fn delete_event(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    coop_event::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Events of `coops` that start on or after `from`, soonest first.
pub async fn events_of(
    db: &DatabaseConnection,
    coops: &[i64],
    from: DateTime<Utc>,
) -> AppResult<Vec<coop_event::Model>> {
    if coops.is_empty() {
        return Ok(Vec::new());
    }
    Ok(coop_event::Entity::find()
        .filter(coop_event::Column::CoopId.is_in(coops.iter().copied()))
        .filter(coop_event::Column::StartsAt.gte(from))
        .order_by_asc(coop_event::Column::StartsAt)
        .order_by_asc(coop_event::Column::Id)
        .all(db)
        .await?)
}

// ---- calendar feed addresses ----

/// Replace `user_id`'s feed address with the one whose hash is given.
pub async fn set_calendar_token(
    db: &DatabaseConnection,
    user_id: i64,
    hash: &str,
) -> AppResult<()> {
    calendar_token::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    calendar_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(hash.to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Whose feed address this is.
pub async fn calendar_owner(db: &DatabaseConnection, hash: &str) -> AppResult<Option<i64>> {
    Ok(calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(hash))
        .one(db)
        .await?
        .map(|t| t.user_id))
}
