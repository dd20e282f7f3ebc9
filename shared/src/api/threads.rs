//! Practice threads: a titled opening post under topics, flat replies with
//! quotes, "this helped me" marks, an answer, pin/lock/close, follows and
//! read positions.
//!
//! A thread's first post is its body: every post (opening or reply) is a
//! [`PostView`], so edits, marks, quotes and search treat them alike.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::taxonomy::{ActivityType, Topic};
use crate::{OrganisationId, PostId, ThreadId};

/// Who may read a thread. Co-operative threads are for the co-op's member
/// organisations' staff only (co-operatives arrive with their own issue).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Visibility {
    /// Every signed-in member of the platform.
    #[default]
    Members,
    /// Only the staff of one co-operative's member organisations.
    Coop { coop_id: i64 },
}

/// `POST /api/threads`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateThread {
    pub title: String,
    /// Markdown (the safe subset: no raw HTML, no images).
    pub body: String,
    /// One or more.
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub activity_types: Vec<ActivityType>,
    #[serde(default)]
    pub visibility: Visibility,
    /// The organisation the author writes for; one of theirs, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<OrganisationId>,
}

/// `PUT /api/threads/{id}`: the author edits the title, topics and opening post.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditThread {
    pub title: String,
    pub body: String,
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub activity_types: Vec<ActivityType>,
}

/// `POST /api/threads/{id}/posts`: a reply, optionally quoting an earlier post.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePost {
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_post_id: Option<PostId>,
}

/// `PUT /api/posts/{id}`: the author edits a post.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditPost {
    pub body: String,
}

/// `PUT /api/threads/{id}/state` (the author or an admin). Absent fields stay
/// as they are. A **closed** thread is finished: no new replies, reopenable.
/// A **locked** thread is frozen: no replies, edits or marks.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetThreadState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
}

/// `PUT /api/threads/{id}/answer` (the author or an admin): this reply
/// answers the thread; `null` clears it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetAnswer {
    pub post_id: Option<PostId>,
}

/// `PUT /api/threads/{id}/follow` and `PUT /api/topics/{slug}/follow`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetFollow {
    pub following: bool,
}

/// `POST /api/threads/{id}/read`: everything up to this post has been seen.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkThreadRead {
    pub post_id: PostId,
}

/// `PUT /api/posts/{id}/helpful`: "this helped me" on or off.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetHelpful {
    pub helpful: bool,
}

/// `POST /api/markdown/preview`: render a draft exactly as it will be shown.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewMarkdown {
    pub body: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewResponse {
    /// Sanitised HTML, glossary terms marked.
    pub html: String,
}

/// `GET /api/threads?topic=&before=`: newest activity first, pinned first.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct ListThreads {
    /// A topic slug; all topics when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Only this co-operative's threads (which the reader must be able to read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coop: Option<i64>,
}

/// The quoted part of an earlier post.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteView {
    pub post_id: PostId,
    pub author: UserSummary,
    /// The start of the quoted post as plain text (empty if it was deleted).
    pub excerpt: String,
}

/// One post. The same for every reader, so it can be pushed live as is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostView {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author: UserSummary,
    /// The organisation the author wrote for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The Markdown source (for editing and quoting); empty when deleted.
    pub body: String,
    /// Sanitised HTML with glossary terms marked; empty when deleted.
    pub html: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<QuoteView>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted: bool,
    /// Hidden by a moderator: a tombstone (empty body and html) for readers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    pub helpful_count: i64,
    /// True for the thread's opening post.
    pub opening: bool,
}

/// A thread as a list shows it (and the head of the thread view).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub title: String,
    pub topics: Vec<Topic>,
    pub activity_types: Vec<ActivityType>,
    pub visibility: Visibility,
    pub author: UserSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Replies, not counting the opening post or deleted replies.
    pub reply_count: i64,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub pinned: bool,
    pub locked: bool,
    pub closed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_post_id: Option<PostId>,
    /// The reader's own position: posts after their read marker (all of
    /// them when they never opened it).
    pub unread_count: i64,
    pub following: bool,
}

/// `GET /api/threads`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListThreadsResponse {
    pub threads: Vec<ThreadSummary>,
    /// The topics the reader follows.
    pub followed_topics: Vec<Topic>,
}

/// What the reader may do here (so the UI offers only what will work).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadPermissions {
    /// Mark the answer, pin, lock, close (the author or an admin).
    pub moderate: bool,
    /// Post a reply (not closed or locked).
    pub reply: bool,
}

/// `GET /api/threads/{id}`: the head and every post, oldest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadResponse {
    pub thread: ThreadSummary,
    pub posts: Vec<PostView>,
    /// Posts the reader marked as helpful.
    pub helped: Vec<PostId>,
    /// The reader's read marker before this visit (0 when new to them).
    pub last_read_post_id: PostId,
    pub can: ThreadPermissions,
}

/// `PUT /api/posts/{id}/helpful` answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpfulResponse {
    pub post_id: PostId,
    pub helpful: bool,
    pub helpful_count: i64,
}
