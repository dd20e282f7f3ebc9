//! Reusable pieces of the interface, one component per file.

pub mod announcer;
pub mod composer;
pub mod connection_status;
pub mod field;
pub mod form_errors;
pub mod message_item;
pub mod message_list;
pub mod offline_banner;
pub mod presence;
pub mod retry_notice;
pub mod room_list;
pub mod room_view;
pub mod site_header;
pub mod typing_indicator;
