//! Live delivery: the hub that knows every open socket, and the per-socket
//! session that reads client messages and writes server events, and the
//! per-person send limit.

pub mod hub;
pub mod presence;
pub mod rate;
pub mod requests;
pub mod session;

pub use hub::Hub;
