//! One's own personal data (UK GDPR Articles 15, 17 and 20): the export of
//! everything about the caller (`export`) and the erasure of their account
//! (`erase`, the policy in its module documentation and in SECURITY.md).
//! Both act on the caller only: the routes have no id, so `AuthUser` is the
//! whole access check.

pub mod erase;
pub mod export;
