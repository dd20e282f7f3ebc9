//! Local co-operatives of organisations: the directory, membership (asking
//! to join, invitations, admitting, leaving), coordinators, the co-op's
//! rooms, its decisions and actions log, its events and calendar feed.
//!
//! Who sees what: the directory and a co-op's members are open to every
//! signed-in person (so organisations can find one to join). Rooms, the
//! log, events and co-op threads are for the co-op's **members**: the staff
//! of its member organisations and its coordinators. The programme team
//! manages co-ops and sees their membership, not their conversations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MessageId, OrganisationId, RoomId, UserId};

pub type CoopId = i64;
/// A join request or an invitation.
pub type CoopRequestId = i64;
/// A decision or an action in a co-op's log.
pub type RecordId = i64;
pub type EventId = i64;

/// `POST /api/coops` (programme team) and `PUT /api/coops/{id}`
/// (coordinators and the programme team; `coordinator_ids` ignored there).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveCoop {
    pub name: String,
    /// The town, city or area the co-op works in.
    pub locality: String,
    /// What the organisations are in it together for.
    pub purpose: String,
    /// The first coordinators (at least one) when creating.
    #[serde(default)]
    pub coordinator_ids: Vec<UserId>,
}

/// How the caller relates to a co-op, so the UI offers only what will work.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopRole {
    pub coordinator: bool,
    /// Works for a member organisation, or coordinates: reads and posts in
    /// the rooms, the log, events and co-op threads.
    pub member: bool,
    pub admin: bool,
    /// Organisations the caller leads that are members (they may leave).
    pub leads_members: Vec<OrganisationId>,
    /// Approved organisations the caller leads that are not members and have
    /// no open request or invitation (they may ask to join).
    pub may_request_for: Vec<OrgRef>,
}

/// An organisation by id and name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgRef {
    pub id: OrganisationId,
    pub name: String,
}

/// One line of `GET /api/coops`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopCard {
    pub id: CoopId,
    pub name: String,
    pub locality: String,
    pub purpose: String,
    pub member_count: i64,
    /// The caller is a member (through an organisation) or a coordinator.
    pub is_member: bool,
    pub is_coordinator: bool,
}

/// `GET /api/coops?locality=`
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListCoops {
    /// Co-ops whose locality contains this text (any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListCoopsResponse {
    pub coops: Vec<CoopCard>,
}

/// A member organisation and since when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopMember {
    pub organisation: OrgRef,
    pub locality: String,
    pub joined_at: DateTime<Utc>,
}

/// One of a co-op's rooms (members only). The conversation itself is the
/// ordinary room at `/api/rooms/{room_id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopRoom {
    pub room_id: RoomId,
    pub title: String,
    /// Archived rooms keep their history but take no new messages.
    pub archived: bool,
    pub unread_count: i64,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// An organisation's lead asked to join; a coordinator decides.
    Request,
    /// A coordinator invited the organisation; its lead decides.
    Invite,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

/// A join request or invitation. Coordinators see all of a co-op's; an
/// organisation's staff see their own organisation's.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopRequestView {
    pub id: CoopRequestId,
    pub coop_id: CoopId,
    pub coop_name: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub organisation: OrgRef,
    /// The note that came with it.
    pub message: String,
    pub created_by: UserSummary,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<UserSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The caller may accept or decline it (a coordinator for a request, the
    /// organisation's lead for an invitation).
    pub may_decide: bool,
    /// The caller may withdraw it (the side that sent it).
    pub may_withdraw: bool,
}

/// `POST /api/coops/{id}/requests` (a lead asks for their organisation) and
/// `POST /api/coops/{id}/invites` (a coordinator invites one).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCoopRequest {
    pub organisation_id: OrganisationId,
    #[serde(default)]
    pub message: String,
}

/// `POST /api/coop-requests/{id}/decide`: a reason is required to decline.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideCoopRequest {
    pub accept: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `DELETE /api/coops/{id}/members/{org_id}`: the organisation's lead leaves,
/// or a coordinator removes it (a reason is required then).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaveCoop {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/coops/{id}/coordinators`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddCoordinator {
    pub user_id: UserId,
}

/// What happened in a co-op's membership, rooms or log: append-only.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    Created,
    Edited,
    Requested,
    Invited,
    Admitted,
    Declined,
    Withdrawn,
    Left,
    Removed,
    CoordinatorAdded,
    CoordinatorRemoved,
    RoomCreated,
    RoomRenamed,
    RoomArchived,
    RoomRestored,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub id: i64,
    pub action: HistoryAction,
    pub actor: UserSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrgRef>,
    /// The person added or removed as coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<UserSummary>,
    /// A room's title, a reason, or what was edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

/// `GET /api/coops/{id}`: everything the co-op home shows the caller.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopView {
    pub id: CoopId,
    pub name: String,
    pub locality: String,
    pub purpose: String,
    pub created_at: DateTime<Utc>,
    pub coordinators: Vec<UserSummary>,
    pub members: Vec<CoopMember>,
    pub viewer: CoopRole,
    /// Members only (empty for everyone else), archived last.
    pub rooms: Vec<CoopRoom>,
    /// Pending requests and invitations the caller may see.
    pub requests: Vec<CoopRequestView>,
    /// Members, coordinators and the programme team: newest first.
    pub history: Vec<HistoryEntry>,
}

/// `POST /api/coops/{id}/rooms` (coordinators).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCoopRoom {
    pub title: String,
}

/// `PUT /api/coops/{id}/rooms/{room_id}` (coordinators): absent fields stay.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCoopRoom {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// "We will submit the joint bid by 31 March."
    Decision,
    /// Someone (an organisation or a person) will do something, maybe by a date.
    Action,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
    /// No longer needed.
    Dropped,
}

/// Who owns an action: a member organisation or a member person.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Owner {
    Organisation { organisation_id: OrganisationId },
    Person { user_id: UserId },
}

/// `POST /api/coops/{id}/records`: a decision or an action, optionally
/// made from a message in one of the co-op's rooms (it links back).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateRecord {
    pub kind: RecordKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Actions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Actions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
}

/// `PUT /api/coop-records/{id}`: any member updates an action's status,
/// owner, due date or text; absent fields stay. `clear_owner` and
/// `clear_due` remove them.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ActionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    #[serde(default)]
    pub clear_owner: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub clear_due: bool,
}

/// The message a record was made from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordSource {
    pub message_id: MessageId,
    pub room_id: RoomId,
    pub seq: i64,
    pub room_title: String,
    pub author: UserSummary,
    /// The start of the message (empty when it was deleted).
    pub excerpt: String,
}

/// An owner with a name to show.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OwnerView {
    Organisation { organisation: OrgRef },
    Person { user: UserSummary },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    pub id: RecordId,
    pub coop_id: CoopId,
    pub kind: RecordKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RecordSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<OwnerView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// Actions; decisions are always `open`.
    pub status: ActionStatus,
    /// An open action whose due date has passed (server's date, UTC).
    pub overdue: bool,
    pub created_by: UserSummary,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<UserSummary>,
    pub updated_at: DateTime<Utc>,
    /// The caller may delete it (its author or a coordinator).
    pub may_delete: bool,
}

/// `GET /api/coops/{id}/records`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordsResponse {
    /// Open actions, soonest due first (no due date last).
    pub open_actions: Vec<RecordView>,
    /// Done and dropped actions, most recently changed first.
    pub closed_actions: Vec<RecordView>,
    /// Newest first.
    pub decisions: Vec<RecordView>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Meeting,
    /// A funding or bid deadline.
    Deadline,
}

/// `POST /api/coops/{id}/events` and `PUT /api/coop-events/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveEvent {
    pub title: String,
    pub kind: EventKind,
    pub starts_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// A whole day (the date of `starts_at`, UTC), as deadlines usually are.
    #[serde(default)]
    pub all_day: bool,
    /// Where: an address or a room.
    #[serde(default)]
    pub place: String,
    /// A video call or the funder's page (http or https).
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub id: EventId,
    pub coop_id: CoopId,
    #[serde(flatten)]
    pub event: SaveEvent,
    pub created_by: UserSummary,
    pub created_at: DateTime<Utc>,
    /// The caller may edit or delete it (its author or a coordinator).
    pub may_edit: bool,
}

/// `GET /api/coops/{id}/events`: upcoming (not yet ended) soonest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventsResponse {
    pub events: Vec<EventView>,
}

/// `POST /api/calendar/feed`: a new private subscription address for the
/// events of every co-op the caller belongs to (the previous one stops
/// working). Calendar apps fetch it without a session, so the address is
/// the secret: shown once, stored only as a hash.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// Path of the feed on this server, `/api/calendar/{token}.ics`.
    pub path: String,
}

/// `GET /api/coop-requests`: pending requests and invitations, across
/// co-ops, that the caller may decide or withdraw ("waiting for you").
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopRequestsResponse {
    pub requests: Vec<CoopRequestView>,
}
