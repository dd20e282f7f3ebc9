//! The network picture API.
