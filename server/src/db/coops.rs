//! Queries on co-operatives: the co-ops, coordinators, member organisations,
//! who their people are, join requests and invitations, the history, and
//! their rooms.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use shared::api::coops::{HistoryAction, RequestKind, RequestStatus};
use shared::api::rooms::RoomKind;

use super::entities::{
    coop, coop_coordinator, coop_history, coop_member, coop_request, organisation_staff, room,
};
use crate::error::{AppError, AppResult};

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<coop::Model>> {
    Ok(coop::Entity::find_by_id(id).one(db).await?)
}

/// Every co-op, by name.
pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<coop::Model>> {
    Ok(coop::Entity::find()
        .order_by_asc(coop::Column::Name)
        .all(db)
        .await?)
}

/// A new co-op with its first coordinators, recorded as created by `by`.
pub async fn create(
    db: &DatabaseConnection,
    by: i64,
    name: &str,
    locality: &str,
    purpose: &str,
    coordinators: &[i64],
) -> AppResult<coop::Model> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let created = coop::ActiveModel {
        name: Set(name.to_owned()),
        locality: Set(locality.to_owned()),
        purpose: Set(purpose.to_owned()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(name_taken)?;
    record(
        &txn,
        created.id,
        HistoryAction::Created,
        by,
        None,
        None,
        None,
    )
    .await?;
    for &user_id in coordinators {
        add_coordinator_in(&txn, created.id, user_id).await?;
        record(
            &txn,
            created.id,
            HistoryAction::CoordinatorAdded,
            by,
            None,
            Some(user_id),
            None,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(created)
}

fn name_taken(e: sea_orm::DbErr) -> AppError {
    if super::is_unique_violation(&e) {
        AppError::validation("name", "A co-operative with this name already exists.")
    } else {
        e.into()
    }
}

pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    name: &str,
    locality: &str,
    purpose: &str,
) -> AppResult<()> {
    coop::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        locality: Set(locality.to_owned()),
        purpose: Set(purpose.to_owned()),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(name_taken)?;
    Ok(())
}

// ---- coordinators ----

pub async fn coordinators_of(db: &DatabaseConnection, coop_id: i64) -> AppResult<Vec<i64>> {
    Ok(coop_coordinator::Entity::find()
        .filter(coop_coordinator::Column::CoopId.eq(coop_id))
        .order_by_asc(coop_coordinator::Column::AddedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.user_id)
        .collect())
}

async fn add_coordinator_in<C: ConnectionTrait>(
    conn: &C,
    coop_id: i64,
    user_id: i64,
) -> AppResult<()> {
    coop_coordinator::Entity::insert(coop_coordinator::ActiveModel {
        coop_id: Set(coop_id),
        user_id: Set(user_id),
        added_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([
        coop_coordinator::Column::CoopId,
        coop_coordinator::Column::UserId,
    ])
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Whether they were added (false: they already coordinate it).
pub async fn add_coordinator(
    db: &DatabaseConnection,
    coop_id: i64,
    user_id: i64,
) -> AppResult<bool> {
    let before = coordinators_of(db, coop_id).await?;
    if before.contains(&user_id) {
        return Ok(false);
    }
    add_coordinator_in(db, coop_id, user_id).await?;
    Ok(true)
}

pub async fn remove_coordinator(
    db: &DatabaseConnection,
    coop_id: i64,
    user_id: i64,
) -> AppResult<bool> {
    let done = coop_coordinator::Entity::delete_many()
        .filter(coop_coordinator::Column::CoopId.eq(coop_id))
        .filter(coop_coordinator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

// ---- member organisations and their people ----

pub async fn members_of(
    db: &DatabaseConnection,
    coop_id: i64,
) -> AppResult<Vec<coop_member::Model>> {
    Ok(coop_member::Entity::find()
        .filter(coop_member::Column::CoopId.eq(coop_id))
        .order_by_asc(coop_member::Column::JoinedAt)
        .all(db)
        .await?)
}

/// Every membership (co-op, organisation), for the directory and the network.
pub async fn all_members(db: &DatabaseConnection) -> AppResult<Vec<coop_member::Model>> {
    Ok(coop_member::Entity::find().all(db).await?)
}

/// The co-ops an organisation belongs to.
pub async fn coops_of_organisation(db: &DatabaseConnection, org_id: i64) -> AppResult<Vec<i64>> {
    Ok(coop_member::Entity::find()
        .filter(coop_member::Column::OrganisationId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.coop_id)
        .collect())
}

pub async fn add_member<C: ConnectionTrait>(conn: &C, coop_id: i64, org_id: i64) -> AppResult<()> {
    coop_member::Entity::insert(coop_member::ActiveModel {
        coop_id: Set(coop_id),
        organisation_id: Set(org_id),
        joined_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([
        coop_member::Column::CoopId,
        coop_member::Column::OrganisationId,
    ])
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Whether the organisation was a member.
pub async fn remove_member(db: &DatabaseConnection, coop_id: i64, org_id: i64) -> AppResult<bool> {
    let done = coop_member::Entity::delete_many()
        .filter(coop_member::Column::CoopId.eq(coop_id))
        .filter(coop_member::Column::OrganisationId.eq(org_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// The co-op's people: its coordinators and the staff of its member
/// organisations, sorted. Read at the moment it matters (room membership,
/// live events, thread readers), never cached.
pub async fn people_of<C: ConnectionTrait>(conn: &C, coop_id: i64) -> AppResult<Vec<i64>> {
    let mut people: BTreeSet<i64> = coop_coordinator::Entity::find()
        .filter(coop_coordinator::Column::CoopId.eq(coop_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.user_id)
        .collect();
    let orgs: Vec<i64> = coop_member::Entity::find()
        .filter(coop_member::Column::CoopId.eq(coop_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.organisation_id)
        .collect();
    if !orgs.is_empty() {
        people.extend(
            organisation_staff::Entity::find()
                .filter(organisation_staff::Column::OrganisationId.is_in(orgs))
                .all(conn)
                .await?
                .into_iter()
                .map(|s| s.user_id),
        );
    }
    Ok(people.into_iter().collect())
}

/// The co-ops `user_id` is one of the people of, and those they coordinate.
pub struct UserCoops {
    pub member_of: Vec<i64>,
    pub coordinates: Vec<i64>,
}

pub async fn coops_of_user(db: &DatabaseConnection, user_id: i64) -> AppResult<UserCoops> {
    let coordinates: Vec<i64> = coop_coordinator::Entity::find()
        .filter(coop_coordinator::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.coop_id)
        .collect();
    let orgs: Vec<i64> = organisation_staff::Entity::find()
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.organisation_id)
        .collect();
    let mut member_of: BTreeSet<i64> = coordinates.iter().copied().collect();
    if !orgs.is_empty() {
        member_of.extend(
            coop_member::Entity::find()
                .filter(coop_member::Column::OrganisationId.is_in(orgs))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.coop_id),
        );
    }
    Ok(UserCoops {
        member_of: member_of.into_iter().collect(),
        coordinates,
    })
}

/// Member organisations per co-op.
pub async fn member_counts(db: &DatabaseConnection) -> AppResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for m in all_members(db).await? {
        *out.entry(m.coop_id).or_insert(0) += 1;
    }
    Ok(out)
}

// ---- requests and invitations ----

pub fn kind_str(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Request => "request",
        RequestKind::Invite => "invite",
    }
}

pub fn kind_of(r: &coop_request::Model) -> RequestKind {
    match r.kind.as_str() {
        "invite" => RequestKind::Invite,
        _ => RequestKind::Request,
    }
}

fn status_str(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => "pending",
        RequestStatus::Accepted => "accepted",
        RequestStatus::Declined => "declined",
        RequestStatus::Withdrawn => "withdrawn",
    }
}

pub fn status_of(r: &coop_request::Model) -> RequestStatus {
    match r.status.as_str() {
        "accepted" => RequestStatus::Accepted,
        "declined" => RequestStatus::Declined,
        "withdrawn" => RequestStatus::Withdrawn,
        _ => RequestStatus::Pending,
    }
}

/// A new pending request or invitation. The partial unique index allows one
/// open one per co-op and organisation; a second is a conflict.
pub async fn create_request(
    db: &DatabaseConnection,
    coop_id: i64,
    org_id: i64,
    kind: RequestKind,
    message: &str,
    by: i64,
) -> AppResult<coop_request::Model> {
    let txn = super::begin_write(db).await?;
    let inserted = coop_request::ActiveModel {
        coop_id: Set(coop_id),
        organisation_id: Set(org_id),
        kind: Set(kind_str(kind).into()),
        status: Set(status_str(RequestStatus::Pending).into()),
        message: Set(message.to_owned()),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(r) => r,
        Err(e) if super::is_unique_violation(&e) => {
            return Err(AppError::conflict(
                "This organisation already has an open request or invitation for this co-operative.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let action = match kind {
        RequestKind::Request => HistoryAction::Requested,
        RequestKind::Invite => HistoryAction::Invited,
    };
    record(&txn, coop_id, action, by, Some(org_id), None, None).await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn find_request(
    db: &DatabaseConnection,
    id: i64,
) -> AppResult<Option<coop_request::Model>> {
    Ok(coop_request::Entity::find_by_id(id).one(db).await?)
}

/// Pending requests and invitations of any of `coops`, or for any of `orgs`.
pub async fn pending(
    db: &DatabaseConnection,
    coops: &[i64],
    orgs: &[i64],
) -> AppResult<Vec<coop_request::Model>> {
    if coops.is_empty() && orgs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(coop_request::Entity::find()
        .filter(coop_request::Column::Status.eq(status_str(RequestStatus::Pending)))
        .filter(
            sea_orm::Condition::any()
                .add(coop_request::Column::CoopId.is_in(coops.iter().copied()))
                .add(coop_request::Column::OrganisationId.is_in(orgs.iter().copied())),
        )
        .order_by_asc(coop_request::Column::Id)
        .all(db)
        .await?)
}

/// Settle a pending request: accepted ones add the organisation, in the same
/// transaction. Conditional on it still being pending, so two coordinators
/// deciding at once cannot both succeed; false when it was no longer pending.
pub async fn settle_request(
    db: &DatabaseConnection,
    r: &coop_request::Model,
    status: RequestStatus,
    by: i64,
    reason: Option<&str>,
) -> AppResult<bool> {
    let txn = super::begin_write(db).await?;
    let done = coop_request::Entity::update_many()
        .col_expr(
            coop_request::Column::Status,
            Expr::value(status_str(status)),
        )
        .col_expr(coop_request::Column::DecidedBy, Expr::value(by))
        .col_expr(coop_request::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(
            coop_request::Column::Reason,
            Expr::value(reason.map(str::to_owned)),
        )
        .filter(coop_request::Column::Id.eq(r.id))
        .filter(coop_request::Column::Status.eq(status_str(RequestStatus::Pending)))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    let action = match status {
        RequestStatus::Accepted => {
            add_member(&txn, r.coop_id, r.organisation_id).await?;
            HistoryAction::Admitted
        }
        RequestStatus::Declined => HistoryAction::Declined,
        RequestStatus::Withdrawn | RequestStatus::Pending => HistoryAction::Withdrawn,
    };
    record(
        &txn,
        r.coop_id,
        action,
        by,
        Some(r.organisation_id),
        None,
        reason,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

// ---- history ----

pub fn action_str(action: HistoryAction) -> &'static str {
    match action {
        HistoryAction::Created => "created",
        HistoryAction::Edited => "edited",
        HistoryAction::Requested => "requested",
        HistoryAction::Invited => "invited",
        HistoryAction::Admitted => "admitted",
        HistoryAction::Declined => "declined",
        HistoryAction::Withdrawn => "withdrawn",
        HistoryAction::Left => "left",
        HistoryAction::Removed => "removed",
        HistoryAction::CoordinatorAdded => "coordinator_added",
        HistoryAction::CoordinatorRemoved => "coordinator_removed",
        HistoryAction::RoomCreated => "room_created",
        HistoryAction::RoomRenamed => "room_renamed",
        HistoryAction::RoomArchived => "room_archived",
        HistoryAction::RoomRestored => "room_restored",
    }
}

pub fn action_of(h: &coop_history::Model) -> HistoryAction {
    const ALL: [HistoryAction; 15] = [
        HistoryAction::Created,
        HistoryAction::Edited,
        HistoryAction::Requested,
        HistoryAction::Invited,
        HistoryAction::Admitted,
        HistoryAction::Declined,
        HistoryAction::Withdrawn,
        HistoryAction::Left,
        HistoryAction::Removed,
        HistoryAction::CoordinatorAdded,
        HistoryAction::CoordinatorRemoved,
        HistoryAction::RoomCreated,
        HistoryAction::RoomRenamed,
        HistoryAction::RoomArchived,
        HistoryAction::RoomRestored,
    ];
    ALL.into_iter()
        .find(|a| action_str(*a) == h.action)
        .unwrap_or(HistoryAction::Edited)
}

/// Append to the co-op's history (who, when, what, about whom).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    coop_id: i64,
    action: HistoryAction,
    actor: i64,
    organisation_id: Option<i64>,
    person_id: Option<i64>,
    detail: Option<&str>,
) -> AppResult<()> {
    coop_history::ActiveModel {
        coop_id: Set(coop_id),
        action: Set(action_str(action).into()),
        actor_id: Set(actor),
        organisation_id: Set(organisation_id),
        person_id: Set(person_id),
        detail: Set(detail.map(str::to_owned)),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The newest `limit` entries, newest first.
pub async fn history(
    db: &DatabaseConnection,
    coop_id: i64,
    limit: u64,
) -> AppResult<Vec<coop_history::Model>> {
    Ok(coop_history::Entity::find()
        .filter(coop_history::Column::CoopId.eq(coop_id))
        .order_by_desc(coop_history::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

// ---- rooms ----

/// The co-op's rooms, oldest first.
pub async fn rooms_of(db: &DatabaseConnection, coop_id: i64) -> AppResult<Vec<room::Model>> {
    Ok(room::Entity::find()
        .filter(room::Column::CoopId.eq(coop_id))
        .order_by_asc(room::Column::Id)
        .all(db)
        .await?)
}

/// A new room of the co-op with `members` in it, recorded in the history.
pub async fn create_room(
    db: &DatabaseConnection,
    coop_id: i64,
    title: &str,
    members: &[i64],
    by: i64,
) -> AppResult<room::Model> {
    let txn = super::begin_write(db).await?;
    let created = super::rooms::create_named(&txn, RoomKind::Coop, title, members).await?;
    let created = room::ActiveModel {
        id: Set(created.id),
        coop_id: Set(Some(coop_id)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        &txn,
        coop_id,
        HistoryAction::RoomCreated,
        by,
        None,
        None,
        Some(title),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Rename and/or archive (Some(true)) or restore (Some(false)) a room.
pub async fn update_room(
    db: &DatabaseConnection,
    r: &room::Model,
    title: Option<&str>,
    archived: Option<bool>,
    by: i64,
) -> AppResult<room::Model> {
    let coop_id = r.coop_id.ok_or(AppError::NotFound)?;
    let txn = super::begin_write(db).await?;
    let mut change = room::ActiveModel {
        id: Set(r.id),
        ..Default::default()
    };
    if let Some(title) = title
        && r.title.as_deref() != Some(title)
    {
        change.title = Set(Some(title.to_owned()));
        let detail = format!("{} → {title}", r.title.as_deref().unwrap_or_default());
        record(
            &txn,
            coop_id,
            HistoryAction::RoomRenamed,
            by,
            None,
            None,
            Some(&detail),
        )
        .await?;
    }
    if let Some(archive) = archived
        && archive != r.archived_at.is_some()
    {
        change.archived_at = Set(archive.then(Utc::now));
        let action = if archive {
            HistoryAction::RoomArchived
        } else {
            HistoryAction::RoomRestored
        };
        let name = title.or(r.title.as_deref());
        record(&txn, coop_id, action, by, None, None, name).await?;
    }
    let updated = if change.is_changed() {
        change.update(&txn).await?
    } else {
        r.clone()
    };
    txn.commit().await?;
    Ok(updated)
}
