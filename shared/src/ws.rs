//! The websocket protocol on `GET /api/ws`: JSON text frames, each an object
//! with a snake_case `"type"`. Client → server is [`ClientMsg`], server →
//! client is [`ServerMsg`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::notifications::NotificationView;
use crate::api::rooms::{MessageView, RoomSummary};
use crate::api::threads::PostView;
use crate::{ApiError, MentorshipId, MessageId, RoomId, Seq, ThreadId, UserId};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Post a message. `client_msg_id` makes retries safe: the same id from the
    /// same user is stored once and acked with the original.
    Send {
        room_id: RoomId,
        client_msg_id: String,
        body: String,
    },
    /// Replay the messages of a room after `after_seq`, in order. With
    /// `changes_since` (a server time, e.g. the previous connection's
    /// `ready`), also replay edits and deletes of older messages made since.
    Resume {
        room_id: RoomId,
        after_seq: Seq,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        changes_since: Option<DateTime<Utc>>,
    },
    /// Keep-alive from clients that cannot send protocol pings (browsers).
    Ping,
    /// Everything up to `seq` in the room has been read (moves forward only).
    Read { room_id: RoomId, seq: Seq },
    /// The person is typing (`active: true`, repeated every few seconds) or
    /// stopped. Never stored; others see it expire by itself.
    Typing { room_id: RoomId, active: bool },
    /// The person's own presence: `away` when the app is in the background.
    SetPresence { status: PresenceStatus },
    /// Replace the body of one's own message.
    Edit { message_id: MessageId, body: String },
    /// Delete one's own message (leaves a tombstone).
    Delete { message_id: MessageId },
    /// This connection shows a practice thread (`watching: true`) or no
    /// longer does: while watching, its new posts, edits and marks arrive as
    /// `thread_post`, and other changes as `thread_changed`.
    WatchThread { thread_id: ThreadId, watching: bool },
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenceStatus {
    Online,
    Away,
    Offline,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// First frame of every connection.
    Ready {
        user_id: UserId,
        display_name: String,
        server_time: DateTime<Utc>,
    },
    /// The message with this `client_msg_id` is durably stored.
    Ack {
        client_msg_id: String,
        room_id: RoomId,
        seq: Seq,
        id: MessageId,
        created_at: DateTime<Utc>,
        /// True when this send repeated an earlier one and nothing new was stored.
        duplicate: bool,
    },
    /// A new message in a room the connection's user belongs to.
    Message(MessageView),
    /// The end of a `resume` replay: the client is now caught up to `last_seq`.
    Resumed {
        room_id: RoomId,
        last_seq: Seq,
    },
    /// The client is too far behind to replay; re-page history over HTTP.
    Resync {
        room_id: RoomId,
        last_seq: Seq,
    },
    /// The user was added to a room (for example someone opened a direct room).
    RoomAdded {
        room: RoomSummary,
    },
    /// The user is no longer a member (they left, or were removed): nothing
    /// more of this room reaches them, and its history is closed to them.
    RoomRemoved {
        room_id: RoomId,
    },
    Pong,
    /// A member's read marker moved. To the reader's own connections (so
    /// tabs and devices agree) with `unread_count`, and to other members as a
    /// read receipt when the reader allows receipts.
    Read {
        room_id: RoomId,
        user_id: UserId,
        seq: Seq,
        /// The reader's unread count in the room; only on their own connections.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unread_count: Option<i64>,
    },
    /// Someone in the room is typing (or stopped). Forget it after
    /// `expires_in_ms` unless repeated.
    Typing {
        room_id: RoomId,
        user_id: UserId,
        display_name: String,
        active: bool,
        expires_in_ms: u64,
    },
    /// Presence of someone who shares a room with this user.
    Presence {
        user_id: UserId,
        status: PresenceStatus,
    },
    /// A message's new body (or its tombstone, when `deleted`).
    MessageUpdated(MessageView),
    /// A new in-app notification for this user (a mention).
    Notification(NotificationView),
    /// This user's notifications up to `up_to_id` were marked read (in
    /// another tab, say); `unread_count` is what is left.
    NotificationsRead {
        up_to_id: i64,
        unread_count: i64,
    },
    /// Something in a mentorship this user is a member of changed (a
    /// lifecycle step, a goal, a session note, a reflection): reload what is
    /// shown of it. Only the mentor and the organisation's staff hear it.
    MentorshipChanged {
        mentorship_id: MentorshipId,
    },
    /// A post in a watched thread is new, edited, deleted or was marked
    /// helpful: the same view for every reader, replace it by id.
    ThreadPost {
        post: PostView,
    },
    /// A watched thread's title, topics, answer or state changed: reload it.
    ThreadChanged {
        thread_id: ThreadId,
    },
    /// Something on a co-op's page changed (membership, rooms, the log,
    /// events): reload that part. Only the co-op's members, its
    /// coordinators and organisations with an open request or invitation hear it.
    CoopChanged {
        coop_id: i64,
        part: CoopPart,
    },
    /// A safeguarding concern the listener raised or handles was raised or
    /// changed: reload it (and the list).
    ConcernChanged {
        concern_id: i64,
    },
    /// The moderation queue changed (a report came in or was resolved).
    /// Only moderators hear it.
    ReportsChanged {
        open_count: i64,
    },
    /// A request on this socket failed; the socket stays open.
    Error {
        error: ApiError,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room_id: Option<RoomId>,
    },
}

/// Which part of a co-op's page a `coop_changed` event is about.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CoopPart {
    /// Details, members, coordinators, requests, rooms, history.
    Home,
    /// Decisions and actions.
    Records,
    Events,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_use_the_documented_tags() {
        let send: ClientMsg = serde_json::from_str(
            r#"{"type":"send","room_id":3,"client_msg_id":"abc","body":"hi"}"#,
        )
        .expect("parse send");
        assert_eq!(
            send,
            ClientMsg::Send {
                room_id: 3,
                client_msg_id: "abc".into(),
                body: "hi".into()
            }
        );
        let resume: ClientMsg =
            serde_json::from_str(r#"{"type":"resume","room_id":3,"after_seq":7}"#)
                .expect("parse resume");
        assert_eq!(
            resume,
            ClientMsg::Resume {
                room_id: 3,
                after_seq: 7,
                changes_since: None
            }
        );
    }

    #[test]
    fn a_message_event_is_flat() {
        let msg = ServerMsg::Message(MessageView {
            id: 1,
            room_id: 2,
            seq: 3,
            author_id: 4,
            author_name: "Asha".into(),
            body: "hello".into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            client_msg_id: "c1".into(),
            edited_at: None,
            deleted: false,
            hidden: false,
        });
        let json = serde_json::to_value(&msg).expect("serialise");
        assert_eq!(json["type"], "message");
        assert_eq!(json["seq"], 3);
        assert_eq!(json["client_msg_id"], "c1");
    }
}
