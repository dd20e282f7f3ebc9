//! Full-text search over practice threads and the messages of rooms the
//! searcher may read.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::users::UserSummary;
use crate::{MessageId, PostId, RoomId, Seq, ThreadId};

/// `GET /api/search?q=&topic=&from=&to=&scope=`
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct SearchQuery {
    /// Words to find (all of them; the last may be the start of a word).
    pub q: String,
    /// A topic slug: only threads under it (messages have no topic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Written on or after this day (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Written on or before this day (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// `threads`, `messages`, or both when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<SearchScope>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SearchScope {
    Threads,
    Messages,
}

/// A piece of a snippet: matched words have `hit` set. Plain text, never HTML.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnippetPart {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hit: bool,
}

/// Where a hit lives.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SearchHitPlace {
    /// A thread's opening post or a reply.
    Post {
        thread_id: ThreadId,
        post_id: PostId,
        thread_title: String,
    },
    /// A message in a room.
    Message {
        room_id: RoomId,
        message_id: MessageId,
        seq: Seq,
        room_title: String,
    },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub place: SearchHitPlace,
    pub author: UserSummary,
    pub created_at: DateTime<Utc>,
    pub snippet: Vec<SnippetPart>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// Best first.
    pub hits: Vec<SearchHit>,
    /// True when there were more than the page shows.
    pub more: bool,
}
