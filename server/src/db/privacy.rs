//! Queries for one's own personal data: reading everything about a person
//! for the export, and the writes of erasure (run inside the caller's
//! transaction; `privacy::erase` decides the policy and the order).
//!
//! Lists of a person's rows are selected by subquery (`… IN (SELECT id FROM
//! messages WHERE author_id = ?)`), never by a list of ids, so a long
//! history cannot exceed either engine's limit on bound values.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{
    audit_event, calendar_token, concern, concern_history, coop, coop_coordinator, coop_event,
    coop_record, glossary_term, helpful_mark, mentor, mentor_expertise, mentorship,
    mentorship_event, mentorship_goal, message, message_edit, moderation_action, notification,
    organisation, organisation_staff, post, recovery_code, report, room, room_member, session,
    session_note, thread, thread_follow, thread_read, topic_follow, user,
};
use crate::error::{AppError, AppResult};

/// The name an erased account is shown by.
pub const DELETED_NAME: &str = "Deleted account";

/// The address an erased account keeps: unique, and under `.invalid`, a
/// domain that can never receive mail (RFC 2606).
pub fn deleted_email(user_id: i64) -> String {
    format!("deleted-{user_id}@deleted.invalid")
}

// ---------------------------------------------------------------------------
// The export

/// Everything stored about one person, as rows; `privacy::export` shapes it.
pub struct Gathered {
    pub user: user::Model,
    pub sessions: Vec<session::Model>,
    pub staff: Vec<(organisation_staff::Model, organisation::Model)>,
    pub coordinator: Vec<(coop_coordinator::Model, coop::Model)>,
    pub mentor: Option<mentor::Model>,
    pub expertise: Vec<mentor_expertise::Model>,
    pub mentorships: Vec<mentorship::Model>,
    pub organisations: HashMap<i64, organisation::Model>,
    pub goals: Vec<mentorship_goal::Model>,
    pub mentorship_events: Vec<mentorship_event::Model>,
    pub notes: Vec<session_note::Model>,
    pub rooms: Vec<(room_member::Model, room::Model)>,
    pub messages: Vec<message::Model>,
    pub edits: Vec<message_edit::Model>,
    pub posts: Vec<post::Model>,
    /// Titles of the threads of `posts`, `followed` and `helpful`.
    pub threads: HashMap<i64, thread::Model>,
    pub followed: Vec<thread_follow::Model>,
    pub topics: Vec<topic_follow::Model>,
    pub helpful: Vec<(helpful_mark::Model, i64)>,
    pub notifications: Vec<notification::Model>,
    pub concerns: Vec<concern::Model>,
    pub concern_history: Vec<concern_history::Model>,
    pub reports: Vec<report::Model>,
    pub moderation: Vec<moderation_action::Model>,
    pub glossary: Vec<glossary_term::Model>,
    pub coop_records: Vec<coop_record::Model>,
    pub coop_events: Vec<coop_event::Model>,
    pub audit: Vec<audit_event::Model>,
}

/// `SELECT id FROM messages WHERE author_id = ?`
fn messages_by(user_id: i64) -> SelectStatement {
    Query::select()
        .column(message::Column::Id)
        .from(message::Entity)
        .and_where(message::Column::AuthorId.eq(user_id))
        .to_owned()
}

/// `SELECT id FROM posts WHERE author_id = ?`
fn posts_by(user_id: i64) -> SelectStatement {
    Query::select()
        .column(post::Column::Id)
        .from(post::Entity)
        .and_where(post::Column::AuthorId.eq(user_id))
        .to_owned()
}

/// Read everything about `user_id` (one consistent read is not needed:
/// the export is the person's own, taken at one moment near enough).
pub async fn gather(db: &DatabaseConnection, user_id: i64) -> AppResult<Gathered> {
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_asc(session::Column::CreatedAt)
        .all(db)
        .await?;

    let staff_rows = organisation_staff::Entity::find()
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let staff_orgs: Vec<i64> = staff_rows.iter().map(|s| s.organisation_id).collect();

    let coordinating = coop_coordinator::Entity::find()
        .filter(coop_coordinator::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let coops: HashMap<i64, coop::Model> = coop::Entity::find()
        .filter(coop::Column::Id.is_in(coordinating.iter().map(|c| c.coop_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let coordinator = coordinating
        .into_iter()
        .filter_map(|c| {
            let found = coops.get(&c.coop_id)?.clone();
            Some((c, found))
        })
        .collect();

    let mentor = mentor::Entity::find_by_id(user_id).one(db).await?;
    let expertise = mentor_expertise::Entity::find()
        .filter(mentor_expertise::Column::MentorId.eq(user_id))
        .all(db)
        .await?;

    // The mentorships they are in: as the mentor, or as staff of the
    // organisation (the two roles that may read goals and notes).
    let mentorships = mentorship::Entity::find()
        .filter(
            Condition::any()
                .add(mentorship::Column::MentorId.eq(user_id))
                .add(mentorship::Column::OrganisationId.is_in(staff_orgs.iter().copied())),
        )
        .order_by_asc(mentorship::Column::Id)
        .all(db)
        .await?;
    let mentorship_ids: Vec<i64> = mentorships.iter().map(|m| m.id).collect();
    let mut org_ids: HashSet<i64> = staff_orgs.iter().copied().collect();
    org_ids.extend(mentorships.iter().map(|m| m.organisation_id));
    let organisations: HashMap<i64, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let staff = staff_rows
        .into_iter()
        .filter_map(|s| {
            let org = organisations.get(&s.organisation_id)?.clone();
            Some((s, org))
        })
        .collect();
    let goals = mentorship_goal::Entity::find()
        .filter(mentorship_goal::Column::MentorshipId.is_in(mentorship_ids.iter().copied()))
        .order_by_asc(mentorship_goal::Column::Id)
        .all(db)
        .await?;
    let mentorship_events = mentorship_event::Entity::find()
        .filter(mentorship_event::Column::MentorshipId.is_in(mentorship_ids.iter().copied()))
        .order_by_asc(mentorship_event::Column::Id)
        .all(db)
        .await?;
    let notes = session_note::Entity::find()
        .filter(session_note::Column::MentorshipId.is_in(mentorship_ids.iter().copied()))
        .order_by_asc(session_note::Column::SessionDate)
        .order_by_asc(session_note::Column::Id)
        .all(db)
        .await?;

    let memberships = room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(user_id))
        .order_by_asc(room_member::Column::RoomId)
        .all(db)
        .await?;
    let room_rows: HashMap<i64, room::Model> = room::Entity::find()
        .filter(
            room::Column::Id.in_subquery(
                Query::select()
                    .column(room_member::Column::RoomId)
                    .from(room_member::Entity)
                    .and_where(room_member::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let rooms = memberships
        .into_iter()
        .filter_map(|m| {
            let r = room_rows.get(&m.room_id)?.clone();
            Some((m, r))
        })
        .collect();

    let messages = message::Entity::find()
        .filter(message::Column::AuthorId.eq(user_id))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?;
    let edits = message_edit::Entity::find()
        .filter(message_edit::Column::MessageId.in_subquery(messages_by(user_id)))
        .order_by_asc(message_edit::Column::Id)
        .all(db)
        .await?;

    let posts = post::Entity::find()
        .filter(post::Column::AuthorId.eq(user_id))
        .order_by_asc(post::Column::Id)
        .all(db)
        .await?;
    let followed = thread_follow::Entity::find()
        .filter(thread_follow::Column::UserId.eq(user_id))
        .order_by_asc(thread_follow::Column::ThreadId)
        .all(db)
        .await?;
    let topics = topic_follow::Entity::find()
        .filter(topic_follow::Column::UserId.eq(user_id))
        .order_by_asc(topic_follow::Column::Topic)
        .all(db)
        .await?;
    let marks = helpful_mark::Entity::find()
        .filter(helpful_mark::Column::UserId.eq(user_id))
        .order_by_asc(helpful_mark::Column::CreatedAt)
        .all(db)
        .await?;
    let marked_posts: HashMap<i64, i64> = post::Entity::find()
        .select_only()
        .column(post::Column::Id)
        .column(post::Column::ThreadId)
        .filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column(helpful_mark::Column::PostId)
                    .from(helpful_mark::Entity)
                    .and_where(helpful_mark::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let helpful: Vec<(helpful_mark::Model, i64)> = marks
        .into_iter()
        .filter_map(|m| {
            let thread_id = *marked_posts.get(&m.post_id)?;
            Some((m, thread_id))
        })
        .collect();
    let mut thread_ids: HashSet<i64> = posts.iter().map(|p| p.thread_id).collect();
    thread_ids.extend(followed.iter().map(|f| f.thread_id));
    thread_ids.extend(helpful.iter().map(|(_, t)| *t));
    let threads = thread::Entity::find()
        .filter(thread::Column::Id.is_in(thread_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();

    let notifications = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await?;
    let concerns = concern::Entity::find()
        .filter(concern::Column::RaisedBy.eq(user_id))
        .order_by_asc(concern::Column::Id)
        .all(db)
        .await?;
    let concern_history = concern_history::Entity::find()
        .filter(
            concern_history::Column::ConcernId.in_subquery(
                Query::select()
                    .column(concern::Column::Id)
                    .from(concern::Entity)
                    .and_where(concern::Column::RaisedBy.eq(user_id))
                    .to_owned(),
            ),
        )
        .order_by_asc(concern_history::Column::At)
        .order_by_asc(concern_history::Column::Id)
        .all(db)
        .await?;
    let reports = report::Entity::find()
        .filter(report::Column::ReporterId.eq(user_id))
        .order_by_asc(report::Column::Id)
        .all(db)
        .await?;
    let moderation = moderation_action::Entity::find()
        .filter(moderation_action::Column::UserId.eq(user_id))
        .order_by_asc(moderation_action::Column::Id)
        .all(db)
        .await?;
    let glossary = glossary_term::Entity::find()
        .filter(glossary_term::Column::SuggestedBy.eq(user_id))
        .order_by_asc(glossary_term::Column::Id)
        .all(db)
        .await?;
    let coop_records = coop_record::Entity::find()
        .filter(coop_record::Column::CreatedBy.eq(user_id))
        .order_by_asc(coop_record::Column::Id)
        .all(db)
        .await?;
    let coop_events = coop_event::Entity::find()
        .filter(coop_event::Column::CreatedBy.eq(user_id))
        .order_by_asc(coop_event::Column::Id)
        .all(db)
        .await?;
    let audit = audit_event::Entity::find()
        .filter(
            Condition::any()
                .add(audit_event::Column::ActorId.eq(user_id))
                .add(audit_event::Column::SubjectId.eq(user_id)),
        )
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?;

    Ok(Gathered {
        user,
        sessions,
        staff,
        coordinator,
        mentor,
        expertise,
        mentorships,
        organisations,
        goals,
        mentorship_events,
        notes,
        rooms,
        messages,
        edits,
        posts,
        threads,
        followed,
        topics,
        helpful,
        notifications,
        concerns,
        concern_history,
        reports,
        moderation,
        glossary,
        coop_records,
        coop_events,
        audit,
    })
}

// ---------------------------------------------------------------------------
// Erasure: every function below writes inside the caller's transaction.

/// The programme team's ids, their rows locked (PostgreSQL; SQLite's write
/// transaction already serialises), so two admins erasing themselves at
/// once cannot both go and leave nobody.
pub async fn admins_locked<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<i64>> {
    Ok(user::Entity::find()
        .filter(user::Column::IsAdmin.eq(true))
        .lock_exclusive()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// What erasure changes that other people hear of after the commit.
#[derive(Debug, Default)]
pub struct Reach {
    /// Rooms they were a member of.
    pub member_of: Vec<i64>,
    /// Rooms holding messages they wrote.
    pub wrote_in: Vec<i64>,
    /// Organisations they were staff of.
    pub organisations: Vec<i64>,
    /// Co-operatives they coordinated.
    pub coops: Vec<i64>,
    /// Mentorships they were the mentor of.
    pub mentored: Vec<mentorship::Model>,
}

pub async fn reach<C: ConnectionTrait>(conn: &C, user_id: i64) -> AppResult<Reach> {
    let member_of = room_member::Entity::find()
        .select_only()
        .column(room_member::Column::RoomId)
        .filter(room_member::Column::UserId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let wrote_in = message::Entity::find()
        .select_only()
        .column(message::Column::RoomId)
        .distinct()
        .filter(message::Column::AuthorId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let organisations = organisation_staff::Entity::find()
        .select_only()
        .column(organisation_staff::Column::OrganisationId)
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let coops = coop_coordinator::Entity::find()
        .select_only()
        .column(coop_coordinator::Column::CoopId)
        .filter(coop_coordinator::Column::UserId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let mentored = mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(user_id))
        .order_by_asc(mentorship::Column::Id)
        .all(conn)
        .await?;
    Ok(Reach {
        member_of,
        wrote_in,
        organisations,
        coops,
        mentored,
    })
}

/// Chat: every message they wrote becomes a tombstone (body emptied, so the
/// search index drops it; row and seq kept), its earlier bodies in
/// `message_edits` are purged, and they leave every room.
pub async fn erase_messages<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    message_edit::Entity::delete_many()
        .filter(message_edit::Column::MessageId.in_subquery(messages_by(user_id)))
        .exec(conn)
        .await?;
    message::Entity::update_many()
        .col_expr(message::Column::Body, Expr::value(""))
        .filter(message::Column::AuthorId.eq(user_id))
        .filter(message::Column::Body.ne(""))
        .exec(conn)
        .await?;
    message::Entity::update_many()
        .col_expr(message::Column::DeletedAt, Expr::value(now))
        .filter(message::Column::AuthorId.eq(user_id))
        .filter(message::Column::DeletedAt.is_null())
        .exec(conn)
        .await?;
    room_member::Entity::delete_many()
        .filter(room_member::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Which threads erasure changed.
#[derive(Debug, Default)]
pub struct ThreadsErased {
    /// Threads they opened that others replied to: kept, title and all,
    /// with the opening post a tombstone.
    pub kept: Vec<i64>,
    /// Threads they opened that nobody else replied to: deleted.
    pub deleted: Vec<i64>,
    /// Every thread whose posts changed (their replies, marks they gave).
    pub touched: Vec<i64>,
}

/// Practice threads: their posts become tombstones (text, plain text and
/// searched title emptied, so search no longer finds them), threads they
/// opened without replies from others are deleted (title emptied too),
/// their helpful marks and follows go.
pub async fn erase_posts<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<ThreadsErased> {
    let mut out = ThreadsErased::default();
    let opened = thread::Entity::find()
        .filter(thread::Column::AuthorId.eq(user_id))
        .filter(thread::Column::DeletedAt.is_null())
        .all(conn)
        .await?;
    for t in opened {
        let replies_by_others = post::Entity::find()
            .filter(post::Column::ThreadId.eq(t.id))
            .filter(post::Column::AuthorId.ne(user_id))
            .filter(post::Column::DeletedAt.is_null())
            .count(conn)
            .await?;
        if replies_by_others > 0 {
            out.kept.push(t.id);
            continue;
        }
        // As `db::threads::delete` does when the author deletes it, and the
        // title too: nobody else's words remain in it.
        thread::Entity::update_many()
            .col_expr(thread::Column::DeletedAt, Expr::value(now))
            .col_expr(thread::Column::Title, Expr::value(""))
            .filter(thread::Column::Id.eq(t.id))
            .exec(conn)
            .await?;
        post::Entity::update_many()
            .col_expr(post::Column::Body, Expr::value(""))
            .col_expr(post::Column::Plain, Expr::value(""))
            .col_expr(post::Column::SearchTitle, Expr::value(""))
            .col_expr(post::Column::DeletedAt, Expr::value(now))
            .filter(post::Column::ThreadId.eq(t.id))
            .filter(post::Column::DeletedAt.is_null())
            .exec(conn)
            .await?;
        out.deleted.push(t.id);
    }

    let mut touched: HashSet<i64> = post::Entity::find()
        .select_only()
        .column(post::Column::ThreadId)
        .distinct()
        .filter(post::Column::AuthorId.eq(user_id))
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    post::Entity::update_many()
        .col_expr(post::Column::Body, Expr::value(""))
        .col_expr(post::Column::Plain, Expr::value(""))
        .col_expr(post::Column::SearchTitle, Expr::value(""))
        .filter(post::Column::AuthorId.eq(user_id))
        .filter(
            Condition::any()
                .add(post::Column::Body.ne(""))
                .add(post::Column::Plain.ne(""))
                .add(post::Column::SearchTitle.ne("")),
        )
        .exec(conn)
        .await?;
    post::Entity::update_many()
        .col_expr(post::Column::DeletedAt, Expr::value(now))
        .filter(post::Column::AuthorId.eq(user_id))
        .filter(post::Column::DeletedAt.is_null())
        .exec(conn)
        .await?;
    // A deleted post stops being the answer, as when its author deletes it.
    thread::Entity::update_many()
        .col_expr(
            thread::Column::AnswerPostId,
            Expr::value(Option::<i64>::None),
        )
        .filter(thread::Column::AnswerPostId.in_subquery(posts_by(user_id)))
        .exec(conn)
        .await?;

    // Helpful marks they gave, and the counts that included them.
    let marked: Vec<(i64, i64)> = post::Entity::find()
        .select_only()
        .column(post::Column::Id)
        .column(post::Column::ThreadId)
        .filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column(helpful_mark::Column::PostId)
                    .from(helpful_mark::Entity)
                    .and_where(helpful_mark::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(conn)
        .await?;
    helpful_mark::Entity::delete_many()
        .filter(helpful_mark::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    for &(post_id, thread_id) in &marked {
        let n = helpful_mark::Entity::find()
            .filter(helpful_mark::Column::PostId.eq(post_id))
            .count(conn)
            .await?;
        post::Entity::update_many()
            .col_expr(
                post::Column::HelpfulCount,
                Expr::value(i64::try_from(n).unwrap_or(i64::MAX)),
            )
            .filter(post::Column::Id.eq(post_id))
            .exec(conn)
            .await?;
        touched.insert(thread_id);
    }

    thread_follow::Entity::delete_many()
        .filter(thread_follow::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    topic_follow::Entity::delete_many()
        .filter(topic_follow::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    thread_read::Entity::delete_many()
        .filter(thread_read::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    touched.extend(out.kept.iter().copied());
    touched.extend(out.deleted.iter().copied());
    let mut touched: Vec<i64> = touched.into_iter().collect();
    touched.sort_unstable();
    out.touched = touched;
    Ok(out)
}

/// The programme: session notes they wrote emptied, their mentor
/// reflections removed, expertise deleted, the mentor profile deleted (or,
/// when mentorships name them as mentor, emptied and closed to new matches
/// so those records stay whole), staff and coordinator roles and their
/// private calendar feed removed.
pub async fn erase_programme<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    session_note::Entity::update_many()
        .col_expr(session_note::Column::Summary, Expr::value(""))
        .col_expr(session_note::Column::NextSteps, Expr::value(""))
        .filter(session_note::Column::AuthorId.eq(user_id))
        .exec(conn)
        .await?;
    mentorship::Entity::update_many()
        .col_expr(
            mentorship::Column::MentorReflection,
            Expr::value(Option::<String>::None),
        )
        .filter(mentorship::Column::MentorId.eq(user_id))
        .exec(conn)
        .await?;
    mentor_expertise::Entity::delete_many()
        .filter(mentor_expertise::Column::MentorId.eq(user_id))
        .exec(conn)
        .await?;
    let mentorships = mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(user_id))
        .count(conn)
        .await?;
    if mentorships == 0 {
        mentor::Entity::delete_by_id(user_id).exec(conn).await?;
    } else {
        // Deleting the row would cascade to the mentorships (the other
        // side's goals, notes and history): empty it instead, declined and
        // without places, so it is in no directory and takes no match.
        let empty = super::lists::encode::<String>(&[]);
        mentor::Entity::update_many()
            .col_expr(mentor::Column::Bio, Expr::value(""))
            .col_expr(mentor::Column::ActivityTypes, Expr::value(empty.clone()))
            .col_expr(mentor::Column::Localities, Expr::value(empty))
            .col_expr(mentor::Column::Remote, Expr::value(false))
            .col_expr(mentor::Column::InPerson, Expr::value(false))
            .col_expr(mentor::Column::Capacity, Expr::value(0))
            .col_expr(mentor::Column::LivedExperience, Expr::value(false))
            .col_expr(mentor::Column::Status, Expr::value("declined"))
            .col_expr(
                mentor::Column::DecisionReason,
                Expr::value("The account was deleted."),
            )
            .col_expr(mentor::Column::DecidedAt, Expr::value(now))
            .filter(mentor::Column::UserId.eq(user_id))
            .exec(conn)
            .await?;
    }
    organisation_staff::Entity::delete_many()
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    organisation::Entity::update_many()
        .col_expr(
            organisation::Column::SafeguardingLeadId,
            Expr::value(Option::<i64>::None),
        )
        .filter(organisation::Column::SafeguardingLeadId.eq(user_id))
        .exec(conn)
        .await?;
    coop_coordinator::Entity::delete_many()
        .filter(coop_coordinator::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    calendar_token::Entity::delete_by_id(user_id)
        .exec(conn)
        .await?;
    Ok(())
}

/// `text` with every whole-word `name` replaced by `with`; None when there
/// is none (a name inside a longer word is left alone).
pub fn replace_name(text: &str, name: &str, with: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in text.match_indices(name) {
        if i < last {
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        out.push_str(&text[last..i]);
        out.push_str(with);
        last = i + name.len();
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Notifications: theirs are deleted; in other people's, the ones they
/// caused or about mentorships they mentored, their name becomes
/// [`DELETED_NAME`]; those about threads erasure deleted lose the title.
pub async fn erase_notifications<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    old_name: &str,
    mentored: &[i64],
    deleted_threads: &[i64],
) -> AppResult<()> {
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    if !deleted_threads.is_empty() {
        notification::Entity::update_many()
            .col_expr(
                notification::Column::Text,
                Expr::value("A thread that has since been deleted."),
            )
            .filter(notification::Column::ThreadId.is_in(deleted_threads.iter().copied()))
            .exec(conn)
            .await?;
    }
    let naming = notification::Entity::find()
        .filter(notification::Column::Text.is_not_null())
        .filter(
            Condition::any()
                .add(notification::Column::ActorId.eq(user_id))
                .add(notification::Column::MentorshipId.is_in(mentored.iter().copied())),
        )
        .all(conn)
        .await?;
    for n in naming {
        let Some(text) = n.text.as_deref() else {
            continue;
        };
        if let Some(renamed) = replace_name(text, old_name, DELETED_NAME) {
            notification::Entity::update_many()
                .col_expr(notification::Column::Text, Expr::value(renamed))
                .filter(notification::Column::Id.eq(n.id))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

/// The account becomes a tombstone that references still hold: no address,
/// no name, a password hash nobody knows the password of, no role, default
/// settings, no suspension, no two-factor secret or recovery codes, no
/// sessions. Reports they made lose their
/// reporter; co-op actions they owned lose their owner.
pub async fn erase_account<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    unusable_hash: &str,
) -> AppResult<()> {
    report::Entity::update_many()
        .col_expr(report::Column::ReporterId, Expr::value(Option::<i64>::None))
        .filter(report::Column::ReporterId.eq(user_id))
        .exec(conn)
        .await?;
    coop_record::Entity::update_many()
        .col_expr(
            coop_record::Column::OwnerUserId,
            Expr::value(Option::<i64>::None),
        )
        .filter(coop_record::Column::OwnerUserId.eq(user_id))
        .exec(conn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let none: Option<DateTime<Utc>> = None;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(deleted_email(user_id)))
        .col_expr(user::Column::DisplayName, Expr::value(DELETED_NAME))
        .col_expr(user::Column::PasswordHash, Expr::value(unusable_hash))
        .col_expr(user::Column::IsAdmin, Expr::value(false))
        .col_expr(user::Column::ReadReceipts, Expr::value(true))
        .col_expr(user::Column::SuspendedAt, Expr::value(none))
        .col_expr(user::Column::SuspendedUntil, Expr::value(none))
        .col_expr(
            user::Column::SuspensionReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user::Column::TotpEnabledAt, Expr::value(none))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::replace_name;

    #[test]
    fn names_are_replaced_as_whole_words_only() {
        let with = "Deleted account";
        assert_eq!(
            replace_name(
                "Jo Penrose accepted. Thanks, Jo Penrose!",
                "Jo Penrose",
                with
            )
            .as_deref(),
            Some("Deleted account accepted. Thanks, Deleted account!")
        );
        assert_eq!(
            replace_name("Joint bid from Jo", "Jo", with).as_deref(),
            Some("Joint bid from Deleted account")
        );
        assert_eq!(replace_name("Joint bid", "Jo", with), None);
        assert_eq!(replace_name("anything", "", with), None);
        assert_eq!(replace_name("Ana", "Ana", with).as_deref(), Some(with));
    }
}
