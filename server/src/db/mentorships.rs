//! Queries on mentorships: their lifecycle record, goals, session notes and
//! how recently anything happened in them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};
use shared::api::rooms::RoomKind;
use shared::taxonomy::{GoalStatus, MentorshipStatus};

use super::entities::{
    mentor, mentorship, mentorship_event, mentorship_goal, message, session_note,
};
use crate::error::{AppError, AppResult};

pub fn status_of(m: &mentorship::Model) -> MentorshipStatus {
    MentorshipStatus::from_slug(&m.status).unwrap_or(MentorshipStatus::Withdrawn)
}

/// Statuses that hold one of the mentor's places.
pub const HOLDS_A_PLACE: [MentorshipStatus; 3] = [
    MentorshipStatus::Proposed,
    MentorshipStatus::Active,
    MentorshipStatus::Paused,
];

fn slugs(statuses: &[MentorshipStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.slug()).collect()
}

/// Places in use for each of `mentor_ids`.
pub async fn loads<C: ConnectionTrait>(
    conn: &C,
    mentor_ids: &[i64],
) -> AppResult<HashMap<i64, u32>> {
    #[derive(FromQueryResult)]
    struct Row {
        mentor_id: i64,
        n: i64,
    }
    let rows = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::MentorId)
        .column_as(mentorship::Column::Id.count(), "n")
        .filter(mentorship::Column::MentorId.is_in(mentor_ids.iter().copied()))
        .filter(mentorship::Column::Status.is_in(slugs(&HOLDS_A_PLACE)))
        .group_by(mentorship::Column::MentorId)
        .into_model::<Row>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.mentor_id, u32::try_from(r.n).unwrap_or(u32::MAX)))
        .collect())
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<mentorship::Model>> {
    Ok(mentorship::Entity::find_by_id(id).one(db).await?)
}

/// Mentorships by any filter, newest first.
pub async fn list(
    db: &DatabaseConnection,
    statuses: Option<&[MentorshipStatus]>,
    org_ids: Option<&[i64]>,
    mentor_id: Option<i64>,
) -> AppResult<Vec<mentorship::Model>> {
    let mut q = mentorship::Entity::find();
    if let Some(statuses) = statuses {
        q = q.filter(mentorship::Column::Status.is_in(slugs(statuses)));
    }
    match (org_ids, mentor_id) {
        (Some(orgs), Some(mentor)) => {
            q = q.filter(
                sea_orm::Condition::any()
                    .add(mentorship::Column::OrganisationId.is_in(orgs.iter().copied()))
                    .add(mentorship::Column::MentorId.eq(mentor)),
            );
        }
        (Some(orgs), None) => {
            q = q.filter(mentorship::Column::OrganisationId.is_in(orgs.iter().copied()));
        }
        (None, Some(mentor)) => q = q.filter(mentorship::Column::MentorId.eq(mentor)),
        (None, None) => {}
    }
    Ok(q.order_by_desc(mentorship::Column::Id).all(db).await?)
}

/// A new mentorship in `status`, with its first history entry. Refused when
/// the two already have an open one, or (for a proposal) the mentor has no
/// place left; the mentor's row is locked so two admins cannot overfill.
pub async fn create(
    db: &DatabaseConnection,
    org_id: i64,
    mentor_id: i64,
    status: MentorshipStatus,
    actor: i64,
    note: Option<String>,
) -> AppResult<mentorship::Model> {
    let txn = super::begin_write(db).await?;
    let found = mentor::Entity::find_by_id(mentor_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if HOLDS_A_PLACE.contains(&status) {
        check_place(&txn, &found).await?;
    }
    let now = Utc::now();
    let inserted = mentorship::ActiveModel {
        organisation_id: Set(org_id),
        mentor_id: Set(mentor_id),
        status: Set(status.slug().into()),
        room_id: Set(None),
        note: Set(note.clone()),
        created_at: Set(now),
        activity_at: Set(now),
        last_nudged_at: Set(None),
        mentor_reflection: Set(None),
        organisation_reflection: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(m) => m,
        Err(e) if super::is_unique_violation(&e) => {
            return Err(AppError::conflict(
                "This organisation and mentor already have a mentorship under way.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    record(&txn, created.id, None, status, actor, note, now).await?;
    txn.commit().await?;
    Ok(created)
}

async fn check_place<C: ConnectionTrait>(conn: &C, m: &mentor::Model) -> AppResult<()> {
    let load = loads(conn, &[m.user_id])
        .await?
        .get(&m.user_id)
        .copied()
        .unwrap_or(0);
    if load >= super::mentors::capacity_of(m) {
        return Err(AppError::conflict(
            "This mentor has no place left. Ask them to raise their capacity, or choose another mentor.",
        ));
    }
    Ok(())
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    mentorship_id: i64,
    from: Option<MentorshipStatus>,
    to: MentorshipStatus,
    actor: i64,
    reason: Option<String>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    mentorship_event::ActiveModel {
        mentorship_id: Set(mentorship_id),
        from_status: Set(from.map(|s| s.slug().to_owned())),
        to_status: Set(to.slug().into()),
        actor_id: Set(actor),
        reason: Set(reason),
        at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Move `m` from its current status to `to`, if nobody moved it meanwhile
/// (else `conflict`), recording who and why. `room_id` is set when given.
pub async fn transition<C: ConnectionTrait>(
    conn: &C,
    m: &mentorship::Model,
    to: MentorshipStatus,
    actor: i64,
    reason: Option<String>,
    room_id: Option<i64>,
) -> AppResult<()> {
    let now = Utc::now();
    let mut update = mentorship::Entity::update_many()
        .col_expr(mentorship::Column::Status, Expr::value(to.slug()))
        .col_expr(mentorship::Column::ActivityAt, Expr::value(now));
    if let Some(room) = room_id {
        update = update.col_expr(mentorship::Column::RoomId, Expr::value(room));
    }
    let moved = update
        .filter(mentorship::Column::Id.eq(m.id))
        .filter(mentorship::Column::Status.eq(m.status.as_str()))
        .exec(conn)
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(AppError::conflict(
            "Someone else changed this mentorship just now. Reload to see where it stands.",
        ));
    }
    record(conn, m.id, Some(status_of(m)), to, actor, reason, now).await
}

/// Approving a request turns it into a proposal, which takes a place.
pub async fn check_mentor_has_place<C: ConnectionTrait>(conn: &C, mentor_id: i64) -> AppResult<()> {
    let found = mentor::Entity::find_by_id(mentor_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    check_place(conn, &found).await
}

pub async fn history_of(
    db: &DatabaseConnection,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<mentorship_event::Model>>> {
    let mut out: HashMap<i64, Vec<mentorship_event::Model>> = HashMap::new();
    for e in mentorship_event::Entity::find()
        .filter(mentorship_event::Column::MentorshipId.is_in(ids.iter().copied()))
        .order_by_asc(mentorship_event::Column::Id)
        .all(db)
        .await?
    {
        out.entry(e.mentorship_id).or_default().push(e);
    }
    Ok(out)
}

/// The rooms of `org_id`'s mentorships (only active and paused ones when
/// `open_only`): their members follow the organisation's staff.
pub async fn rooms_of_organisation(
    db: &DatabaseConnection,
    org_id: i64,
    open_only: bool,
) -> AppResult<Vec<i64>> {
    let mut q = mentorship::Entity::find().filter(mentorship::Column::OrganisationId.eq(org_id));
    if open_only {
        q = q.filter(
            mentorship::Column::Status
                .is_in(slugs(&[MentorshipStatus::Active, MentorshipStatus::Paused])),
        );
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.room_id)
        .collect())
}

/// The mentorship's members: the organisation's staff and the mentor.
pub async fn members<C: ConnectionTrait>(conn: &C, m: &mentorship::Model) -> AppResult<Vec<i64>> {
    let mut members = super::organisations::staff_ids(conn, m.organisation_id).await?;
    members.push(m.mentor_id);
    members.sort_unstable();
    members.dedup();
    Ok(members)
}

/// Open the mentorship's private room, "Organisation · Mentor", with every
/// member in it (inside the caller's transaction, with the step that
/// activates it). Returns the room and its members.
pub async fn open_room<C: ConnectionTrait>(
    conn: &C,
    m: &mentorship::Model,
    org_name: &str,
) -> AppResult<(i64, Vec<i64>)> {
    let mentor_name = super::users::find_many(conn, &[m.mentor_id])
        .await?
        .pop()
        .map(|u| u.display_name)
        .unwrap_or_default();
    let members = members(conn, m).await?;
    let title = format!("{org_name} · {mentor_name}");
    let room = super::rooms::create_named(conn, RoomKind::Mentorship, &title, &members).await?;
    Ok((room.id, members))
}

/// Something happened in the mentorship now.
pub async fn touch<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<()> {
    mentorship::Entity::update_many()
        .col_expr(mentorship::Column::ActivityAt, Expr::value(Utc::now()))
        .filter(mentorship::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn set_nudged(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    mentorship::Entity::update_many()
        .col_expr(mentorship::Column::LastNudgedAt, Expr::value(Utc::now()))
        .filter(mentorship::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_reflection(
    db: &DatabaseConnection,
    m: mentorship::Model,
    as_mentor: bool,
    text: String,
) -> AppResult<()> {
    let mut active: mentorship::ActiveModel = m.into();
    if as_mentor {
        active.mentor_reflection = Set(Some(text));
    } else {
        active.organisation_reflection = Set(Some(text));
    }
    active.update(db).await?;
    Ok(())
}

/// The newest message time of each of `room_ids`.
pub async fn last_message_at(
    db: &DatabaseConnection,
    room_ids: &[i64],
) -> AppResult<HashMap<i64, DateTime<Utc>>> {
    #[derive(FromQueryResult)]
    struct Row {
        room_id: i64,
        at: DateTime<Utc>,
    }
    if room_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = message::Entity::find()
        .select_only()
        .column(message::Column::RoomId)
        .column_as(message::Column::CreatedAt.max(), "at")
        .filter(message::Column::RoomId.is_in(room_ids.iter().copied()))
        .group_by(message::Column::RoomId)
        .into_model::<Row>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.room_id, r.at)).collect())
}

pub async fn goals(db: &DatabaseConnection, id: i64) -> AppResult<Vec<mentorship_goal::Model>> {
    Ok(mentorship_goal::Entity::find()
        .filter(mentorship_goal::Column::MentorshipId.eq(id))
        .order_by_asc(mentorship_goal::Column::Id)
        .all(db)
        .await?)
}

pub async fn goal(
    db: &DatabaseConnection,
    mentorship_id: i64,
    goal_id: i64,
) -> AppResult<Option<mentorship_goal::Model>> {
    Ok(mentorship_goal::Entity::find_by_id(goal_id)
        .filter(mentorship_goal::Column::MentorshipId.eq(mentorship_id))
        .one(db)
        .await?)
}

pub async fn create_goal(
    db: &DatabaseConnection,
    mentorship_id: i64,
    title: String,
    by: i64,
) -> AppResult<mentorship_goal::Model> {
    let txn = super::begin_write(db).await?;
    let now = Utc::now();
    let goal = mentorship_goal::ActiveModel {
        mentorship_id: Set(mentorship_id),
        title: Set(title),
        status: Set(GoalStatus::NotStarted.slug().into()),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    touch(&txn, mentorship_id).await?;
    txn.commit().await?;
    Ok(goal)
}

pub async fn update_goal(
    db: &DatabaseConnection,
    goal: mentorship_goal::Model,
    title: Option<String>,
    status: Option<GoalStatus>,
) -> AppResult<mentorship_goal::Model> {
    let txn = super::begin_write(db).await?;
    let mentorship_id = goal.mentorship_id;
    let mut active: mentorship_goal::ActiveModel = goal.into();
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(status) = status {
        active.status = Set(status.slug().into());
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    touch(&txn, mentorship_id).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Newest session first.
pub async fn notes(db: &DatabaseConnection, id: i64) -> AppResult<Vec<session_note::Model>> {
    Ok(session_note::Entity::find()
        .filter(session_note::Column::MentorshipId.eq(id))
        .order_by_desc(session_note::Column::SessionDate)
        .order_by_desc(session_note::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_note(
    db: &DatabaseConnection,
    mentorship_id: i64,
    session_date: NaiveDate,
    summary: String,
    next_steps: String,
    author: i64,
) -> AppResult<session_note::Model> {
    let txn = super::begin_write(db).await?;
    let note = session_note::ActiveModel {
        mentorship_id: Set(mentorship_id),
        session_date: Set(session_date),
        summary: Set(summary),
        next_steps: Set(next_steps),
        author_id: Set(author),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    touch(&txn, mentorship_id).await?;
    txn.commit().await?;
    Ok(note)
}
