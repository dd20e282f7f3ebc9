//! One's own personal data: the export (`GET /api/me/export`, one JSON file
//! of everything the platform holds about the caller) and erasure
//! (`DELETE /api/me`). The export holds the caller's own data only: their
//! own messages and posts, never other people's private messages, and no
//! other person's email address. Where a record is shared (a mentorship's
//! goals and notes, a concern's history), others appear as `by_you: false`,
//! not by name.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{MentorshipId, MessageId, OrganisationId, PostId, RoomId, Seq, ThreadId};

/// The version of the export's layout; raised when a field changes meaning.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// `DELETE /api/me`: erase one's own account. The password is asked again
/// so a left-open browser cannot do it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EraseAccount {
    pub password: String,
}

/// `GET /api/me/export`: everything about the caller, sent as the download
/// `my-data-YYYY-MM-DD.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalDataExport {
    /// [`EXPORT_FORMAT_VERSION`]: 1.
    pub format_version: u32,
    pub exported_at: DateTime<Utc>,
    /// The account: email, name, settings, admin flag, suspension.
    pub account: ExportAccount,
    /// Where the account is signed in now.
    pub sessions: Vec<ExportSession>,
    /// The organisations the caller is staff of, with their role there.
    pub organisations: Vec<ExportOrganisation>,
    /// The co-operatives the caller coordinates.
    pub coordinator_of: Vec<ExportCoop>,
    /// The caller's mentor application or profile, with its expertise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_profile: Option<ExportMentorProfile>,
    /// Mentorships the caller is in (as the mentor, or as staff of the
    /// mentored organisation), with the goals, history and session notes
    /// they can read there.
    pub mentorships: Vec<ExportMentorship>,
    /// The chat rooms the caller is a member of.
    pub rooms: Vec<ExportRoom>,
    /// Every chat message the caller wrote, with its earlier versions.
    pub messages: Vec<ExportMessage>,
    /// Every practice-thread post the caller wrote (opening posts and replies).
    pub posts: Vec<ExportPost>,
    /// Threads the caller follows.
    pub followed_threads: Vec<ExportThreadRef>,
    /// Topics the caller follows (topic slugs).
    pub followed_topics: Vec<String>,
    /// Posts the caller marked "this helped me".
    pub helpful_marks: Vec<ExportHelpfulMark>,
    /// The caller's in-app notifications.
    pub notifications: Vec<ExportNotification>,
    /// Safeguarding concerns the caller raised, with their history.
    pub concerns_raised: Vec<ExportConcern>,
    /// Content reports the caller made.
    pub reports_made: Vec<ExportReport>,
    /// Moderation steps about the caller (warnings, suspensions, hidden content).
    pub moderation_actions: Vec<ExportModerationAction>,
    /// Glossary terms the caller suggested.
    pub glossary_suggestions: Vec<ExportGlossarySuggestion>,
    /// Co-operative decisions and actions the caller recorded.
    pub coop_records: Vec<ExportCoopRecord>,
    /// Co-operative events the caller created.
    pub coop_events: Vec<ExportCoopEvent>,
    /// Security events about the caller or by them (log-ins, refusals,
    /// privileged steps): when, what, and from which address.
    pub audit_events: Vec<ExportAuditEvent>,
}

/// The account itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportAccount {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    /// Settings: whether others see how far the caller has read.
    pub read_receipts: bool,
    /// On the programme team.
    pub is_admin: bool,
    /// Signing in asks for an authenticator code too (the secret itself is
    /// never exported).
    pub two_factor_enabled: bool,
    /// Suspended by a moderator: since, until (None: until lifted), why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension_reason: Option<String>,
}

/// One signed-in browser or device.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportSession {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// "Firefox on Linux", from what the browser said when signing in.
    pub device: String,
    /// The browser's own description as stored (cut short).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// Staff membership of one organisation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportOrganisation {
    pub id: OrganisationId,
    pub name: String,
    pub joined_at: DateTime<Utc>,
    /// A lead of the organisation.
    pub is_lead: bool,
    /// Its named safeguarding lead.
    pub is_safeguarding_lead: bool,
}

/// A co-operative the caller coordinates.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportCoop {
    pub id: i64,
    pub name: String,
    pub since: DateTime<Utc>,
}

/// The mentor application or profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMentorProfile {
    pub bio: String,
    /// Activity-type slugs.
    pub activity_types: Vec<String>,
    pub localities: Vec<String>,
    pub remote: bool,
    pub in_person: bool,
    pub capacity: i32,
    pub lived_experience: bool,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    pub expertise: Vec<ExportExpertise>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportExpertise {
    /// Topic slug.
    pub topic: String,
    /// Depth slug.
    pub depth: String,
}

/// One mentorship and what the caller can read of it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMentorship {
    pub id: MentorshipId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    /// `mentor`, or `staff` of the mentored organisation.
    pub role: String,
    /// Mentorship status slug.
    pub status: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_reflection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_reflection: Option<String>,
    pub goals: Vec<ExportGoal>,
    /// Every lifecycle step, oldest first.
    pub events: Vec<ExportMentorshipEvent>,
    pub session_notes: Vec<ExportSessionNote>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportGoal {
    pub title: String,
    /// Goal status slug.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub by_you: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMentorshipEvent {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<String>,
    pub to_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub by_you: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportSessionNote {
    pub session_date: NaiveDate,
    pub summary: String,
    pub next_steps: String,
    pub created_at: DateTime<Utc>,
    pub by_you: bool,
}

/// A chat room the caller is in.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRoom {
    pub id: RoomId,
    /// `direct`, `mentorship` or `coop`.
    pub kind: String,
    /// The name of a mentorship or co-op room; direct rooms have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub muted: bool,
    /// How far the caller has read.
    pub last_read_seq: Seq,
}

/// A chat message the caller wrote.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMessage {
    pub id: MessageId,
    pub room_id: RoomId,
    pub seq: Seq,
    pub created_at: DateTime<Utc>,
    /// The text now (empty once deleted).
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// Hidden by a moderator, with their reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    /// Earlier versions, oldest first.
    pub edits: Vec<ExportMessageEdit>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMessageEdit {
    pub changed_at: DateTime<Utc>,
    /// `edit` or `delete`.
    pub kind: String,
    /// The text before this change.
    pub previous_body: String,
}

/// A practice-thread post the caller wrote.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportPost {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    /// The thread's opening post (the caller started the thread).
    pub opening: bool,
    /// Markdown source (empty once deleted).
    pub body: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportThreadRef {
    pub id: ThreadId,
    pub title: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportHelpfulMark {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub created_at: DateTime<Utc>,
}

/// An in-app notification addressed to the caller.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportNotification {
    pub id: i64,
    /// Notification kind, snake_case (`mention`, `mentorship`, …).
    pub kind: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<DateTime<Utc>>,
    /// What it said (mentions point at a message instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentorship_id: Option<MentorshipId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coop_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concern_id: Option<i64>,
}

/// A safeguarding concern the caller raised.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportConcern {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
    /// `immediate`, `concern` or `information`.
    pub priority: String,
    /// `new`, `acknowledged`, `actioned` or `closed`.
    pub status: String,
    pub at_risk: String,
    pub what_happened: String,
    /// The message or post it was raised from (its text is someone else's
    /// unless the caller wrote it, and is then in `context_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_text: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Oldest first.
    pub history: Vec<ExportConcernStep>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportConcernStep {
    pub at: DateTime<Utc>,
    /// `raised`, `acknowledged`, `actioned`, `closed`, `reopened` or `note`.
    pub action: String,
    pub note: String,
    pub by_you: bool,
}

/// A content report the caller made (the reported text is someone else's,
/// so only where it was is given).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportReport {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    /// Report reason slug.
    pub reason: String,
    pub detail: String,
    /// `open`, `actioned` or `dismissed`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A moderation step about the caller.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportModerationAction {
    pub at: DateTime<Utc>,
    /// `hide`, `restore`, `warn`, `suspend`, `unsuspend` or `dismiss`.
    pub action: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportGlossarySuggestion {
    pub term: String,
    pub definition: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportCoopRecord {
    pub coop_id: i64,
    /// `decision` or `action`.
    pub kind: String,
    pub text: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportCoopEvent {
    pub coop_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

/// A security event about the caller or by them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportAuditEvent {
    pub at: DateTime<Utc>,
    /// The OWASP event name (`authn_login_success`, …).
    pub event: String,
    /// The client address recorded with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The caller did it.
    pub by_you: bool,
    /// It was about the caller's account.
    pub about_you: bool,
}
