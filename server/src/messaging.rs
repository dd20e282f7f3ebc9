//! Posting a message: validate, check access, store durably, then (after the
//! caller has acknowledged) fan out. The order is the promise: nothing is
//! acked or delivered before it is committed, and the sender sees its `ack`
//! before its own `message` event.

use shared::api::rooms::MessageView;
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::{access, validate};
use crate::error::AppResult;

pub struct Posted {
    pub view: MessageView,
    /// The same `client_msg_id` was sent before; nothing new was stored.
    pub duplicate: bool,
}

/// Store `body` in `room_id` once per `(author, client_msg_id)`. Durable when
/// this returns.
pub async fn store(
    state: &AppState,
    author: &AuthUser,
    room_id: i64,
    client_msg_id: &str,
    body: &str,
) -> AppResult<Posted> {
    let client_msg_id = validate::client_msg_id(client_msg_id)?;
    let body = validate::message_body(body)?;
    access::room_member(&state.db, author, room_id).await?;
    let stored = db::messages::insert(&state.db, room_id, author.id, client_msg_id, body).await?;
    Ok(Posted {
        view: db::messages::to_view(stored.message, author.display_name.clone()),
        duplicate: stored.duplicate,
    })
}

/// Push a newly stored message to every connection of every current member.
/// A duplicate was delivered the first time; resuming clients replay it.
pub async fn deliver(state: &AppState, posted: &Posted) -> AppResult<()> {
    if posted.duplicate {
        return Ok(());
    }
    let members = db::rooms::member_ids(&state.db, posted.view.room_id).await?;
    state
        .hub
        .send_to_users(&members, &ServerMsg::Message(posted.view.clone()));
    Ok(())
}
