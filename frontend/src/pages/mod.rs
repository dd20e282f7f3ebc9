//! One module per route; each page renders the single `<main>` and `<h1>`.

pub mod admin;
pub mod glossary;
pub mod join;
pub mod loading;
pub mod login;
pub mod matching;
pub mod mentor;
pub mod mentor_profile;
pub mod mentors;
pub mod mentorship;
pub mod not_found;
pub mod notifications;
pub mod organisation;
pub mod organisation_new;
pub mod organisations;
pub mod people;
pub mod programme;
pub mod register;
pub mod rooms;
pub mod search;
pub mod settings;
pub mod suggestions;
pub mod thread;
pub mod thread_new;
pub mod threads;
