//! Posting a message: validate, check access, store durably, acknowledge,
//! then fan out. The order is the promise: nothing is acked or delivered
//! before it is committed.

use shared::api::rooms::MessageView;
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::{access, validate};
use crate::error::AppResult;

pub struct Posted {
    pub view: MessageView,
    pub duplicate: bool,
}

/// Store `body` in `room_id` once per `client_msg_id`, then deliver it to
/// every connection of every member. Returns what to acknowledge.
pub async fn post(
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
    let author_name = if stored.message.author_id == author.id {
        author.display_name.clone()
    } else {
        String::new()
    };
    let view = db::messages::to_view(stored.message, author_name);
    if !stored.duplicate {
        let members = db::rooms::member_ids(&state.db, room_id).await?;
        state
            .hub
            .send_to_users(&members, &ServerMsg::Message(view.clone()));
    }
    Ok(Posted {
        view,
        duplicate: stored.duplicate,
    })
}
