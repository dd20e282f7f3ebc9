//! JSON request and response bodies of the HTTP API, one module per area.
//! Names follow `VerbThing` for requests and `ThingResponse` for answers.

pub mod audit;
pub mod auth;
pub mod concerns;
pub mod coops;
pub mod glossary;
pub mod mentors;
pub mod mentorships;
pub mod moderation;
pub mod network;
pub mod notifications;
pub mod organisations;
pub mod privacy;
pub mod programme;
pub mod rooms;
pub mod search;
pub mod threads;
pub mod two_factor;
pub mod users;
