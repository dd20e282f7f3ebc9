//! JSON request and response bodies of the HTTP API, one module per area.
//! Names follow `VerbThing` for requests and `ThingResponse` for answers.

pub mod auth;
pub mod notifications;
pub mod rooms;
pub mod users;
