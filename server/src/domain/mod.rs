//! Rules that are not HTTP: who may do what, what valid input is, how
//! mentors are matched, and how a mentorship may move.

pub mod access;
pub mod lifecycle;
pub mod markdown;
pub mod matching;
pub mod validate;
pub mod validate_coops;
pub mod validate_programme;
pub mod validate_threads;
