//! Accounts and sessions: password policy and hashing, session tokens and
//! cookies, the `AuthUser` extractor, and the cross-site write guard.

pub mod extract;
pub mod origin;
pub mod password;
pub mod token;

pub use extract::AuthUser;
