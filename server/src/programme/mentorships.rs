//! A mentorship's life: proposing or requesting it, each lifecycle step
//! (checked by `domain::lifecycle`, recorded, notified), the private room
//! the mentor's acceptance opens, and the view each person gets.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use shared::api::mentorships::{MentorshipView, OrganisationRef, TransitionRecord};
use shared::api::notifications::NotificationKind;
use shared::api::users::UserSummary;
use shared::taxonomy::{LifecycleAction, MentorshipStatus};
use shared::ws::ServerMsg;

use super::notify;
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{mentorship, organisation};
use crate::db::notifications::Subject;
use crate::domain::access::MentorshipAccess;
use crate::domain::lifecycle::{self, Refusal, Roles};
use crate::error::{AppError, AppResult};

/// Views of `items`, each for its viewer's roles, with names, history and
/// activity in a few queries.
pub async fn views(
    state: &AppState,
    items: &[(mentorship::Model, Roles)],
) -> AppResult<Vec<MentorshipView>> {
    let db = &state.db;
    let ids: Vec<i64> = items.iter().map(|(m, _)| m.id).collect();
    let org_ids: Vec<i64> = items.iter().map(|(m, _)| m.organisation_id).collect();
    let orgs = db::organisations::find_many(db, &org_ids).await?;
    let mut history = db::mentorships::history_of(db, &ids).await?;
    let mut people: Vec<i64> = items.iter().map(|(m, _)| m.mentor_id).collect();
    people.extend(history.values().flatten().map(|e| e.actor_id));
    let names: HashMap<i64, String> = db::users::find_many(db, &people)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let summary = |id: i64| UserSummary {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    };
    let rooms: Vec<i64> = items.iter().filter_map(|(m, _)| m.room_id).collect();
    let last_messages = db::mentorships::last_message_at(db, &rooms).await?;
    Ok(items
        .iter()
        .map(|(m, roles)| {
            let member = roles.mentor || roles.staff;
            let status = db::mentorships::status_of(m);
            MentorshipView {
                id: m.id,
                organisation: OrganisationRef {
                    id: m.organisation_id,
                    name: orgs
                        .get(&m.organisation_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default(),
                },
                mentor: summary(m.mentor_id),
                status,
                room_id: if member { m.room_id } else { None },
                created_at: m.created_at,
                last_activity_at: last_activity(m, &last_messages),
                history: history
                    .remove(&m.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| TransitionRecord {
                        from: e
                            .from_status
                            .as_deref()
                            .and_then(MentorshipStatus::from_slug),
                        to: MentorshipStatus::from_slug(&e.to_status)
                            .unwrap_or(MentorshipStatus::Withdrawn),
                        actor: summary(e.actor_id),
                        reason: e.reason,
                        at: e.at,
                    })
                    .collect(),
                mentor_reflection: m.mentor_reflection.clone().filter(|_| member),
                organisation_reflection: m.organisation_reflection.clone().filter(|_| member),
                actions: lifecycle::allowed(status, *roles),
                viewer_is_member: member,
            }
        })
        .collect())
}

/// The newest of its own activity and its room's newest message.
pub fn last_activity(
    m: &mentorship::Model,
    last_messages: &HashMap<i64, DateTime<Utc>>,
) -> DateTime<Utc> {
    m.room_id
        .and_then(|r| last_messages.get(&r).copied())
        .map_or(m.activity_at, |at| at.max(m.activity_at))
}

/// The mentorship as it stands now, for the viewer behind `access`.
pub async fn view(state: &AppState, access: &MentorshipAccess) -> AppResult<MentorshipView> {
    let found = db::mentorships::find(&state.db, access.mentorship.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = views(state, &[(found, access.roles)]).await?;
    out.pop().ok_or(AppError::NotFound)
}

/// Tell the mentorship's members (the mentor and the organisation's staff,
/// every connection) that something in it changed, so open pages reload it.
pub async fn changed(state: &AppState, m: &mentorship::Model) -> AppResult<()> {
    let members = db::mentorships::members(&state.db, m).await?;
    state.hub.send_to_users(
        &members,
        &ServerMsg::MentorshipChanged {
            mentorship_id: m.id,
        },
    );
    Ok(())
}

/// Everyone a step concerns: the mentor and the organisation's staff, and
/// the programme team for steps that wait on them or undo their proposal.
async fn concerned(
    state: &AppState,
    m: &mentorship::Model,
    to: MentorshipStatus,
) -> AppResult<Vec<i64>> {
    let mut users = db::organisations::staff_ids(&state.db, m.organisation_id).await?;
    // The mentor hears of it once it is proposed to them, not while the
    // organisation's request waits for the programme team.
    if to != MentorshipStatus::Requested {
        users.push(m.mentor_id);
    }
    if matches!(
        to,
        MentorshipStatus::Requested
            | MentorshipStatus::Active
            | MentorshipStatus::Declined
            | MentorshipStatus::Withdrawn
            | MentorshipStatus::Completed
    ) {
        users.extend(super::admins(state).await?);
    }
    Ok(users)
}

fn sentence(actor: &str, to: MentorshipStatus, org: &str, mentor: &str) -> String {
    use MentorshipStatus as S;
    match to {
        S::Requested => format!("{actor} asked for {mentor} as mentor for {org}."),
        S::Proposed => format!("{actor} proposed {mentor} as mentor for {org}."),
        S::Active => format!("{actor} started the mentorship of {org} with {mentor}."),
        S::Paused => format!("{actor} paused the mentorship of {org} with {mentor}."),
        S::Completed => format!("{actor} marked the mentorship of {org} with {mentor} completed."),
        S::Declined => format!("{actor} declined to mentor {org}."),
        S::Withdrawn => format!("{actor} withdrew the mentorship of {org} with {mentor}."),
    }
}

async fn announce(
    state: &AppState,
    who: &AuthUser,
    m: &mentorship::Model,
    org: &organisation::Model,
    to: MentorshipStatus,
) -> AppResult<()> {
    let mentor_name = db::users::find(&state.db, m.mentor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let users = concerned(state, m, to).await?;
    notify(
        state,
        &users,
        NotificationKind::Mentorship,
        who.id,
        &who.display_name,
        Subject::Mentorship(m.id),
        &sentence(&who.display_name, to, &org.name, &mentor_name),
    )
    .await
}

/// An admin proposes (`proposed`) or a lead requests (`requested`).
pub async fn create(
    state: &AppState,
    who: &AuthUser,
    org: &organisation::Model,
    mentor_id: i64,
    status: MentorshipStatus,
    note: Option<String>,
) -> AppResult<mentorship::Model> {
    let created =
        db::mentorships::create(&state.db, org.id, mentor_id, status, who.id, note).await?;
    announce(state, who, &created, org, status).await?;
    Ok(created)
}

/// Take `action` on the mentorship, as `access` allows.
pub async fn step(
    state: &AppState,
    who: &AuthUser,
    access: &MentorshipAccess,
    action: LifecycleAction,
    reason: Option<String>,
) -> AppResult<()> {
    let m = &access.mentorship;
    let from = db::mentorships::status_of(m);
    let to = lifecycle::next(from, action, access.roles).map_err(|refusal| match refusal {
        Refusal::NotFromStatus => AppError::conflict(format!(
            "This mentorship is {}: “{}” is not possible now.",
            from.label().to_lowercase(),
            action.label()
        )),
        Refusal::NotYourStep => AppError::forbidden(match action {
            LifecycleAction::Accept | LifecycleAction::Decline => {
                "Only the proposed mentor can accept or decline."
            }
            LifecycleAction::Approve => "Only the programme team can approve a request.",
            _ => "Only the mentor, a lead of the organisation or the programme team can do that.",
        }),
    })?;
    if lifecycle::needs_reason(action) && reason.is_none() {
        return Err(AppError::validation(
            "reason",
            "Say why, in a sentence: the other side will read it.",
        ));
    }

    let txn = db::begin_write(&state.db).await?;
    if to == MentorshipStatus::Proposed {
        db::mentorships::check_mentor_has_place(&txn, m.mentor_id).await?;
    }
    // Accepting opens the private room: the mentor and every staff member.
    let opened = if to == MentorshipStatus::Active && m.room_id.is_none() {
        Some(db::mentorships::open_room(&txn, m, &access.org.name).await?)
    } else {
        None
    };
    db::mentorships::transition(
        &txn,
        m,
        to,
        who.id,
        reason,
        opened.as_ref().map(|(r, _)| *r),
    )
    .await?;
    txn.commit().await?;

    if let Some((room_id, members)) = opened {
        for user_id in members {
            let room = db::rooms::summary(&state.db, room_id, user_id).await?;
            state
                .hub
                .send_to_users(&[user_id], &ServerMsg::RoomAdded { room });
        }
    }
    changed(state, m).await?;
    announce(state, who, m, &access.org, to).await
}
