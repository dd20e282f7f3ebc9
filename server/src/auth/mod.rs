//! Accounts and sessions: password policy and hashing, session tokens and
//! cookies, the `AuthUser` extractor, the cross-site write guard, the
//! client's address and login throttling.

pub mod client_ip;
pub mod device;
pub mod extract;
pub mod origin;
pub mod password;
pub mod refusals;
pub mod throttle;
pub mod token;
pub mod totp;

pub use extract::AuthUser;
