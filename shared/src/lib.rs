//! The wire contract between server and frontend: API request/response types,
//! the websocket protocol and the error body. Compiles for wasm32 and the host;
//! it must never depend on sea-orm, axum or tokio.

pub mod api;
pub mod error;
pub mod glossary;
pub mod limits;
pub mod mentions;
pub mod taxonomy;
pub mod ws;

pub use error::{ApiError, ErrorBody, ErrorKind};

/// Database ids are plain integers on the wire.
pub type UserId = i64;
pub type RoomId = i64;
pub type MessageId = i64;
pub type OrganisationId = i64;
pub type MentorshipId = i64;
pub type ThreadId = i64;
/// A thread's opening post or one of its replies.
pub type PostId = i64;
/// Position of a message inside its room: gap-free, strictly increasing from 1.
pub type Seq = i64;
