//! sea-orm entities, one per table; the schema itself lives in `migrations/`.

pub mod message;
pub mod message_edit;
pub mod notification;
pub mod room;
pub mod room_member;
pub mod session;
pub mod user;
