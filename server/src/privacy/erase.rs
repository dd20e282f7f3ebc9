//! Erasure of one's own account (UK GDPR Art. 17), after the password is
//! given again. The account row stays as a tombstone so that references
//! hold; everything the person wrote is emptied or removed, except what must
//! outlive the account. The policy (also in SECURITY.md):
//!
//! - Account: email `deleted-{id}@deleted.invalid`, name `Deleted account`,
//!   a password hash of a random secret nobody keeps, not an admin, default
//!   settings, no suspension, two-factor secret and recovery codes removed.
//!   Every session deleted, every socket closed.
//! - Chat: every message they wrote is a tombstone (body emptied, row and
//!   seq kept), its edit history purged; they leave every room.
//! - Threads: every post they wrote is a tombstone (text, plain text and
//!   searched title emptied, so search no longer finds it). A thread they
//!   opened stays, title and all, when others replied; otherwise it is
//!   deleted (title emptied too). Helpful marks they gave, follows and read
//!   positions go.
//! - Programme: session notes they wrote emptied, their mentor reflections
//!   removed, expertise deleted; the mentor profile deleted, or, when
//!   mentorships name them as mentor (deleting it would cascade to the
//!   organisation's records), emptied, declined and given no places.
//!   Mentorships they mentor end as the lifecycle lets a mentor end them
//!   (proposed: declined; active or paused: withdrawn), with the reason
//!   "The mentor's account was deleted." and a notice to the organisation's
//!   staff and the programme team; requested ones wait for the programme
//!   team or a lead to withdraw (a mentor has no step there, and approval
//!   now finds no place). Staff, lead, safeguarding-lead and co-op
//!   coordinator roles and the calendar feed are removed. Goals, lifecycle
//!   history and the other side's notes stay: they are the organisation's.
//! - Notifications addressed to them: deleted. In others' notifications
//!   they caused (or about mentorships they mentored) their name becomes
//!   `Deleted account`.
//! - Kept, shown as by `Deleted account`: safeguarding concerns they raised
//!   and notes they added (Art. 17(3)(b) and (e)), glossary terms they
//!   suggested, co-op records and events they wrote, moderation actions and
//!   the audit log (which names the account id only). Reports they made
//!   lose their reporter; co-op actions they owned lose their owner.
//! - Audit: `user_deleted`, actor and subject the account id, no detail.
//!
//! All writes are one transaction; live notices go out after the commit.

use chrono::Utc;
use shared::api::notifications::NotificationKind;
use shared::taxonomy::{LifecycleAction, MentorshipStatus};
use shared::ws::{CoopPart, ServerMsg};

use crate::app::AppState;
use crate::auth::{AuthUser, password, throttle, token};
use crate::cluster::Sessions;
use crate::db;
use crate::db::audit::{self, Entry, Event};
use crate::db::entities::{mentorship, notification};
use crate::db::notifications::Subject;
use crate::db::privacy::{DELETED_NAME, Reach, ThreadsErased};
use crate::domain::access;
use crate::domain::lifecycle::{self, Roles};
use crate::error::{AppError, AppResult};
use crate::{coops, programme};

/// The reason recorded on mentorships the erasure ends.
const MENTOR_GONE: &str = "The mentor's account was deleted.";

/// Erase `who`'s account, if `password` is theirs. A wrong password counts
/// as a failed log-in (so it is throttled like one).
pub async fn erase(state: &AppState, who: &AuthUser, ip: &str, password: String) -> AppResult<()> {
    let found = db::users::find(&state.db, who.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    throttle::check(&state.db, ip, Some(who.id)).await?;
    if !password::verify(password, Some(found.password_hash.clone())).await? {
        audit::record(
            &state.db,
            Entry {
                event: Event::LoginFail,
                actor: None,
                subject: Some(who.id),
                ip: Some(ip),
                detail: None,
            },
        )
        .await?;
        return Err(AppError::InvalidCredentials);
    }
    // The hash of a random secret that is never kept: a real argon2 hash
    // (so a log-in attempt is an ordinary failure), matching no password.
    let unusable = password::hash(token::generate()?).await?;

    let now = Utc::now();
    let txn = db::begin_write(&state.db).await?;
    let admins = db::privacy::admins_locked(&txn).await?;
    if admins.contains(&who.id) && admins.iter().all(|&a| a == who.id) {
        return Err(AppError::conflict(
            "You are the last member of the programme team. Make someone else an admin \
             before deleting your account.",
        ));
    }
    let reach = db::privacy::reach(&txn, who.id).await?;
    let others: Vec<i64> = admins.into_iter().filter(|&a| a != who.id).collect();
    let ended = end_mentorships(&txn, who.id, &reach.mentored, &others).await?;
    db::privacy::erase_messages(&txn, who.id, now).await?;
    let threads = db::privacy::erase_posts(&txn, who.id, now).await?;
    db::privacy::erase_programme(&txn, who.id, now).await?;
    let mentored: Vec<i64> = reach.mentored.iter().map(|m| m.id).collect();
    db::privacy::erase_notifications(
        &txn,
        who.id,
        &found.display_name,
        &mentored,
        &threads.deleted,
    )
    .await?;
    db::privacy::erase_account(&txn, who.id, &unusable).await?;
    audit::record(
        &txn,
        Entry {
            event: Event::UserDeleted,
            actor: Some(who.id),
            subject: Some(who.id),
            ip: None,
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user_id = who.id, "account erased");

    // Their sockets first: nothing more reaches or comes from them.
    state
        .hub
        .close_sessions(who.id, Sessions::All, "account deleted");
    // The erasure stands; a notice that fails is logged, not answered.
    if let Err(e) = notices(state, who.id, &reach, &threads, &ended).await {
        tracing::warn!(user_id = who.id, error = %e, "erasure notices failed");
    }
    Ok(())
}

/// End, inside the erasure's transaction, the mentorships `user_id` mentors
/// that a mentor may end, and store the notices to the organisation's staff
/// and the programme team.
async fn end_mentorships<C: sea_orm::ConnectionTrait>(
    conn: &C,
    user_id: i64,
    mentored: &[mentorship::Model],
    admins: &[i64],
) -> AppResult<Vec<(mentorship::Model, Vec<notification::Model>)>> {
    let mentor = Roles {
        mentor: true,
        ..Roles::default()
    };
    let org_ids: Vec<i64> = mentored.iter().map(|m| m.organisation_id).collect();
    let orgs = db::organisations::find_many(conn, &org_ids).await?;
    let mut out = Vec::new();
    for m in mentored {
        let from = db::mentorships::status_of(m);
        let action = match from {
            MentorshipStatus::Proposed => LifecycleAction::Decline,
            MentorshipStatus::Active | MentorshipStatus::Paused => LifecycleAction::Withdraw,
            _ => continue,
        };
        let Ok(to) = lifecycle::next(from, action, mentor) else {
            continue;
        };
        db::mentorships::transition(conn, m, to, user_id, Some(MENTOR_GONE.to_owned()), None)
            .await?;
        let org = orgs
            .get(&m.organisation_id)
            .map(|o| o.name.as_str())
            .unwrap_or("the organisation");
        let text = format!(
            "The mentor's account was deleted, so the mentorship of {org} was {}.",
            to.slug()
        );
        let mut told = db::organisations::staff_ids(conn, m.organisation_id).await?;
        told.extend_from_slice(admins);
        told.sort_unstable();
        told.dedup();
        let rows = db::notifications::create_programme(
            conn,
            &told,
            NotificationKind::Mentorship,
            user_id,
            Subject::Mentorship(m.id),
            &text,
        )
        .await?;
        out.push((m.clone(), rows));
    }
    Ok(out)
}

/// After the commit: tell everyone whose view changed.
async fn notices(
    state: &AppState,
    user_id: i64,
    reach: &Reach,
    threads: &ThreadsErased,
    ended: &[(mentorship::Model, Vec<notification::Model>)],
) -> AppResult<()> {
    // As leaving does: the person's own connections lose the rooms.
    for &room_id in &reach.member_of {
        state
            .hub
            .send_to_users(&[user_id], &ServerMsg::RoomRemoved { room_id });
    }
    // The other members reload the history that now shows tombstones (one
    // frame per room, however many messages changed).
    let members = db::rooms::members_of(&state.db, &reach.wrote_in).await?;
    for &room_id in &reach.wrote_in {
        let Some(room) = db::rooms::find(&state.db, room_id).await? else {
            continue;
        };
        let users = members.get(&room_id).cloned().unwrap_or_default();
        state.hub.send_to_users(
            &users,
            &ServerMsg::Resync {
                room_id,
                last_seq: room.last_seq,
            },
        );
    }
    for (m, rows) in ended {
        programme::mentorships::changed(state, m).await?;
        for n in rows {
            let view = db::notifications::programme_view(n, DELETED_NAME);
            state
                .hub
                .send_to_users(&[n.user_id], &ServerMsg::Notification(view));
        }
    }
    // Their organisations' co-op rooms and pages follow the staff, as
    // when someone leaves; their co-ops lose a coordinator.
    for &org_id in &reach.organisations {
        coops::rooms::staff_changed(state, org_id).await?;
    }
    for &coop_id in &reach.coops {
        coops::rooms::sync(state, coop_id).await?;
        coops::changed(state, coop_id, CoopPart::Home, &[]).await?;
    }
    for &thread_id in &threads.touched {
        let Some(t) = db::threads::find(&state.db, thread_id).await? else {
            continue;
        };
        let watchers = state.hub.watchers(t.id);
        // A deleted thread is told to all its watchers (it now answers them
        // `not_found`), as when its author deletes it.
        let told = if t.deleted_at.is_some() {
            watchers
        } else {
            access::thread_readers(&state.db, &t, watchers).await?
        };
        state.hub.send_to_watchers(
            t.id,
            &told,
            t.deleted_at.is_none(),
            &ServerMsg::ThreadChanged { thread_id },
        );
    }
    Ok(())
}
