//! Posting a message: validate, check access, then hand it to the writer,
//! which commits (grouped with concurrent sends), acknowledges, and fans out.
//! The order is the promise: nothing is acked or delivered before it is
//! committed, the sender's `ack` is queued before any `message` event, and
//! events leave in commit order.

pub mod membership;
pub mod writer;

use axum::extract::ws::Utf8Bytes;
use shared::api::rooms::MessageView;
use tokio::sync::mpsc;

use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::messages::Change;
use crate::domain::{access, validate};
use crate::error::AppResult;

pub use writer::Writer;

/// Edit or delete one's own message, then show the change to every member.
pub async fn change(
    state: &AppState,
    author: &AuthUser,
    message_id: i64,
    change: Change<'_>,
) -> AppResult<MessageView> {
    let change = match change {
        Change::Edit(body) => Change::Edit(validate::message_body(body)?),
        Change::Delete => Change::Delete,
    };
    let found = access::own_message(&state.db, author, message_id).await?;
    let updated = db::messages::change(&state.db, found, change).await?;
    let view = db::messages::to_view(updated, author.display_name.clone());
    let members = db::rooms::members_of(&state.db, &[view.room_id])
        .await?
        .remove(&view.room_id)
        .unwrap_or_default();
    state
        .hub
        .send_to_users(&members, &ServerMsg::MessageUpdated(view.clone()));
    Ok(view)
}

pub struct Posted {
    pub view: MessageView,
    /// The same `client_msg_id` was sent before; nothing new was stored.
    pub duplicate: bool,
}

/// Store `body` in `room_id` once per `(author, client_msg_id)`. When this
/// returns `Ok` the message is durable, its `ack` is queued on `ack_to`, and
/// it is queued to every member's connections.
pub async fn post(
    state: &AppState,
    author: &AuthUser,
    room_id: i64,
    client_msg_id: &str,
    body: &str,
    ack_to: Option<mpsc::Sender<Utf8Bytes>>,
) -> AppResult<Posted> {
    let client_msg_id = validate::client_msg_id(client_msg_id)?;
    let body = validate::message_body(body)?;
    access::room_writer(&state.db, author, room_id).await?;
    state
        .writer
        .submit(
            writer::Job {
                room_id,
                author_id: author.id,
                author_name: author.display_name.clone(),
                client_msg_id: client_msg_id.to_owned(),
                body: body.to_owned(),
            },
            ack_to,
        )
        .await
}
