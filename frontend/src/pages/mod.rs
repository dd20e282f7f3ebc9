//! One module per route; each page renders the single `<main>` and `<h1>`.

pub mod loading;
pub mod login;
pub mod not_found;
pub mod notifications;
pub mod people;
pub mod register;
pub mod rooms;
pub mod settings;
