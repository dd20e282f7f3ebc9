//! Live delivery: the hub that knows every open socket, and the per-socket
//! session that reads client messages and writes server events.

pub mod hub;
pub mod presence;
pub mod requests;
pub mod session;

pub use hub::Hub;
