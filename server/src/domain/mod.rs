//! Rules that are not HTTP: who may do what, and what valid input is.

pub mod access;
pub mod validate;
