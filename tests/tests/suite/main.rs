//! The one integration test binary: the real server on `127.0.0.1:0`, a fresh
//! database per test (SQLite file and PostgreSQL database), real HTTP and
//! websocket clients, and a real headless Chromium for the browser flows.
//!
//! Database tests are written once as `async fn name(backend: Backend)` and
//! instantiated for both backends by `both!`, so the output names each run:
//! `accounts::login_and_logout::sqlite` and `…::postgres`.

mod harness;

mod accounts;
mod audit;
mod authz_matrix;
mod browser;
mod browser_account;
mod browser_coops;
mod browser_directory;
mod browser_programme;
mod browser_threads;
mod browser_trust;
mod cluster;
mod concerns;
mod coop_log;
mod coops;
mod crash;
mod hardening;
mod live_state;
mod loadgen_smoke;
mod logs;
mod model;
mod moderation;
mod notifications;
mod openapi;
mod privacy;
mod programme;
mod rooms;
mod sessions;
mod supply_chain;
mod threads;
mod two_factor;
mod websocket;
