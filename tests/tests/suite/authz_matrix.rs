//! Issue 7's authorisation matrix: one table, [`ROUTES`], of every route of
//! the OpenAPI document against every way a caller can stand, with the answer
//! each must get; and one, [`WS`], of every websocket message the same way.
//!
//! The six callers ([`ROLES`]), all in one world built through the real API
//! ([`world`]):
//!
//! - **anonymous**: no session cookie;
//! - **outsider**: a lead of another approved organisation (Y, Tamar
//!   Gardens) and of one still waiting for approval (Z); in none of the
//!   rooms, threads or co-ops below; Y has a mentorship with the mentor,
//!   proposed and not yet answered;
//! - **member**: the lead of organisation X (Harbour Arts), which is in the
//!   co-op and has the mentorship; in the co-op's room and the mentorship's
//!   room, author of the threads, the records and events, the concern and the
//!   report below;
//! - **coordinator**: the co-op's coordinator, staff of no organisation;
//! - **mentor**: an approved mentor, in an active mentorship with X;
//! - **admin**: the programme team, staff of nothing and in no room.
//!
//! Outcomes ([`Outcome`]): `Y` passes access control (any success, or a 409
//! or 422 from a deliberately minimal body: the step was the caller's to
//! try), `U` 401 `unauthenticated`, `H` 404 `not_found` (existence is not
//! revealed), `F` 403 `forbidden`. Every expected outcome comes from
//! `server/src/domain/access.rs` (and `access/*.rs`) and the route's own
//! documentation, not from what the server answered.
//!
//! Side effects: within a row the refusals run first and those who pass run
//! last (the member last of all, as they own most targets); rows whose
//! passing callers change things others rely on either get a fresh target
//! per caller ([`Prep`]) or sit in the last block, in an order where each
//! step no longer matters to the rows after it. Bodies are minimal so most
//! passing steps are refused as 409 or 422 after the access check and change
//! nothing.
//!
//! Every status the route table is answered with, refused or passing, must
//! also be listed in that operation's `responses` in the OpenAPI document
//! ([`undocumented_statuses`]), so clients can rely on the document.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::api::concerns::{ConcernPriority, ConcernStatus, RaiseConcern, SetConcernStatus};
use shared::api::coops::{CreateRecord, EventKind, RecordKind, SaveEvent};
use shared::api::mentorships::{CreateSessionNote, Transition};
use shared::api::moderation::{CreateReport, ModerationReason, ReportReason, SuspendUser};
use shared::api::threads::{CreatePost, CreateThread, EditThread, Visibility};
use shared::limits::MODERATION_REASON_MAX_CHARS;
use shared::taxonomy::{Depth, LifecycleAction, Topic};
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};

use crate::both;
use crate::harness::coops::{CoopWorld, save_coop};
use crate::harness::programme::{mentor_profile, profile};
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, WsClient};

both!(
    every_route_answers_each_role_as_the_table_says,
    every_websocket_message_answers_each_role_as_the_table_says,
);

// ---- callers and outcomes ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Anonymous,
    Outsider,
    Member,
    Coordinator,
    Mentor,
    Admin,
}

/// The columns of the tables, in this order.
const ROLES: [Role; 6] = [
    Role::Anonymous,
    Role::Outsider,
    Role::Member,
    Role::Coordinator,
    Role::Mentor,
    Role::Admin,
];

/// The order those who pass run in, after the refusals: the member, who
/// owns most targets (and leaves, deletes, withdraws), last.
const PASSING_ORDER: [Role; 6] = [
    Role::Anonymous,
    Role::Admin,
    Role::Mentor,
    Role::Coordinator,
    Role::Outsider,
    Role::Member,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Passes access control: 1xx/2xx, or 409/422 (the step was the caller's
    /// to try; a minimal body refused it after the check).
    Ok,
    /// 401 `unauthenticated`.
    Unauth,
    /// 404 `not_found`: its existence is not revealed.
    Hidden,
    /// 403 `forbidden`: visible, but not the caller's step.
    Forbidden,
}

use Outcome::{Forbidden as F, Hidden as H, Ok as Y, Unauth as U};

/// No session needed.
const EVERYONE: [Outcome; 6] = [Y, Y, Y, Y, Y, Y];
/// Any session.
const SIGNED_IN: [Outcome; 6] = [U, Y, Y, Y, Y, Y];
/// `access::admin` / `access::moderator`.
const ADMIN_ONLY: [Outcome; 6] = [U, F, F, F, F, Y];
/// The member alone, among callers who may see the thing: X's lead
/// (`organisation_lead`, X being approved and so visible to all), or the
/// author of their own thread or post (`threads::edit`, `own_post`).
const MEMBER_ONLY: [Outcome; 6] = [U, F, Y, F, F, F];
/// `access::coop_member`: the co-op is public, its log is its people's.
const COOP_PEOPLE: [Outcome; 6] = [U, F, Y, Y, F, F];
/// A co-op's room, thread, post, record or event: others find nothing
/// (`room_member`, `thread`, `coop_record`, `coop_event`).
const COOP_READERS: [Outcome; 6] = [U, H, Y, Y, H, H];
/// The coordinator's own event (to change or delete) or record (to delete):
/// other co-op people (the member) are refused (`author_or_coordinator`);
/// everyone else finds nothing.
const COORDINATOR_ALONE: [Outcome; 6] = [U, H, F, Y, H, H];
/// `access::coop_coordinator`.
const COORDINATOR_OR_ADMIN: [Outcome; 6] = [U, F, F, Y, F, Y];
/// The mentorship's room: its mentor and X's staff.
const MENTORSHIP_ROOM: [Outcome; 6] = [U, H, Y, H, Y, H];
/// `access::mentorship`: its mentor, X's staff, the programme team.
const MENTORSHIP: [Outcome; 6] = [U, H, Y, H, Y, Y];
/// `access::mentorship_member`: goals, notes and reflections are private
/// to the mentor and X; the programme team is told so.
const MENTORSHIP_PRIVATE: [Outcome; 6] = [U, H, Y, H, Y, F];
/// `access::concern`: its raiser (the member), X's safeguarding lead (a
/// helper, none of the roles) and the programme team.
const CONCERN_READERS: [Outcome; 6] = [U, H, Y, H, H, Y];
/// Only the member: their own session, message, post or room.
const MEMBER_ONLY_HIDDEN: [Outcome; 6] = [U, H, Y, H, H, H];

// ---- what the rows point at ----

/// The things a row's path or body names, made by [`world`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum K {
    /// Organisation X (Harbour Arts): approved; the member leads it.
    Org,
    /// Organisation Y (Tamar Gardens): approved; the outsider leads it.
    OtherOrg,
    /// Organisation Z: waiting for approval; the outsider leads it.
    PendingOrg,
    /// X's named safeguarding lead: a helper on its staff.
    Safeguarder,
    /// A helper on X's staff, there to be removed.
    Extra,
    /// A second coordinator, there to be removed.
    SecondCoordinator,
    /// A signed-in person of no organisation: the direct room partner,
    /// the reply author and the moderators' subject.
    Peer,
    /// The mentor's user id.
    Mentor,
    /// A mentor application waiting for approval (a helper's).
    Applicant,
    Mentorship,
    MentorshipRoom,
    /// A mentorship of Y with the mentor, proposed and not yet answered.
    ProposedMentorship,
    Goal,
    Coop,
    CoopRoom,
    /// A decision the member recorded.
    Record,
    /// An event the member added.
    Event,
    /// A decision and an event the coordinator added.
    CoordinatorRecord,
    CoordinatorEvent,
    /// Y's pending request to join the co-op.
    JoinRequest,
    /// The member's direct room with `Extra`, there to be left.
    DirectRoom,
    /// The coordinator's message in the co-op room, reported by the member.
    Message,
    /// Another of the coordinator's messages there, which nobody reported.
    UnreportedMessage,
    /// The member's report of `Message`.
    Report,
    /// An open thread the member started, and its opening post.
    Thread,
    Opening,
    /// Replies in `Thread`: the member's, the member's to delete, the peer's.
    MemberPost,
    DeletablePost,
    PeerPost,
    /// A co-op thread the member started, its opening post, and replies.
    CoopThread,
    CoopOpening,
    CoopMemberPost,
    CoordinatorPost,
    /// A topic slug.
    Topic,
    /// A glossary term the member suggested (pending).
    Term,
    /// A live invitation token to X.
    Invite,
    /// The member's concern, raised for X.
    Concern,
    /// The safeguarding lead's private calendar feed (`{token}.ics`).
    FeedFile,
    /// A second session of the member.
    MemberSession,
    /// The member's own messages in the co-op room (websocket table only).
    OwnMessage,
    DeletableMessage,
    /// What the row's [`Prep`] made for this caller.
    Fresh,
}

/// A target made afresh for each caller just before their request, for rows
/// where more than one caller passes and passing uses the target up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prep {
    None,
    /// The member starts an open thread.
    Thread,
    /// The member starts a thread in the co-op.
    CoopThread,
    /// The member records a decision in the co-op.
    Record,
    /// The member adds an event to the co-op.
    Event,
    /// The programme team makes `SecondCoordinator` a coordinator again.
    Coordinator,
    /// The member makes a new invitation link to X.
    Invite,
    /// The caller signs in again and uses that session.
    Session,
}

struct World {
    /// By role, as [`ROLES`]; the anonymous caller has no session.
    people: [Option<TestUser>; 6],
    peer: TestUser,
    ids: HashMap<K, String>,
}

impl World {
    fn get(&self, k: K) -> &str {
        self.ids
            .get(&k)
            .unwrap_or_else(|| panic!("the world has no {k:?}"))
    }

    fn id(&self, k: K) -> i64 {
        self.get(k).parse().expect("an id")
    }

    fn person(&self, role: Role) -> &TestUser {
        self.people[role as usize]
            .as_ref()
            .expect("a signed-in role")
    }
}

// ---- the route table ----

const GET: &str = "GET";
const POST: &str = "POST";
const PUT: &str = "PUT";
const DELETE: &str = "DELETE";

struct Row {
    method: &'static str,
    /// As in the OpenAPI document (with a query string when it matters);
    /// each `{…}` is filled from `keys`, in order.
    path: &'static str,
    keys: &'static [K],
    body: fn(&World) -> Value,
    /// By role, as [`ROLES`].
    expect: [Outcome; 6],
    prep: Prep,
    /// Nobody passes: the row shows a refusal even the programme team
    /// gets (its target is made, and checked, by [`world`]).
    nobody_passes: bool,
}

const fn r(
    method: &'static str,
    path: &'static str,
    keys: &'static [K],
    body: fn(&World) -> Value,
    expect: [Outcome; 6],
) -> Row {
    Row {
        method,
        path,
        keys,
        body,
        expect,
        prep: Prep::None,
        nobody_passes: false,
    }
}

impl Row {
    const fn fresh(self, prep: Prep) -> Row {
        Row { prep, ..self }
    }

    const fn nobody_passes(self) -> Row {
        Row {
            nobody_passes: true,
            ..self
        }
    }

    /// The route as the OpenAPI document names it.
    fn route(&self) -> (String, String) {
        let path = self.path.split('?').next().unwrap_or(self.path);
        (self.method.to_lowercase(), path.to_owned())
    }
}

/// Routes served but not in the OpenAPI document, each with why.
const UNDOCUMENTED: &[(&str, &str)] = &[
    // The document does not describe itself (`app.rs` adds it beside the
    // documented routes).
    ("get", "/openapi.json"),
];

/// Expected answers by role: [anonymous, outsider, member, coordinator,
/// mentor, admin].
#[rustfmt::skip]
const ROUTES: &[Row] = &[
    // ---- the served surface and accounts ----
    r(GET, "/health", &[], empty, EVERYONE),
    r(GET, "/openapi.json", &[], empty, EVERYONE),
    r(GET, "/ws", &[], empty, SIGNED_IN),
    // No session needed: a weak password is refused before anything is
    // stored; the peer's right password signs the peer in (a new session).
    r(POST, "/auth/register", &[], weak_registration, EVERYONE),
    r(POST, "/auth/login", &[], peer_login, EVERYONE),
    r(GET, "/me", &[], empty, SIGNED_IN),
    r(PUT, "/me/settings", &[], empty, SIGNED_IN),
    r(GET, "/me/sessions", &[], empty, SIGNED_IN),
    r(GET, "/me/export", &[], empty, SIGNED_IN),
    // One's own two-factor sign-in (nobody here has it on: 409 or a wrong
    // code, 422); the programme team may not turn it off.
    r(POST, "/me/two-factor/setup", &[], empty, SIGNED_IN),
    r(POST, "/me/two-factor/enable", &[], not_a_code, SIGNED_IN),
    r(POST, "/me/two-factor/recovery-codes", &[], not_a_code, SIGNED_IN),
    r(POST, "/me/two-factor/disable", &[], password_and_not_a_code, [U, Y, Y, Y, Y, F]),
    r(GET, "/admin/audit", &[], empty, ADMIN_ONLY),
    r(GET, "/users?q=Sam", &[], empty, SIGNED_IN),
    // ---- rooms and notifications ----
    r(GET, "/rooms", &[], empty, SIGNED_IN),
    r(POST, "/rooms/direct", &[], direct_with_peer, SIGNED_IN),
    r(GET, "/rooms/{id}/messages", &[K::CoopRoom], empty, COOP_READERS),
    r(GET, "/rooms/{id}/messages", &[K::MentorshipRoom], empty, MENTORSHIP_ROOM),
    r(GET, "/rooms/{id}/messages", &[K::DirectRoom], empty, MEMBER_ONLY_HIDDEN),
    r(PUT, "/rooms/{id}/settings", &[K::CoopRoom], empty, COOP_READERS),
    r(PUT, "/rooms/{id}/settings", &[K::MentorshipRoom], empty, MENTORSHIP_ROOM),
    r(GET, "/notifications", &[], empty, SIGNED_IN),
    r(POST, "/notifications/read", &[], read_none, SIGNED_IN),
    // ---- organisations ----
    r(GET, "/organisations", &[], empty, SIGNED_IN),
    r(GET, "/organisations?status=pending", &[], empty, ADMIN_ONLY),
    r(POST, "/organisations", &[], blank_organisation, SIGNED_IN),
    r(GET, "/organisations/{id}", &[K::Org], empty, SIGNED_IN),
    // Waiting for approval: its own staff and the programme team only.
    r(GET, "/organisations/{id}", &[K::PendingOrg], empty, [U, Y, H, H, H, Y]),
    r(PUT, "/organisations/{id}", &[K::Org], blank_organisation, MEMBER_ONLY),
    r(PUT, "/organisations/{id}/needs", &[K::Org], no_needs, MEMBER_ONLY),
    r(POST, "/organisations/{id}/decision", &[K::Org], decline_without_reason, ADMIN_ONLY),
    r(POST, "/organisations/{id}/decision", &[K::PendingOrg], decline_without_reason, [U, F, H, H, H, Y]),
    r(PUT, "/organisations/{id}/staff/{user_id}", &[K::Org, K::Extra], not_a_lead, MEMBER_ONLY),
    r(PUT, "/organisations/{id}/safeguarding-lead", &[K::Org], safeguarder_named, MEMBER_ONLY),
    r(POST, "/organisations/{id}/invites", &[K::Org], empty, MEMBER_ONLY),
    r(GET, "/invites/{token}", &[K::Invite], empty, SIGNED_IN),
    r(GET, "/organisations/{id}/suggestions", &[K::Org], empty, [U, F, Y, F, F, Y]),
    // ---- mentors ----
    r(GET, "/mentors", &[], empty, SIGNED_IN),
    r(GET, "/mentors?status=pending", &[], empty, ADMIN_ONLY),
    // One's own profile: only the mentor has one; for everyone else there is
    // nothing to find.
    r(GET, "/mentors/me", &[], empty, [U, H, H, H, Y, H]),
    r(PUT, "/mentors/me", &[], no_expertise, SIGNED_IN),
    r(GET, "/mentors/{user_id}", &[K::Mentor], empty, SIGNED_IN),
    // An application: the applicant (a helper) and the programme team only.
    r(GET, "/mentors/{user_id}", &[K::Applicant], empty, [U, H, H, H, H, Y]),
    r(POST, "/mentors/{user_id}/decision", &[K::Mentor], decline_without_reason, ADMIN_ONLY),
    r(POST, "/mentors/{user_id}/decision", &[K::Applicant], decline_without_reason, [U, H, H, H, H, Y]),
    // ---- mentorships and the programme ----
    r(GET, "/mentorships", &[], empty, SIGNED_IN),
    // A lead of the organisation (a request) or the programme team (a
    // proposal); the pair already has one under way.
    r(POST, "/mentorships", &[], org_and_mentor, [U, F, Y, F, F, Y]),
    r(GET, "/mentorships/{id}", &[K::Mentorship], empty, MENTORSHIP),
    // Resuming an active mentorship: refused (409) to everyone it is visible to.
    r(POST, "/mentorships/{id}/transition", &[K::Mentorship], resume, MENTORSHIP),
    // Y's proposed mentorship: its staff (the outsider) see it; declining is
    // the mentor's step alone (who must give a reason: 422).
    r(GET, "/mentorships/{id}", &[K::ProposedMentorship], empty, [U, Y, H, H, Y, Y]),
    r(POST, "/mentorships/{id}/transition", &[K::ProposedMentorship], decline, [U, F, H, H, Y, F]),
    r(PUT, "/mentorships/{id}/reflection", &[K::Mentorship], reflection, MENTORSHIP_PRIVATE),
    r(GET, "/mentorships/{id}/goals", &[K::Mentorship], empty, MENTORSHIP_PRIVATE),
    r(POST, "/mentorships/{id}/goals", &[K::Mentorship], goal, MENTORSHIP_PRIVATE),
    r(PUT, "/mentorships/{id}/goals/{goal_id}", &[K::Mentorship, K::Goal], empty, MENTORSHIP_PRIVATE),
    r(GET, "/mentorships/{id}/notes", &[K::Mentorship], empty, MENTORSHIP_PRIVATE),
    r(POST, "/mentorships/{id}/notes", &[K::Mentorship], session_note, MENTORSHIP_PRIVATE),
    r(POST, "/mentorships/{id}/nudge", &[K::Mentorship], empty, [U, H, F, H, F, Y]),
    r(GET, "/programme/me", &[], empty, SIGNED_IN),
    r(GET, "/programme/plan", &[], empty, ADMIN_ONLY),
    r(GET, "/programme/dashboard", &[], empty, ADMIN_ONLY),
    // ---- practice threads, search, glossary ----
    r(GET, "/threads", &[], empty, SIGNED_IN),
    r(GET, "/threads?coop={id}", &[K::Coop], empty, COOP_PEOPLE),
    r(POST, "/threads", &[], blank_thread, SIGNED_IN),
    r(GET, "/threads/{id}", &[K::Thread], empty, SIGNED_IN),
    r(GET, "/threads/{id}", &[K::CoopThread], empty, COOP_READERS),
    // Editing: the author only, the programme team included.
    r(PUT, "/threads/{id}", &[K::Thread], same_thread, MEMBER_ONLY),
    r(PUT, "/threads/{id}", &[K::CoopThread], same_thread, [U, H, Y, F, H, H]),
    r(POST, "/threads/{id}/posts", &[K::Thread], blank_post, SIGNED_IN),
    r(POST, "/threads/{id}/posts", &[K::CoopThread], blank_post, COOP_READERS),
    r(PUT, "/posts/{id}", &[K::MemberPost], edited_post, MEMBER_ONLY),
    r(PUT, "/posts/{id}", &[K::CoopMemberPost], edited_post, [U, H, Y, F, H, H]),
    r(PUT, "/posts/{id}/helpful", &[K::PeerPost], helpful, SIGNED_IN),
    r(PUT, "/posts/{id}/helpful", &[K::CoordinatorPost], helpful, COOP_READERS),
    // Pin, lock, close and answers: the author and the programme team.
    r(PUT, "/threads/{id}/state", &[K::Thread], empty, [U, F, Y, F, F, Y]),
    r(PUT, "/threads/{id}/state", &[K::CoopThread], empty, [U, H, Y, F, H, H]),
    r(PUT, "/threads/{id}/answer", &[K::Thread], no_answer, [U, F, Y, F, F, Y]),
    r(PUT, "/threads/{id}/answer", &[K::CoopThread], no_answer, [U, H, Y, F, H, H]),
    r(PUT, "/threads/{id}/follow", &[K::Thread], unfollow, SIGNED_IN),
    r(PUT, "/threads/{id}/follow", &[K::CoopThread], unfollow, COOP_READERS),
    r(PUT, "/topics/{slug}/follow", &[K::Topic], unfollow, SIGNED_IN),
    r(POST, "/threads/{id}/read", &[K::Thread], read_opening, SIGNED_IN),
    r(POST, "/threads/{id}/read", &[K::CoopThread], read_coop_opening, COOP_READERS),
    r(POST, "/markdown/preview", &[], preview, SIGNED_IN),
    r(GET, "/search?q=bid", &[], empty, SIGNED_IN),
    r(GET, "/glossary", &[], empty, SIGNED_IN),
    r(POST, "/glossary", &[], blank_term, SIGNED_IN),
    r(POST, "/glossary/{id}/decision", &[K::Term], decline_without_reason, ADMIN_ONLY),
    // ---- co-operatives ----
    r(GET, "/coops", &[], empty, SIGNED_IN),
    r(POST, "/coops", &[], blank_coop, ADMIN_ONLY),
    r(GET, "/coops/{id}", &[K::Coop], empty, SIGNED_IN),
    r(PUT, "/coops/{id}", &[K::Coop], blank_coop, COORDINATOR_OR_ADMIN),
    r(POST, "/coops/{id}/coordinators", &[K::Coop], nobody, COORDINATOR_OR_ADMIN),
    // Asking for Y to join: Y's lead only (who already has a request open: 409).
    r(POST, "/coops/{id}/requests", &[K::Coop], other_org, [U, Y, F, F, F, F]),
    // Inviting: its coordinators, not the programme team (X is in: 409).
    r(POST, "/coops/{id}/invites", &[K::Coop], org, [U, F, F, Y, F, F]),
    r(GET, "/coop-requests", &[], empty, SIGNED_IN),
    // Y's request: seen by Y's staff, the co-op's coordinators and the
    // programme team; decided by the coordinators.
    r(POST, "/coop-requests/{id}/decide", &[K::JoinRequest], decline_request, [U, F, H, Y, H, F]),
    r(POST, "/coops/{id}/rooms", &[K::Coop], blank_room, [U, F, F, Y, F, F]),
    // A co-op room is only found by the co-op's people (`coop_room`).
    r(PUT, "/coops/{id}/rooms/{room_id}", &[K::Coop, K::CoopRoom], empty, [U, H, F, Y, H, H]),
    r(GET, "/coops/{id}/records", &[K::Coop], empty, COOP_PEOPLE),
    r(POST, "/coops/{id}/records", &[K::Coop], blank_record, COOP_PEOPLE),
    // Any of the co-op's people may update a decision or action (its view
    // has `may_delete` only); events are changed by their author or a
    // coordinator (`author_or_coordinator`).
    r(PUT, "/coop-records/{id}", &[K::Record], empty, COOP_READERS),
    r(PUT, "/coop-records/{id}", &[K::CoordinatorRecord], empty, COOP_READERS),
    r(GET, "/coops/{id}/events", &[K::Coop], empty, COOP_PEOPLE),
    r(POST, "/coops/{id}/events", &[K::Coop], blank_event, COOP_PEOPLE),
    r(PUT, "/coop-events/{id}", &[K::Event], blank_event, COOP_READERS),
    r(PUT, "/coop-events/{id}", &[K::CoordinatorEvent], blank_event, COORDINATOR_ALONE),
    r(GET, "/coops/{id}/calendar.ics", &[K::Coop], empty, COOP_PEOPLE),
    // The private feed address is the secret: no session needed.
    r(GET, "/calendar/{file}", &[K::FeedFile], empty, EVERYONE),
    r(POST, "/calendar/feed", &[], empty, SIGNED_IN),
    r(GET, "/network", &[], empty, SIGNED_IN),
    // ---- safeguarding concerns ----
    r(GET, "/concerns", &[], empty, SIGNED_IN),
    r(POST, "/concerns", &[], blank_concern, SIGNED_IN),
    // Raised from a message or post: only one the caller can read.
    r(POST, "/concerns", &[], concern_from_message, COOP_READERS),
    r(POST, "/concerns", &[], concern_from_post, COOP_READERS),
    r(GET, "/concerns/{id}", &[K::Concern], empty, CONCERN_READERS),
    // Moving it on: its handlers and the programme team; the raiser is told
    // it is not theirs.
    r(POST, "/concerns/{id}/status", &[K::Concern], close_without_note, [U, H, F, H, H, Y]),
    r(POST, "/concerns/{id}/notes", &[K::Concern], blank_note, CONCERN_READERS),
    // ---- reports and moderation ----
    // Reporting: only what one can read (one's own is a 422).
    r(POST, "/reports", &[], report_message, COOP_READERS),
    r(POST, "/reports", &[], report_post, COOP_READERS),
    r(GET, "/moderation/reports", &[], empty, ADMIN_ONLY),
    r(GET, "/moderation/reports/{id}", &[K::Report], empty, ADMIN_ONLY),
    r(POST, "/moderation/reports/{id}/dismiss", &[K::Report], overlong_reason, ADMIN_ONLY),
    r(POST, "/moderation/messages/{id}/hide", &[K::Message], no_reason, ADMIN_ONLY),
    r(POST, "/moderation/messages/{id}/restore", &[K::Message], no_reason, ADMIN_ONLY),
    r(POST, "/moderation/posts/{id}/hide", &[K::PeerPost], no_reason, ADMIN_ONLY),
    // Moderators have no way into rooms and co-op threads: a message or a
    // co-op thread's post becomes theirs only once someone reports it.
    r(POST, "/moderation/messages/{id}/hide", &[K::UnreportedMessage], no_reason, [U, F, F, F, F, H]).nobody_passes(),
    r(POST, "/moderation/posts/{id}/hide", &[K::CoopMemberPost], no_reason, [U, F, F, F, F, H]).nobody_passes(),
    r(POST, "/moderation/posts/{id}/restore", &[K::PeerPost], no_reason, ADMIN_ONLY),
    r(GET, "/moderation/users/{id}", &[K::Peer], empty, ADMIN_ONLY),
    r(POST, "/moderation/users/{id}/warn", &[K::Peer], no_reason, ADMIN_ONLY),
    r(POST, "/moderation/users/{id}/suspend", &[K::Peer], no_suspension_reason, ADMIN_ONLY),
    r(POST, "/moderation/users/{id}/unsuspend", &[K::Peer], no_reason, ADMIN_ONLY),
    // ---- last: steps that use their target up or change who is where ----
    r(DELETE, "/coop-records/{id}", &[K::Fresh], empty, COOP_READERS).fresh(Prep::Record),
    r(DELETE, "/coop-events/{id}", &[K::Fresh], empty, COOP_READERS).fresh(Prep::Event),
    r(DELETE, "/coop-records/{id}", &[K::CoordinatorRecord], empty, COORDINATOR_ALONE),
    r(DELETE, "/coop-events/{id}", &[K::CoordinatorEvent], empty, COORDINATOR_ALONE),
    r(DELETE, "/threads/{id}", &[K::Fresh], empty, [U, F, Y, F, F, Y]).fresh(Prep::Thread),
    r(DELETE, "/threads/{id}", &[K::Fresh], empty, [U, H, Y, F, H, H]).fresh(Prep::CoopThread),
    r(DELETE, "/posts/{id}", &[K::DeletablePost], empty, MEMBER_ONLY),
    // A co-op thread's post: its author alone; the member, who can read it,
    // is refused; the rest find nothing. (Nothing after this row uses it.)
    r(DELETE, "/posts/{id}", &[K::CoordinatorPost], empty, [U, H, F, Y, H, H]),
    // Withdrawing Y's request: the side that sent it (after the decide row).
    r(POST, "/coop-requests/{id}/withdraw", &[K::JoinRequest], empty, [U, Y, H, F, H, F]),
    r(DELETE, "/coops/{id}/coordinators/{user_id}", &[K::Coop, K::SecondCoordinator], empty, COORDINATOR_OR_ADMIN).fresh(Prep::Coordinator),
    r(POST, "/rooms/{id}/leave", &[K::DirectRoom], empty, MEMBER_ONLY_HIDDEN),
    r(POST, "/organisations/{id}/staff/{user_id}/remove", &[K::Org, K::Extra], empty, MEMBER_ONLY),
    // X leaves the co-op (its lead); the coordinator and the programme team
    // may remove it but must give a reason (422 here, before the member).
    r(DELETE, "/coops/{id}/members/{org_id}", &[K::Coop, K::Org], empty, [U, F, Y, Y, F, Y]),
    // Anyone signed in with the link joins X's staff (the member: 409).
    r(POST, "/invites/{token}/accept", &[K::Fresh], empty, SIGNED_IN).fresh(Prep::Invite),
    r(DELETE, "/me/sessions/{id}", &[K::MemberSession], empty, MEMBER_ONLY_HIDDEN),
    r(POST, "/auth/logout", &[], empty, SIGNED_IN).fresh(Prep::Session),
    r(POST, "/me/sessions/sign-out-others", &[], empty, SIGNED_IN),
    // Erasing one's own account, the last step of all (the programme
    // team's only member may not: 409).
    r(DELETE, "/me", &[], own_password, SIGNED_IN),
];

// ---- bodies ----

fn empty(_: &World) -> Value {
    json!({})
}

fn to(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).expect("json")
}

fn weak_registration(_: &World) -> Value {
    json!({"email": "newcomer@example.org", "password": "short", "display_name": "Newcomer"})
}

fn peer_login(w: &World) -> Value {
    json!({"email": w.peer.email, "password": PASSWORD})
}

fn not_a_code(_: &World) -> Value {
    json!({"code": "not-a-code"})
}

fn password_and_not_a_code(_: &World) -> Value {
    json!({"password": PASSWORD, "code": "not-a-code"})
}

fn own_password(_: &World) -> Value {
    json!({"password": PASSWORD})
}

fn direct_with_peer(w: &World) -> Value {
    json!({"user_id": w.peer.id})
}

fn read_none(_: &World) -> Value {
    json!({"up_to_id": 0})
}

fn blank_organisation(_: &World) -> Value {
    to(shared::api::organisations::SaveOrganisation {
        name: String::new(),
        ..profile("Unused", "Plymouth")
    })
}

fn no_needs(_: &World) -> Value {
    json!({"needs": []})
}

fn decline_without_reason(_: &World) -> Value {
    json!({"approve": false})
}

fn not_a_lead(_: &World) -> Value {
    json!({"is_lead": false})
}

fn safeguarder_named(w: &World) -> Value {
    json!({"user_id": w.id(K::Safeguarder)})
}

fn no_expertise(_: &World) -> Value {
    to(mentor_profile(&[], "Plymouth", 2))
}

fn org_and_mentor(w: &World) -> Value {
    json!({"organisation_id": w.id(K::Org), "mentor_id": w.id(K::Mentor)})
}

fn resume(_: &World) -> Value {
    to(Transition {
        action: LifecycleAction::Resume,
        reason: None,
    })
}

fn decline(_: &World) -> Value {
    to(Transition {
        action: LifecycleAction::Decline,
        reason: None,
    })
}

fn reflection(_: &World) -> Value {
    json!({"text": "We wrote the policy together."})
}

fn goal(_: &World) -> Value {
    json!({"title": "A volunteer supervision plan"})
}

fn session_note(_: &World) -> Value {
    to(CreateSessionNote {
        session_date: Utc::now().date_naive(),
        summary: "Went through the supervision plan.".into(),
        next_steps: String::new(),
    })
}

const THREAD_TITLE: &str = "Keeping a safeguarding policy short";
const THREAD_BODY: &str = "How do you keep yours usable by volunteers?";

fn new_thread(visibility: Visibility) -> CreateThread {
    CreateThread {
        title: THREAD_TITLE.into(),
        body: THREAD_BODY.into(),
        topics: vec![Topic::Safeguarding],
        activity_types: Vec::new(),
        visibility,
        organisation_id: None,
    }
}

fn blank_thread(_: &World) -> Value {
    to(CreateThread {
        title: String::new(),
        ..new_thread(Visibility::Members)
    })
}

fn same_thread(_: &World) -> Value {
    to(EditThread {
        title: THREAD_TITLE.into(),
        body: THREAD_BODY.into(),
        topics: vec![Topic::Safeguarding],
        activity_types: Vec::new(),
    })
}

fn blank_post(_: &World) -> Value {
    json!({"body": ""})
}

fn edited_post(_: &World) -> Value {
    json!({"body": "Ours fits on one page."})
}

fn helpful(_: &World) -> Value {
    json!({"helpful": true})
}

fn no_answer(_: &World) -> Value {
    json!({"post_id": null})
}

fn unfollow(_: &World) -> Value {
    json!({"following": false})
}

fn read_opening(w: &World) -> Value {
    json!({"post_id": w.id(K::Opening)})
}

fn read_coop_opening(w: &World) -> Value {
    json!({"post_id": w.id(K::CoopOpening)})
}

fn preview(_: &World) -> Value {
    json!({"body": "A *short* policy."})
}

fn blank_term(_: &World) -> Value {
    json!({"term": "", "definition": ""})
}

fn blank_coop(_: &World) -> Value {
    to(save_coop("", "Plymouth", &[]))
}

fn nobody(_: &World) -> Value {
    json!({"user_id": 999_999})
}

fn other_org(w: &World) -> Value {
    json!({"organisation_id": w.id(K::OtherOrg), "message": ""})
}

fn org(w: &World) -> Value {
    json!({"organisation_id": w.id(K::Org), "message": ""})
}

fn decline_request(_: &World) -> Value {
    json!({"accept": false})
}

fn blank_room(_: &World) -> Value {
    json!({"title": ""})
}

fn blank_record(_: &World) -> Value {
    to(CreateRecord {
        kind: RecordKind::Decision,
        text: String::new(),
        message_id: None,
        owner: None,
        due_on: None,
    })
}

fn event(title: &str) -> SaveEvent {
    SaveEvent {
        title: title.into(),
        kind: EventKind::Meeting,
        starts_at: Utc::now() + chrono::Duration::days(7),
        ends_at: None,
        all_day: false,
        place: String::new(),
        link: String::new(),
        description: String::new(),
    }
}

fn blank_event(_: &World) -> Value {
    to(event(""))
}

fn concern(message_id: Option<i64>, post_id: Option<i64>, org: Option<i64>) -> RaiseConcern {
    RaiseConcern {
        organisation_id: org,
        priority: ConcernPriority::Concern,
        at_risk: "A participant".into(),
        what_happened: "They said they had nowhere safe to sleep.".into(),
        message_id,
        post_id,
    }
}

fn blank_concern(_: &World) -> Value {
    to(RaiseConcern {
        at_risk: String::new(),
        what_happened: String::new(),
        ..concern(None, None, None)
    })
}

fn concern_from_message(w: &World) -> Value {
    to(concern(Some(w.id(K::Message)), None, None))
}

fn concern_from_post(w: &World) -> Value {
    to(concern(None, Some(w.id(K::CoordinatorPost)), None))
}

fn close_without_note(_: &World) -> Value {
    to(SetConcernStatus {
        status: ConcernStatus::Closed,
        note: String::new(),
    })
}

fn blank_note(_: &World) -> Value {
    json!({"note": ""})
}

fn report_message(w: &World) -> Value {
    to(CreateReport {
        message_id: Some(w.id(K::Message)),
        post_id: None,
        reason: ReportReason::Other,
        detail: String::new(),
    })
}

fn report_post(w: &World) -> Value {
    to(CreateReport {
        message_id: None,
        post_id: Some(w.id(K::CoordinatorPost)),
        reason: ReportReason::Other,
        detail: String::new(),
    })
}

fn no_reason(_: &World) -> Value {
    to(ModerationReason {
        reason: String::new(),
        report_id: None,
    })
}

fn overlong_reason(_: &World) -> Value {
    to(ModerationReason {
        reason: "x".repeat(MODERATION_REASON_MAX_CHARS + 1),
        report_id: None,
    })
}

fn no_suspension_reason(_: &World) -> Value {
    to(SuspendUser {
        reason: String::new(),
        days: None,
        report_id: None,
    })
}

// ---- the world ----

/// A 2xx answer's JSON (`null` when it has no body).
async fn made(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.expect("body");
    assert!(status.is_success(), "fixture step failed: {status} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON")
    }
}

fn id_of(v: &Value) -> String {
    v.as_i64()
        .unwrap_or_else(|| panic!("an id, not {v}"))
        .to_string()
}

async fn new_thread_by(app: &TestApp, who: &TestUser, visibility: Visibility) -> Value {
    made(
        app.post("/api/threads", Some(who), &new_thread(visibility))
            .await,
    )
    .await
}

async fn reply(app: &TestApp, who: &TestUser, thread: &str, body: &str) -> String {
    let post = CreatePost {
        body: body.into(),
        quote_post_id: None,
    };
    let path = format!("/api/threads/{thread}/posts");
    id_of(&made(app.post(&path, Some(who), &post).await).await["id"])
}

/// `who` sends `body` in `room`; the stored message's id.
async fn send(ws: &mut WsClient, room: i64, client_msg_id: &str, body: &str) -> String {
    ws.send_text(room, client_msg_id, body).await;
    match ws
        .next_matching(|m| matches!(m, ServerMsg::Ack { .. } | ServerMsg::Error { .. }))
        .await
    {
        ServerMsg::Ack { id, .. } => id.to_string(),
        other => panic!("fixture message refused: {other:?}"),
    }
}

/// The world every row points into, made through the real API.
async fn world(app: &TestApp) -> World {
    let w = CoopWorld::new(app).await;
    let (admin, coordinator, member) = (w.admin, w.coordinator, w.lead);
    let (outsider, safeguarder, peer) = (w.other_lead, w.staff, w.stranger);
    let (org, coop) = (w.harbour.id, w.coop.id);
    let mut ids: HashMap<K, String> = HashMap::new();
    let mut put = |k: K, v: String| {
        ids.insert(k, v);
    };

    // X in the co-op; its staff: the member (lead), the safeguarding lead, a
    // helper to remove.
    app.admit(&coordinator, &member, coop, org).await;
    let extra = app.user("Ezra Penrose").await;
    app.join_staff(&member, org, &extra).await;
    let named = json!({"user_id": safeguarder.id});
    let path = format!("/api/organisations/{org}/safeguarding-lead");
    made(app.put(&path, Some(&member), &named).await).await;
    let pending = app
        .organisation(&outsider, "Zennor Makers", "Penzance", &[])
        .await;

    // The mentor, matched to X and accepted: the mentorship's room opens.
    let mentor = app.user("Mira Trevithick").await;
    let expertise = mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 3);
    app.apply_to_mentor(&mentor, &expertise).await;
    app.approve_mentor(&admin, mentor.id).await;
    let proposed = app.propose(&admin, org, mentor.id).await;
    let accepted = made(
        app.step(&mentor, proposed.id, LifecycleAction::Accept, None)
            .await,
    )
    .await;
    let proposed_to_y = app.propose(&admin, w.tamar.id, mentor.id).await;
    let applicant = app.user("Ada Polglase").await;
    app.apply_to_mentor(&applicant, &expertise).await;
    let path = format!("/api/mentorships/{}/goals", proposed.id);
    let new_goal = made(app.post(&path, Some(&member), &goal_body()).await).await;

    // The co-op's room, the coordinator's messages in it, the member's report
    // of one.
    let coop_room = app.coop_room(&coordinator, coop, "Joint bid").await.room_id;
    let mut ws = app.ws(&coordinator).await;
    let message = send(
        &mut ws,
        coop_room,
        "authz-fixture",
        "Shall we bid together?",
    )
    .await;
    let unreported = send(&mut ws, coop_room, "authz-fixture-2", "Agenda to follow.").await;
    drop(ws);
    let report = made(
        app.post(
            "/api/reports",
            Some(&member),
            &CreateReport {
                message_id: Some(message.parse().expect("id")),
                post_id: None,
                reason: ReportReason::Harassment,
                detail: String::new(),
            },
        )
        .await,
    )
    .await;

    // Threads: an open one and a co-op one, both the member's, with replies.
    let open = new_thread_by(app, &member, Visibility::Members).await;
    let thread = id_of(&open["thread"]["id"]);
    put(K::Opening, id_of(&open["posts"][0]["id"]));
    put(
        K::MemberPost,
        reply(app, &member, &thread, "One page, reviewed yearly.").await,
    );
    put(
        K::DeletablePost,
        reply(app, &member, &thread, "And a flowchart.").await,
    );
    put(
        K::PeerPost,
        reply(app, &peer, &thread, "Ours is two pages.").await,
    );
    let coop_open = new_thread_by(app, &member, Visibility::Coop { coop_id: coop }).await;
    let coop_thread = id_of(&coop_open["thread"]["id"]);
    put(K::CoopOpening, id_of(&coop_open["posts"][0]["id"]));
    put(
        K::CoopMemberPost,
        reply(app, &member, &coop_thread, "Draft attached.").await,
    );
    put(
        K::CoordinatorPost,
        reply(app, &coordinator, &coop_thread, "Thanks.").await,
    );

    // The co-op's log, and Y asking to join.
    let record = made(
        app.post(&path_records(coop), Some(&member), &decision())
            .await,
    )
    .await;
    let added = event("Bid meeting");
    let added = made(app.post(&path_events(coop), Some(&member), &added).await).await;
    let their_record = made(
        app.post(&path_records(coop), Some(&coordinator), &decision())
            .await,
    )
    .await;
    let their_event = event("Coordinators' meeting");
    let their_event = made(
        app.post(&path_events(coop), Some(&coordinator), &their_event)
            .await,
    )
    .await;
    let asked = made(app.ask_to_join(&outsider, coop, w.tamar.id, "").await).await;

    // The member's glossary suggestion, invitation link and concern.
    let term = json!({"term": "Wellbeing passport", "definition": "A one-page note of what helps someone."});
    let suggested = made(app.post("/api/glossary", Some(&member), &term).await).await;
    let invite = app.invite(&member, org).await;
    let raised = concern(None, None, Some(org));
    let raised = made(app.post("/api/concerns", Some(&member), &raised).await).await;

    // The safeguarding lead's calendar feed, a second session of the member,
    // the member's direct room with the helper.
    let feed = made(
        app.post("/api/calendar/feed", Some(&safeguarder), &json!({}))
            .await,
    )
    .await;
    let feed = feed["path"].as_str().expect("feed path");
    let second = app.log_in(&member.email, PASSWORD).await;
    let sessions = made(app.get("/api/me/sessions", Some(&second)).await).await;
    let session = sessions["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .find(|s| s["current"] == true)
        .expect("the current session");
    let direct = app.direct_room(&member, extra.id).await;
    let second_coordinator = app.user("Cai Second").await;

    put(K::Org, org.to_string());
    put(K::OtherOrg, w.tamar.id.to_string());
    put(K::PendingOrg, pending.id.to_string());
    put(K::Safeguarder, safeguarder.id.to_string());
    put(K::Extra, extra.id.to_string());
    put(K::SecondCoordinator, second_coordinator.id.to_string());
    put(K::Peer, peer.id.to_string());
    put(K::Mentor, mentor.id.to_string());
    put(K::Applicant, applicant.id.to_string());
    put(K::Mentorship, proposed.id.to_string());
    put(K::MentorshipRoom, id_of(&accepted["room_id"]));
    put(K::Goal, id_of(&new_goal["id"]));
    put(K::Coop, coop.to_string());
    put(K::CoopRoom, coop_room.to_string());
    put(K::Record, id_of(&record["id"]));
    put(K::Event, id_of(&added["id"]));
    put(K::CoordinatorRecord, id_of(&their_record["id"]));
    put(K::CoordinatorEvent, id_of(&their_event["id"]));
    put(K::ProposedMentorship, proposed_to_y.id.to_string());
    put(K::JoinRequest, id_of(&asked["id"]));
    put(K::DirectRoom, direct.id.to_string());
    put(K::Message, message);
    put(K::UnreportedMessage, unreported);
    put(K::Report, id_of(&report["id"]));
    put(K::Thread, thread);
    put(K::CoopThread, coop_thread);
    put(K::Topic, Topic::Safeguarding.slug().to_owned());
    put(K::Term, id_of(&suggested["id"]));
    put(K::Invite, invite.token);
    put(K::Concern, id_of(&raised["summary"]["id"]));
    put(
        K::FeedFile,
        feed.strip_prefix("/api/calendar/")
            .expect("feed")
            .to_owned(),
    );
    put(K::MemberSession, id_of(&session["id"]));

    World {
        people: [
            None,
            Some(outsider),
            Some(member),
            Some(coordinator),
            Some(mentor),
            Some(admin),
        ],
        peer,
        ids,
    }
}

fn path_records(coop: i64) -> String {
    format!("/api/coops/{coop}/records")
}

fn path_events(coop: i64) -> String {
    format!("/api/coops/{coop}/events")
}

fn goal_body() -> Value {
    json!({"title": "A safeguarding policy the volunteers read"})
}

fn decision() -> CreateRecord {
    CreateRecord {
        kind: RecordKind::Decision,
        text: "We bid together.".into(),
        message_id: None,
        owner: None,
        due_on: None,
    }
}

// ---- running the route table ----

/// What an answer says about access, or what else it was.
async fn outcome(res: reqwest::Response) -> Result<Outcome, String> {
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    let kind = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["error"]["kind"].as_str().map(str::to_owned))
        .unwrap_or_default();
    match (status.as_u16(), kind.as_str()) {
        (401, "unauthenticated") => Ok(Outcome::Unauth),
        (404, "not_found") => Ok(Outcome::Hidden),
        (403, "forbidden") => Ok(Outcome::Forbidden),
        (s, _) if s < 300 || s == 409 || s == 422 => Ok(Outcome::Ok),
        _ => {
            let text: String = text.chars().take(200).collect();
            Err(format!("{status} {text}"))
        }
    }
}

/// Refusals first, then those who pass in [`PASSING_ORDER`].
fn run_order(expect: &[Outcome; 6]) -> Vec<Role> {
    let mut order: Vec<Role> = ROLES
        .into_iter()
        .filter(|r| expect[*r as usize] != Outcome::Ok)
        .collect();
    order.extend(
        PASSING_ORDER
            .into_iter()
            .filter(|r| expect[*r as usize] == Outcome::Ok),
    );
    order
}

/// `template` with each `{…}` replaced by the next of `values`.
fn fill(template: &str, values: &[String]) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut values = values.iter();
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("closing brace") + start;
        out.push_str(&rest[..start]);
        out.push_str(values.next().expect("a value for each placeholder"));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    assert!(
        values.next().is_none(),
        "more keys than placeholders in {template}"
    );
    out
}

/// Make the row's fresh target for this caller; the session to use.
async fn prep(
    app: &TestApp,
    w: &World,
    row: &Row,
    role: Role,
) -> (Option<String>, Option<TestUser>) {
    let member = w.person(Role::Member);
    let user = w.people[role as usize].clone();
    let coop = w.id(K::Coop);
    let fresh = match row.prep {
        Prep::None => None,
        Prep::Thread => {
            let t = new_thread_by(app, member, Visibility::Members).await;
            Some(id_of(&t["thread"]["id"]))
        }
        Prep::CoopThread => {
            let t = new_thread_by(app, member, Visibility::Coop { coop_id: coop }).await;
            Some(id_of(&t["thread"]["id"]))
        }
        Prep::Record => {
            let path = path_records(coop);
            Some(id_of(
                &made(app.post(&path, Some(member), &decision()).await).await["id"],
            ))
        }
        Prep::Event => {
            let path = path_events(coop);
            let e = event("Another meeting");
            Some(id_of(
                &made(app.post(&path, Some(member), &e).await).await["id"],
            ))
        }
        Prep::Coordinator => {
            let path = format!("/api/coops/{coop}/coordinators");
            let body = json!({"user_id": w.id(K::SecondCoordinator)});
            made(app.post(&path, Some(w.person(Role::Admin)), &body).await).await;
            None
        }
        Prep::Invite => Some(app.invite(member, w.id(K::Org)).await.token),
        Prep::Session => {
            let again = match &user {
                Some(u) => Some(app.log_in(&u.email, PASSWORD).await),
                None => None,
            };
            return (None, again);
        }
    };
    (fresh, user)
}

async fn request(
    app: &TestApp,
    row: &Row,
    path: &str,
    who: Option<&TestUser>,
    body: &Value,
) -> reqwest::Response {
    let method: Method = row.method.parse().expect("method");
    let mut req = app.request(method.clone(), &format!("/api{path}"), who);
    if row.path == "/ws" {
        // A real websocket handshake: 101 is passing.
        req = req
            .header("connection", "upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
    } else if method != Method::GET {
        req = req
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"));
    }
    req.send().await.expect("request")
}

/// The table is sound on its own: every row lets someone through (so a
/// wrong target cannot pass as "hidden from everyone"), and every
/// placeholder has a key.
#[test]
fn the_tables_are_well_formed() {
    for row in ROUTES {
        assert_eq!(
            row.expect.contains(&Outcome::Ok),
            !row.nobody_passes,
            "{} {}: someone passes, unless the row says nobody does",
            row.method,
            row.path
        );
        assert_eq!(
            row.path.matches('{').count(),
            row.keys.len(),
            "{} {}: one key per placeholder",
            row.method,
            row.path
        );
        assert_eq!(
            row.keys.contains(&K::Fresh),
            row.prep != Prep::None && row.prep != Prep::Session && row.prep != Prep::Coordinator,
            "{} {}: K::Fresh comes with a Prep that makes it",
            row.method,
            row.path
        );
    }
    for row in WS {
        assert_eq!(
            row.expect[0],
            Outcome::Unauth,
            "nobody signed out has a socket"
        );
        assert!(row.expect.contains(&Outcome::Ok));
    }
}

#[tokio::test]
async fn the_table_lists_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/openapi.json", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.expect("the document");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let listed: BTreeSet<(String, String)> = ROUTES.iter().map(Row::route).collect();
    let undocumented: BTreeSet<(String, String)> = UNDOCUMENTED
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<String> = documented
        .difference(&listed)
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    let extra: Vec<String> = listed
        .difference(&documented)
        .filter(|r| !undocumented.contains(*r))
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the authorisation table and the OpenAPI document disagree.\n\
         Documented but not in the table (add a row with each role's expected answer):\n  {}\n\
         In the table but not documented (a route gone, or renamed):\n  {}",
        missing.join("\n  "),
        extra.join("\n  "),
    );
    // The exceptions are still served, and still not documented.
    for (method, path) in UNDOCUMENTED {
        assert!(!documented.contains(&((*method).to_owned(), (*path).to_owned())));
        let res = app
            .request(
                method.to_uppercase().parse().expect("method"),
                &format!("/api{path}"),
                None,
            )
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK, "{method} {path} is served");
    }
}

async fn every_route_answers_each_role_as_the_table_says(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let mut wrong = Vec::new();
    let mut asked = 0;
    // Every (path template, method, status) answered, refusals and passes.
    let mut observed: BTreeSet<(String, String, u16)> = BTreeSet::new();
    for row in ROUTES {
        for role in run_order(&row.expect) {
            let (fresh, who) = prep(&app, &w, row, role).await;
            let values: Vec<String> = row
                .keys
                .iter()
                .map(|k| match k {
                    K::Fresh => fresh.clone().expect("the prep's target"),
                    k => w.get(*k).to_owned(),
                })
                .collect();
            let path = fill(row.path, &values);
            let body = (row.body)(&w);
            let res = request(&app, row, &path, who.as_ref(), &body).await;
            let (method, template) = row.route();
            observed.insert((template, method, res.status().as_u16()));
            let got = outcome(res).await;
            asked += 1;
            let expected = row.expect[role as usize];
            if got.as_ref() != Ok(&expected) {
                let got = match got {
                    Ok(o) => format!("{o:?}"),
                    Err(other) => other,
                };
                wrong.push(format!(
                    "{} {} ({path}) as {role:?}: expected {expected:?}, got {got}",
                    row.method, row.path
                ));
            }
        }
    }
    let undocumented = undocumented_statuses(&app, &observed).await;
    assert!(
        wrong.is_empty() && undocumented.is_empty(),
        "{} of {asked} answers differ from the table:\n  {}\n\
         {} statuses answered but not in the operation's OpenAPI `responses` \
         (add them to its `#[utoipa::path]`, or to UNDOCUMENTED_STATUSES with why):\n  {}",
        wrong.len(),
        wrong.join("\n  "),
        undocumented.len(),
        undocumented.join("\n  "),
    );
}

/// Statuses a route answers on purpose without its OpenAPI `responses`
/// listing them: (method, path, status, why). Routes in [`UNDOCUMENTED`]
/// have no operation at all and so no `responses`; their answers are not
/// checked.
const UNDOCUMENTED_STATUSES: &[(&str, &str, u16, &str)] = &[];

/// Each observed `(path, method, status)` the document's operation does not
/// list, as `METHOD /path: status not documented`; and each stale entry of
/// [`UNDOCUMENTED_STATUSES`] (documented after all, or never answered).
async fn undocumented_statuses(
    app: &TestApp,
    observed: &BTreeSet<(String, String, u16)>,
) -> Vec<String> {
    let res = app.get("/api/openapi.json", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.expect("the document");
    let listed = |method: &str, path: &str, status: u16| {
        doc["paths"][path][method]["responses"]
            .get(status.to_string())
            .is_some()
    };
    let excepted = |method: &str, path: &str, status: u16| {
        UNDOCUMENTED_STATUSES
            .iter()
            .any(|(m, p, s, _)| m.eq_ignore_ascii_case(method) && *p == path && *s == status)
    };
    let mut missing = Vec::new();
    for (path, method, status) in observed {
        let (m, p, s) = (method.as_str(), path.as_str(), *status);
        if UNDOCUMENTED.contains(&(m, p)) || excepted(m, p, s) {
            continue;
        }
        if !doc["paths"][p][m].is_object() {
            missing.push(format!("{} {p}: no operation", m.to_uppercase()));
        } else if !listed(m, p, s) {
            missing.push(format!("{} {p}: {s} not documented", m.to_uppercase()));
        }
    }
    for (method, path, status, _) in UNDOCUMENTED_STATUSES {
        let m = method.to_lowercase();
        if listed(&m, path, *status) {
            missing.push(format!(
                "{method} {path}: {status} is documented now; drop it from UNDOCUMENTED_STATUSES"
            ));
        } else if !observed.contains(&((*path).to_owned(), m, *status)) {
            missing.push(format!(
                "{method} {path}: {status} was not answered; drop it from UNDOCUMENTED_STATUSES"
            ));
        }
    }
    missing
}

// ---- the websocket table ----

/// Every client message by its wire name. The match is exhaustive: a new
/// variant does not compile until it is named here, and the test then fails
/// until [`WS`] has a row for it (the OpenAPI schema lists them too).
fn name_of(msg: &ClientMsg) -> &'static str {
    match msg {
        ClientMsg::Send { .. } => "send",
        ClientMsg::Resume { .. } => "resume",
        ClientMsg::Ping => "ping",
        ClientMsg::Read { .. } => "read",
        ClientMsg::Typing { .. } => "typing",
        ClientMsg::SetPresence { .. } => "set_presence",
        ClientMsg::Edit { .. } => "edit",
        ClientMsg::Delete { .. } => "delete",
        ClientMsg::WatchThread { .. } => "watch_thread",
    }
}

/// The reply that shows a passing request was carried out, if it has one
/// (beyond the absence of an `error`).
fn is_reply(msg: &ClientMsg, me: i64, frame: &ServerMsg) -> Option<bool> {
    Some(match (msg, frame) {
        (
            ClientMsg::Send { client_msg_id, .. },
            ServerMsg::Ack {
                client_msg_id: a, ..
            },
        ) => a == client_msg_id,
        (ClientMsg::Send { .. }, _) => false,
        (
            ClientMsg::Resume { room_id, .. },
            ServerMsg::Resumed { room_id: r, .. } | ServerMsg::Resync { room_id: r, .. },
        ) => r == room_id,
        (ClientMsg::Resume { .. }, _) => false,
        (
            ClientMsg::Read { room_id, .. },
            ServerMsg::Read {
                room_id: r,
                user_id,
                ..
            },
        ) => r == room_id && *user_id == me,
        (ClientMsg::Read { .. }, _) => false,
        (
            ClientMsg::Edit { message_id, .. } | ClientMsg::Delete { message_id },
            ServerMsg::MessageUpdated(m),
        ) => m.id == *message_id,
        (ClientMsg::Edit { .. } | ClientMsg::Delete { .. }, _) => false,
        // Ping is answered by the pong counted in `ws_outcome`.
        (
            ClientMsg::Ping
            | ClientMsg::Typing { .. }
            | ClientMsg::SetPresence { .. }
            | ClientMsg::WatchThread { .. },
            _,
        ) => return None,
    })
}

struct WsRow {
    msg: fn(&World, u64) -> ClientMsg,
    /// By role, as [`ROLES`].
    expect: [Outcome; 6],
}

const fn m(msg: fn(&World, u64) -> ClientMsg, expect: [Outcome; 6]) -> WsRow {
    WsRow { msg, expect }
}

/// Expected answers by role: [anonymous, outsider, member, coordinator,
/// mentor, admin]. Signed out there is no socket (401 on `/api/ws`).
#[rustfmt::skip]
const WS: &[WsRow] = &[
    m(|w, n| send_in(w.id(K::CoopRoom), n), COOP_READERS),
    m(|w, n| send_in(w.id(K::MentorshipRoom), n), MENTORSHIP_ROOM),
    m(|w, _| ClientMsg::Resume { room_id: w.id(K::CoopRoom), after_seq: 0, changes_since: None }, COOP_READERS),
    m(|w, _| ClientMsg::Resume { room_id: w.id(K::MentorshipRoom), after_seq: 0, changes_since: None }, MENTORSHIP_ROOM),
    m(|_, _| ClientMsg::Ping, SIGNED_IN),
    m(|w, _| ClientMsg::Read { room_id: w.id(K::CoopRoom), seq: 1 }, COOP_READERS),
    m(|w, _| ClientMsg::Read { room_id: w.id(K::MentorshipRoom), seq: 1 }, MENTORSHIP_ROOM),
    m(|w, _| ClientMsg::Typing { room_id: w.id(K::CoopRoom), active: true }, COOP_READERS),
    m(|w, _| ClientMsg::Typing { room_id: w.id(K::MentorshipRoom), active: true }, MENTORSHIP_ROOM),
    m(|_, _| ClientMsg::SetPresence { status: PresenceStatus::Away }, SIGNED_IN),
    // One's own message only; anyone else's is not found.
    m(|w, _| ClientMsg::Edit { message_id: w.id(K::OwnMessage), body: "Edited.".into() }, MEMBER_ONLY_HIDDEN),
    m(|w, _| ClientMsg::Edit { message_id: w.id(K::Message), body: "Edited.".into() }, [U, H, H, Y, H, H]),
    m(|w, _| ClientMsg::Delete { message_id: w.id(K::DeletableMessage) }, MEMBER_ONLY_HIDDEN),
    m(|w, _| ClientMsg::WatchThread { thread_id: w.id(K::Thread), watching: true }, SIGNED_IN),
    m(|w, _| ClientMsg::WatchThread { thread_id: w.id(K::CoopThread), watching: true }, COOP_READERS),
];

fn send_in(room_id: i64, n: u64) -> ClientMsg {
    ClientMsg::Send {
        room_id,
        client_msg_id: format!("authz-ws-{n}"),
        body: "Noted, thanks.".into(),
    }
}

/// Send `msg` and a ping behind it; frames are handled in order, so an
/// `error` for `msg` comes before the pong. Then wait for its reply, if it
/// has one.
async fn ws_outcome(ws: &mut WsClient, me: i64, msg: &ClientMsg) -> Result<Outcome, String> {
    const WAIT: Duration = Duration::from_secs(5);
    ws.send(msg).await;
    ws.send(&ClientMsg::Ping).await;
    let mut pongs = if matches!(msg, ClientMsg::Ping) { 2 } else { 1 };
    let mut replied = false;
    let mut error = None;
    let deadline = tokio::time::Instant::now() + WAIT;
    // Whether `msg` has a reply to wait for at all (a pong never is one).
    let has_reply = is_reply(msg, me, &ServerMsg::Pong).is_some();
    while pongs > 0 || (error.is_none() && has_reply && !replied) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let frame = match ws.try_next(left).await {
            Ok(Some(frame)) => frame,
            Ok(None) => return Err(format!("no answer within {WAIT:?}")),
            Err(e) => return Err(e),
        };
        match &frame {
            ServerMsg::Pong => pongs -= 1,
            ServerMsg::Error { error: e, .. } if error.is_none() => error = Some(e.clone()),
            other => replied |= is_reply(msg, me, other) == Some(true),
        }
    }
    match error.map(|e| (serde_json::to_value(e.kind).expect("kind"), e)) {
        None => Ok(Outcome::Ok),
        Some((kind, _)) if kind == "not_found" => Ok(Outcome::Hidden),
        Some((kind, _)) if kind == "forbidden" => Ok(Outcome::Forbidden),
        Some((kind, _)) if kind == "validation" || kind == "conflict" => Ok(Outcome::Ok),
        Some((_, e)) => Err(format!("error {:?}: {}", e.kind, e.message)),
    }
}

async fn every_websocket_message_answers_each_role_as_the_table_says(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut w = world(&app).await;

    // Every message type of the protocol has a row (the document lists them).
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("document");
    let documented: BTreeSet<String> = doc["components"]["schemas"]["ClientMsg"]["oneOf"]
        .as_array()
        .expect("ClientMsg is one of its variants")
        .iter()
        .map(|v| {
            v["properties"]["type"]["enum"][0]
                .as_str()
                .unwrap_or_else(|| panic!("a variant's type: {v}"))
                .to_owned()
        })
        .collect();

    // The member's own messages to edit and delete.
    let member = w.person(Role::Member).clone();
    let mut ws = app.ws(&member).await;
    let room = w.id(K::CoopRoom);
    let own = send(&mut ws, room, "authz-own-1", "I will draft it.").await;
    let deletable = send(&mut ws, room, "authz-own-2", "Typo.").await;
    drop(ws);
    w.ids.insert(K::OwnMessage, own);
    w.ids.insert(K::DeletableMessage, deletable);

    let tabled: BTreeSet<String> = WS
        .iter()
        .map(|row| {
            let msg = (row.msg)(&w, 0);
            let wire = serde_json::to_value(&msg).expect("json");
            assert_eq!(wire["type"], name_of(&msg), "name_of matches the wire tag");
            name_of(&msg).to_owned()
        })
        .collect();
    assert_eq!(
        documented, tabled,
        "every ClientMsg type (left: the OpenAPI schema) has a row in WS (right)"
    );

    // Signed out, there is no socket at all.
    let refused = WsClient::connect(app.addr, None, None).await;
    let anonymous = match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) if res.status() == 401 => {
            Outcome::Unauth
        }
        Err(e) => panic!("a signed-out websocket: {e}"),
        Ok(_) => Outcome::Ok,
    };

    let mut sockets: Vec<Option<WsClient>> = Vec::new();
    for person in &w.people {
        sockets.push(match person {
            Some(p) => Some(app.ws(p).await),
            None => None,
        });
    }
    let mut wrong = Vec::new();
    let mut n = 0;
    for row in WS {
        for role in run_order(&row.expect) {
            n += 1;
            let msg = (row.msg)(&w, n);
            let got = match (&mut sockets[role as usize], &w.people[role as usize]) {
                (Some(ws), Some(p)) => ws_outcome(ws, p.id, &msg).await,
                _ => Ok(anonymous),
            };
            let expected = row.expect[role as usize];
            if got.as_ref() != Ok(&expected) {
                let got = match got {
                    Ok(o) => format!("{o:?}"),
                    Err(other) => other,
                };
                wrong.push(format!(
                    "{} {msg:?} as {role:?}: expected {expected:?}, got {got}",
                    name_of(&msg)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} websocket answers differ from the table:\n  {}",
        wrong.len(),
        wrong.join("\n  ")
    );
}
