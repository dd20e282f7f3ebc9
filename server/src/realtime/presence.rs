//! Presence: who of the people you share a room with is online, away or
//! offline. Ephemeral: kept in the hub, never stored, and dropped first when
//! a connection falls behind. Announced to this node's sockets only: each
//! node combines the others' reports and announces changes itself.

use axum::extract::ws::Utf8Bytes;
use shared::ws::{PresenceStatus, ServerMsg};
use tokio::sync::mpsc;

use super::hub::encode;
use crate::app::AppState;
use crate::db;
use crate::error::AppResult;

/// Tell `user`'s contacts about a change of their presence, if there was one.
pub async fn announce(
    state: &AppState,
    user: i64,
    changed: Option<PresenceStatus>,
) -> AppResult<()> {
    let Some(status) = changed else {
        return Ok(());
    };
    let contacts = db::rooms::contacts_of(&state.db, user).await?;
    state.hub.local_ephemeral(
        &contacts,
        &encode(&ServerMsg::Presence {
            user_id: user,
            status,
        }),
    );
    Ok(())
}

/// A new connection: announce the user if they just came online, and tell
/// the connection who of their contacts is around.
pub async fn connected(
    state: &AppState,
    user: i64,
    changed: Option<PresenceStatus>,
    tx: &mpsc::Sender<Utf8Bytes>,
) -> AppResult<()> {
    let contacts = db::rooms::contacts_of(&state.db, user).await?;
    if let Some(status) = changed {
        state.hub.local_ephemeral(
            &contacts,
            &encode(&ServerMsg::Presence {
                user_id: user,
                status,
            }),
        );
    }
    for contact in contacts {
        let status = state.hub.presence(contact);
        if status != PresenceStatus::Offline {
            let _ = tx
                .send(encode(&ServerMsg::Presence {
                    user_id: contact,
                    status,
                }))
                .await;
        }
    }
    Ok(())
}
