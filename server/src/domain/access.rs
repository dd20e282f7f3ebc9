//! The one place that decides access. Every route and websocket message asks
//! here before reading or writing; nothing else checks membership.
//!
//! Rooms a person is not a member of are `NotFound`, exactly as rooms that do
//! not exist, so ids reveal nothing. Such refusals are `AppError::Refused`:
//! the same answer to the client, but recorded as `authz_fail` in the audit
//! log, as every `Forbidden` is.

mod concerns;
mod moderation;

pub use concerns::*;
pub use moderation::*;

use sea_orm::DatabaseConnection;
use shared::api::coops::{CoopRole, OrgRef, RequestKind, RequestStatus};
use shared::api::organisations::OrganisationRole;
use shared::taxonomy::ApprovalStatus;

use super::lifecycle::Roles;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{
    coop, coop_event, coop_record, coop_request, mentor, mentorship, message, organisation, post,
    room, session, thread, user,
};
use crate::error::{AppError, AppResult};

/// The room, if `who` may read and post in it.
pub async fn room_member(
    db: &DatabaseConnection,
    who: &AuthUser,
    room_id: i64,
) -> AppResult<room::Model> {
    db::rooms::find_as_member(db, room_id, who.id)
        .await?
        .ok_or(AppError::Refused)
}

/// The room, if `who` may post in it: a member, and the room is not
/// archived (archived co-op rooms keep their history, read-only).
pub async fn room_writer(
    db: &DatabaseConnection,
    who: &AuthUser,
    room_id: i64,
) -> AppResult<room::Model> {
    let found = room_member(db, who, room_id).await?;
    if found.archived_at.is_some() {
        return Err(AppError::conflict(
            "This room is archived: you can read its history but not post or edit.",
        ));
    }
    Ok(found)
}

/// A message `who` wrote, in a room they still belong to, that is not
/// deleted: the only messages they may edit or delete. Anything else is
/// `NotFound`, so message ids reveal nothing either. One a moderator hid is
/// a `Conflict`: its author already knows it exists.
pub async fn own_message(
    db: &DatabaseConnection,
    who: &AuthUser,
    message_id: i64,
) -> AppResult<message::Model> {
    let found = db::messages::find(db, message_id)
        .await?
        .filter(|m| m.author_id == who.id && m.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    room_writer(db, who, found.room_id).await?;
    // A moderator's decision stands until a moderator restores it.
    if found.hidden_at.is_some() {
        return Err(AppError::conflict(
            "A moderator hid this message; it cannot be edited.",
        ));
    }
    Ok(found)
}

/// One of `who`'s own sessions; anyone else's is `NotFound`.
pub async fn own_session(
    db: &DatabaseConnection,
    who: &AuthUser,
    session_id: i64,
) -> AppResult<session::Model> {
    db::sessions::list_for(db, who.id)
        .await?
        .into_iter()
        .find(|s| s.id == session_id)
        .ok_or(AppError::NotFound)
}

/// The person `who` may open a direct room with. Any signed-in member may
/// message any other for now; blocking and role rules will narrow this here.
pub async fn direct_partner(
    db: &DatabaseConnection,
    who: &AuthUser,
    other_id: i64,
) -> AppResult<user::Model> {
    if other_id == who.id {
        return Err(AppError::validation(
            "user_id",
            "You cannot open a conversation with yourself.",
        ));
    }
    db::users::find(db, other_id)
        .await?
        .ok_or(AppError::NotFound)
}

// ---- the mentoring programme ----
//
// Organisations and mentors waiting for approval (or declined) are visible
// only to themselves and the programme team: to anyone else they are
// `NotFound`. Where the thing is visible but the step is not the caller's to
// take, the answer is `Forbidden` with a sentence saying whose it is.

/// Only the programme team, and (where the server requires it) only with
/// two-factor sign-in on.
pub fn admin(who: &AuthUser) -> AppResult<()> {
    if who.two_factor_setup_required {
        Err(AppError::TwoFactorSetupRequired)
    } else if who.is_admin {
        Ok(())
    } else {
        Err(AppError::forbidden("Only the programme team can do that."))
    }
}

/// An organisation and how the caller relates to it.
pub struct OrgAccess {
    pub org: organisation::Model,
    pub role: OrganisationRole,
}

/// The organisation, if `who` may see it.
pub async fn organisation(
    db: &DatabaseConnection,
    who: &AuthUser,
    org_id: i64,
) -> AppResult<OrgAccess> {
    let org = db::organisations::find(db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let staff = db::organisations::staff_record(db, org_id, who.id).await?;
    let role = OrganisationRole {
        is_staff: staff.is_some(),
        is_lead: staff.is_some_and(|s| s.is_lead),
        is_admin: who.is_admin,
    };
    let approved = db::organisations::status_of(&org) == ApprovalStatus::Approved;
    if approved || role.is_staff || role.is_admin {
        Ok(OrgAccess { org, role })
    } else {
        Err(AppError::Refused)
    }
}

/// The organisation, if `who` leads it.
pub async fn organisation_lead(
    db: &DatabaseConnection,
    who: &AuthUser,
    org_id: i64,
) -> AppResult<OrgAccess> {
    let access = organisation(db, who, org_id).await?;
    if access.role.is_lead {
        Ok(access)
    } else {
        Err(AppError::forbidden(
            "Only a lead of this organisation can do that.",
        ))
    }
}

/// The organisation, if `who` works for it or is on the programme team
/// (who may look for a mentor for it).
pub async fn organisation_staff_or_admin(
    db: &DatabaseConnection,
    who: &AuthUser,
    org_id: i64,
) -> AppResult<OrgAccess> {
    let access = organisation(db, who, org_id).await?;
    if access.role.is_staff || access.role.is_admin {
        Ok(access)
    } else {
        Err(AppError::forbidden(
            "Only this organisation's staff and the programme team can do that.",
        ))
    }
}

/// A mentor's profile, if `who` may see it: approved mentors to everyone,
/// applications to the applicant and the programme team.
pub async fn mentor(
    db: &DatabaseConnection,
    who: &AuthUser,
    user_id: i64,
) -> AppResult<mentor::Model> {
    let found = db::mentors::find(db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let approved = db::mentors::status_of(&found) == ApprovalStatus::Approved;
    if approved || found.user_id == who.id || who.is_admin {
        Ok(found)
    } else {
        Err(AppError::Refused)
    }
}

/// A mentorship and how the caller relates to it.
pub struct MentorshipAccess {
    pub mentorship: mentorship::Model,
    pub org: organisation::Model,
    pub roles: Roles,
}

impl MentorshipAccess {
    /// The mentor and the organisation's staff: they see the room, goals and notes.
    pub fn is_member(&self) -> bool {
        self.roles.mentor || self.roles.staff
    }
}

async fn roles_in(
    db: &DatabaseConnection,
    who: &AuthUser,
    m: &mentorship::Model,
) -> AppResult<Roles> {
    let staff = db::organisations::staff_record(db, m.organisation_id, who.id).await?;
    Ok(Roles {
        admin: who.is_admin,
        mentor: m.mentor_id == who.id,
        lead: staff.as_ref().is_some_and(|s| s.is_lead),
        staff: staff.is_some(),
    })
}

/// `who`'s roles in each of `items`, from the organisations `who` works for
/// (`db::organisations::of_user`, which the caller has already read).
pub fn roles_in_each(
    who: &AuthUser,
    mine: &[(organisation::Model, bool)],
    items: Vec<mentorship::Model>,
) -> Vec<(mentorship::Model, Roles)> {
    items
        .into_iter()
        .map(|m| {
            let staff = mine.iter().find(|(o, _)| o.id == m.organisation_id);
            let roles = Roles {
                admin: who.is_admin,
                mentor: m.mentor_id == who.id,
                lead: staff.is_some_and(|(_, lead)| *lead),
                staff: staff.is_some(),
            };
            (m, roles)
        })
        .collect()
}

/// The mentorship, if `who` is its mentor, one of the organisation's staff,
/// or on the programme team (metadata only: see `mentorship_member`).
pub async fn mentorship(
    db: &DatabaseConnection,
    who: &AuthUser,
    id: i64,
) -> AppResult<MentorshipAccess> {
    let found = db::mentorships::find(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = roles_in(db, who, &found).await?;
    if !(roles.admin || roles.mentor || roles.staff) {
        return Err(AppError::Refused);
    }
    let org = db::organisations::find(db, found.organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MentorshipAccess {
        mentorship: found,
        org,
        roles,
    })
}

/// The mentorship's private content (goals, notes, reflections): only its
/// mentor and the organisation's staff. The programme team is told it is
/// not theirs to read; everyone else finds nothing.
pub async fn mentorship_member(
    db: &DatabaseConnection,
    who: &AuthUser,
    id: i64,
) -> AppResult<MentorshipAccess> {
    let access = mentorship(db, who, id).await?;
    if access.is_member() {
        Ok(access)
    } else {
        Err(AppError::forbidden(
            "Goals and session notes are private to the mentor and the organisation.",
        ))
    }
}

// ---- practice threads ----
//
// A thread is readable by every signed-in member, unless it is a
// co-operative's: then only by the staff of that co-op's member
// organisations. Unreadable and deleted threads are `NotFound`. Search and
// lists filter by the same rule in SQL, through `Readable`.

/// What `who` may read beyond the open threads: the co-operatives whose
/// threads they may read (those they are one of the people of).
#[derive(Clone, Debug, Default)]
pub struct Readable {
    pub coops: Vec<i64>,
}

impl Readable {
    pub fn thread(&self, t: &thread::Model) -> bool {
        t.deleted_at.is_none() && t.coop_id.is_none_or(|c| self.coops.contains(&c))
    }
}

/// The co-operatives `who` belongs to (through an organisation's staff, or
/// as a coordinator). The programme team reads no co-op's threads.
pub async fn readable(db: &DatabaseConnection, who: &AuthUser) -> AppResult<Readable> {
    Ok(Readable {
        coops: db::coops::coops_of_user(db, who.id).await?.member_of,
    })
}

/// The thread, if `who` may read it.
pub async fn thread(
    db: &DatabaseConnection,
    who: &AuthUser,
    thread_id: i64,
) -> AppResult<thread::Model> {
    let found = db::threads::find(db, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if readable(db, who).await?.thread(&found) {
        Ok(found)
    } else {
        Err(AppError::Refused)
    }
}

/// Of `users`, those who may read `t` (for live events and notifications:
/// membership is read at the moment of the event).
pub async fn thread_readers(
    db: &DatabaseConnection,
    t: &thread::Model,
    users: Vec<i64>,
) -> AppResult<Vec<i64>> {
    if t.deleted_at.is_some() {
        return Ok(Vec::new());
    }
    match t.coop_id {
        None => Ok(users),
        Some(coop_id) => {
            let people = db::coops::people_of(db, coop_id).await?;
            Ok(users
                .into_iter()
                .filter(|u| people.binary_search(u).is_ok())
                .collect())
        }
    }
}

/// The author of a thread and the programme team mark answers, pin, lock
/// and close.
pub fn thread_moderator(who: &AuthUser, t: &thread::Model) -> bool {
    who.is_admin || t.author_id == who.id
}

/// `thread_moderator`, as a refusal.
pub fn moderate_thread(who: &AuthUser, t: &thread::Model) -> AppResult<()> {
    if thread_moderator(who, t) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only the thread's author and the programme team can do that.",
        ))
    }
}

/// A post and its thread, if `who` may read the thread.
pub async fn post(
    db: &DatabaseConnection,
    who: &AuthUser,
    post_id: i64,
) -> AppResult<(post::Model, thread::Model)> {
    let found = db::threads::find_post(db, post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = thread(db, who, found.thread_id).await?;
    Ok((found, t))
}

/// A post `who` wrote and may still change: not deleted, not hidden by a
/// moderator, thread not locked.
pub async fn own_post(
    db: &DatabaseConnection,
    who: &AuthUser,
    post_id: i64,
) -> AppResult<(post::Model, thread::Model)> {
    let (p, t) = post(db, who, post_id).await?;
    if p.author_id != who.id || p.deleted_at.is_some() {
        return Err(AppError::forbidden("You can only change your own posts."));
    }
    // A moderator's decision stands until a moderator restores it.
    if p.hidden_at.is_some() {
        return Err(AppError::conflict(
            "A moderator hid this post; it cannot be edited.",
        ));
    }
    if t.locked {
        return Err(AppError::conflict(
            "This thread is locked: its posts can no longer be changed.",
        ));
    }
    Ok((p, t))
}

// ---- co-operatives ----
//
// A co-op itself (name, purpose, members, coordinators, history) is open to
// every signed-in person, so organisations can find one to join. Its rooms,
// decisions and actions, events and threads are for its people: the staff
// of its member organisations and its coordinators. The programme team
// manages membership but is `Forbidden` from the conversations. Requests,
// records and events of a co-op the caller cannot see are `NotFound`.

/// A co-op and how the caller relates to it.
pub struct CoopAccess {
    pub coop: coop::Model,
    pub role: CoopRole,
    /// The co-op's member organisations.
    pub members: Vec<i64>,
}

/// The co-op, with the caller's role in it.
pub async fn coop(db: &DatabaseConnection, who: &AuthUser, coop_id: i64) -> AppResult<CoopAccess> {
    let found = db::coops::find(db, coop_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let coordinator = db::coops::coordinators_of(db, coop_id)
        .await?
        .contains(&who.id);
    let members: Vec<i64> = db::coops::members_of(db, coop_id)
        .await?
        .into_iter()
        .map(|m| m.organisation_id)
        .collect();
    let mine = db::organisations::of_user(db, who.id).await?;
    let open: Vec<i64> = db::coops::pending(db, &[coop_id], &[])
        .await?
        .into_iter()
        .map(|r| r.organisation_id)
        .collect();
    let role = CoopRole {
        coordinator,
        member: coordinator || mine.iter().any(|(o, _)| members.contains(&o.id)),
        admin: who.is_admin,
        leads_members: mine
            .iter()
            .filter(|(o, lead)| *lead && members.contains(&o.id))
            .map(|(o, _)| o.id)
            .collect(),
        may_request_for: mine
            .iter()
            .filter(|(o, lead)| {
                *lead
                    && !members.contains(&o.id)
                    && !open.contains(&o.id)
                    && db::organisations::status_of(o) == ApprovalStatus::Approved
            })
            .map(|(o, _)| OrgRef {
                id: o.id,
                name: o.name.clone(),
            })
            .collect(),
    };
    Ok(CoopAccess {
        coop: found,
        role,
        members,
    })
}

/// The co-op, if `who` is one of its people (rooms, the log, events).
pub async fn coop_member(
    db: &DatabaseConnection,
    who: &AuthUser,
    coop_id: i64,
) -> AppResult<CoopAccess> {
    let access = coop(db, who, coop_id).await?;
    if access.role.member {
        Ok(access)
    } else {
        Err(AppError::forbidden(
            "Only the co-operative's member organisations and coordinators can see this.",
        ))
    }
}

/// The co-op, if `who` coordinates it or is on the programme team.
pub async fn coop_coordinator(
    db: &DatabaseConnection,
    who: &AuthUser,
    coop_id: i64,
) -> AppResult<CoopAccess> {
    let access = coop(db, who, coop_id).await?;
    if access.role.coordinator || access.role.admin {
        Ok(access)
    } else {
        Err(AppError::forbidden(
            "Only the co-operative's coordinators and the programme team can do that.",
        ))
    }
}

/// The room, if it is one of the co-op's and `who` coordinates it.
pub async fn coop_room(
    db: &DatabaseConnection,
    who: &AuthUser,
    coop_id: i64,
    room_id: i64,
) -> AppResult<(CoopAccess, room::Model)> {
    let access = coop(db, who, coop_id).await?;
    let found = db::rooms::find(db, room_id)
        .await?
        .filter(|r| r.coop_id == Some(coop_id) && access.role.member)
        .ok_or(AppError::NotFound)?;
    if !access.role.coordinator {
        return Err(AppError::forbidden(
            "Only the co-operative's coordinators can change its rooms.",
        ));
    }
    Ok((access, found))
}

/// How `who` may act on a request or invitation.
pub struct RequestAccess {
    pub request: coop_request::Model,
    pub coop: coop::Model,
    pub may_decide: bool,
    pub may_withdraw: bool,
}

/// `who`'s part in `r`, from the co-ops they coordinate and the
/// organisations they work for (with whether they lead it); `None` when it
/// is not theirs to see.
pub fn request_part(
    r: &coop_request::Model,
    coordinates: &[i64],
    mine: &[(organisation::Model, bool)],
    is_admin: bool,
) -> Option<(bool, bool)> {
    let coordinator = coordinates.contains(&r.coop_id);
    let staff = mine.iter().find(|(o, _)| o.id == r.organisation_id);
    let lead = staff.is_some_and(|(_, lead)| *lead);
    if !(coordinator || staff.is_some() || is_admin) {
        return None;
    }
    let pending = db::coops::status_of(r) == RequestStatus::Pending;
    let (decider, sender) = match db::coops::kind_of(r) {
        RequestKind::Request => (coordinator, lead),
        RequestKind::Invite => (lead, coordinator),
    };
    Some((pending && decider, pending && sender))
}

/// The request or invitation, if `who` coordinates its co-op, works for its
/// organisation, or is on the programme team.
pub async fn coop_request(
    db: &DatabaseConnection,
    who: &AuthUser,
    request_id: i64,
) -> AppResult<RequestAccess> {
    let request = db::coops::find_request(db, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let coordinates = db::coops::coops_of_user(db, who.id).await?.coordinates;
    let mine = db::organisations::of_user(db, who.id).await?;
    let (may_decide, may_withdraw) =
        request_part(&request, &coordinates, &mine, who.is_admin).ok_or(AppError::Refused)?;
    let coop = db::coops::find(db, request.coop_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(RequestAccess {
        request,
        coop,
        may_decide,
        may_withdraw,
    })
}

/// A decision or action, if `who` is one of its co-op's people.
pub async fn coop_record(
    db: &DatabaseConnection,
    who: &AuthUser,
    record_id: i64,
) -> AppResult<(coop_record::Model, CoopAccess)> {
    let found = db::coop_log::find_record(db, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = coop(db, who, found.coop_id).await?;
    if !access.role.member {
        return Err(AppError::Refused);
    }
    Ok((found, access))
}

/// An event, if `who` is one of its co-op's people.
pub async fn coop_event(
    db: &DatabaseConnection,
    who: &AuthUser,
    event_id: i64,
) -> AppResult<(coop_event::Model, CoopAccess)> {
    let found = db::coop_log::find_event(db, event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = coop(db, who, found.coop_id).await?;
    if !access.role.member {
        return Err(AppError::Refused);
    }
    Ok((found, access))
}

/// A record is deleted, and an event changed or deleted, by its author or a
/// coordinator. (Any of the co-op's people may update a record: an action's
/// status moves as the work does, whoever does it.)
pub fn author_or_coordinator(who: &AuthUser, author: i64, access: &CoopAccess) -> AppResult<()> {
    if author == who.id || access.role.coordinator {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only its author and the co-operative's coordinators can do that.",
        ))
    }
}
