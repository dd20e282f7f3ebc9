//! Queries on mentor applications and profiles, and their expertise.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use shared::api::mentors::{Expertise, MentorView, SaveMentorProfile};
use shared::api::users::UserSummary;
use shared::taxonomy::{ApprovalStatus, Depth, Topic};

use super::entities::{mentor, mentor_expertise};
use super::lists;
use crate::error::AppResult;

pub fn status_of(m: &mentor::Model) -> ApprovalStatus {
    ApprovalStatus::from_slug(&m.status).unwrap_or(ApprovalStatus::Pending)
}

pub fn capacity_of(m: &mentor::Model) -> u32 {
    u32::try_from(m.capacity).unwrap_or(0)
}

pub async fn find<C: ConnectionTrait>(conn: &C, user_id: i64) -> AppResult<Option<mentor::Model>> {
    Ok(mentor::Entity::find_by_id(user_id).one(conn).await?)
}

pub async fn list(
    db: &DatabaseConnection,
    statuses: &[ApprovalStatus],
) -> AppResult<Vec<mentor::Model>> {
    Ok(mentor::Entity::find()
        .filter(mentor::Column::Status.is_in(statuses.iter().map(|s| s.slug())))
        .all(db)
        .await?)
}

/// Apply (first save) or edit. Editing a declined application sends it
/// back to the programme team; an approved mentor stays approved.
pub async fn save(
    db: &DatabaseConnection,
    user_id: i64,
    profile: &SaveMentorProfile,
) -> AppResult<mentor::Model> {
    let txn = super::begin_write(db).await?;
    let existing = find(&txn, user_id).await?;
    let model = match existing {
        None => {
            mentor::ActiveModel {
                user_id: Set(user_id),
                bio: Set(profile.bio.clone()),
                activity_types: Set(lists::encode(&profile.activity_types)),
                localities: Set(lists::encode(&profile.localities)),
                remote: Set(profile.remote),
                in_person: Set(profile.in_person),
                capacity: Set(i32::try_from(profile.capacity).unwrap_or(i32::MAX)),
                lived_experience: Set(profile.lived_experience),
                status: Set(ApprovalStatus::Pending.slug().into()),
                decision_reason: Set(None),
                created_at: Set(Utc::now()),
                decided_at: Set(None),
                decided_by: Set(None),
            }
            .insert(&txn)
            .await?
        }
        Some(found) => {
            let resubmit = status_of(&found) == ApprovalStatus::Declined;
            let mut active: mentor::ActiveModel = found.into();
            active.bio = Set(profile.bio.clone());
            active.activity_types = Set(lists::encode(&profile.activity_types));
            active.localities = Set(lists::encode(&profile.localities));
            active.remote = Set(profile.remote);
            active.in_person = Set(profile.in_person);
            active.capacity = Set(i32::try_from(profile.capacity).unwrap_or(i32::MAX));
            active.lived_experience = Set(profile.lived_experience);
            if resubmit {
                active.status = Set(ApprovalStatus::Pending.slug().into());
                active.decision_reason = Set(None);
            }
            active.update(&txn).await?
        }
    };
    mentor_expertise::Entity::delete_many()
        .filter(mentor_expertise::Column::MentorId.eq(user_id))
        .exec(&txn)
        .await?;
    for e in &profile.expertise {
        mentor_expertise::ActiveModel {
            mentor_id: Set(user_id),
            topic: Set(e.topic.slug().into()),
            depth: Set(e.depth.slug().into()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(model)
}

pub async fn decide(
    db: &DatabaseConnection,
    found: mentor::Model,
    admin: i64,
    approve: bool,
    reason: Option<String>,
) -> AppResult<mentor::Model> {
    let status = if approve {
        ApprovalStatus::Approved
    } else {
        ApprovalStatus::Declined
    };
    let mut active: mentor::ActiveModel = found.into();
    active.status = Set(status.slug().into());
    active.decision_reason = Set(reason);
    active.decided_at = Set(Some(Utc::now()));
    active.decided_by = Set(Some(admin));
    Ok(active.update(db).await?)
}

/// The expertise of each of `ids`, deepest first.
pub async fn expertise_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Expertise>>> {
    let mut out: HashMap<i64, Vec<Expertise>> = HashMap::new();
    for e in mentor_expertise::Entity::find()
        .filter(mentor_expertise::Column::MentorId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        if let (Some(topic), Some(depth)) = (Topic::from_slug(&e.topic), Depth::from_slug(&e.depth))
        {
            out.entry(e.mentor_id)
                .or_default()
                .push(Expertise { topic, depth });
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|e| (e.depth, e.topic));
    }
    Ok(out)
}

pub fn view(m: &mentor::Model, name: String, expertise: Vec<Expertise>, load: u32) -> MentorView {
    MentorView {
        user: UserSummary {
            id: m.user_id,
            display_name: name,
        },
        profile: SaveMentorProfile {
            bio: m.bio.clone(),
            expertise,
            activity_types: lists::decode(&m.activity_types),
            localities: lists::decode(&m.localities),
            remote: m.remote,
            in_person: m.in_person,
            capacity: capacity_of(m),
            lived_experience: m.lived_experience,
        },
        status: status_of(m),
        decision_reason: m.decision_reason.clone(),
        load,
        created_at: m.created_at,
    }
}

/// Views of `models`, with names, expertise and loads in three queries.
pub async fn views(
    db: &DatabaseConnection,
    models: &[mentor::Model],
) -> AppResult<Vec<MentorView>> {
    let ids: Vec<i64> = models.iter().map(|m| m.user_id).collect();
    let names: HashMap<i64, String> = super::users::find_many(db, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut expertise = expertise_of(db, &ids).await?;
    let loads = super::mentorships::loads(db, &ids).await?;
    let mut out: Vec<MentorView> = models
        .iter()
        .map(|m| {
            view(
                m,
                names.get(&m.user_id).cloned().unwrap_or_default(),
                expertise.remove(&m.user_id).unwrap_or_default(),
                loads.get(&m.user_id).copied().unwrap_or(0),
            )
        })
        .collect();
    out.sort_by(|a, b| {
        a.user
            .display_name
            .cmp(&b.user.display_name)
            .then(a.user.id.cmp(&b.user.id))
    });
    Ok(out)
}
