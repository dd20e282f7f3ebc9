//! sea-orm entities, one per table; the schema itself lives in `migrations/`.

pub mod glossary_term;
pub mod helpful_mark;
pub mod mentor;
pub mod mentor_expertise;
pub mod mentorship;
pub mod mentorship_event;
pub mod mentorship_goal;
pub mod message;
pub mod message_edit;
pub mod notification;
pub mod organisation;
pub mod organisation_invite;
pub mod organisation_need;
pub mod organisation_staff;
pub mod post;
pub mod room;
pub mod room_member;
pub mod session;
pub mod session_note;
pub mod thread;
pub mod thread_follow;
pub mod thread_read;
pub mod thread_topic;
pub mod topic_follow;
pub mod user;
