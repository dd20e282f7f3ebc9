//! The server as a library, so the tests run exactly what `main` runs.

pub mod app;
pub mod auth;
pub mod cluster;
pub mod config;
pub mod coops;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod messaging;
pub mod moderation;
pub mod privacy;
pub mod programme;
pub mod realtime;
pub mod routes;
pub mod safeguarding;
pub mod telemetry;
pub mod threads;

pub use app::{AppState, Application};
pub use config::Config;
