//! A co-op's rooms follow its people: every coordinator and every staff
//! member of every member organisation is in every room (archived ones
//! too, for their history), and nobody else. `sync` makes it so after any
//! change, through `messaging::membership`, so joining shows the rooms with
//! their history at once and leaving closes them on every open socket at
//! once.

use shared::ws::{CoopPart, ServerMsg};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::room;
use crate::error::AppResult;
use crate::messaging;

/// Bring every room of the co-op in line with its people.
pub async fn sync(state: &AppState, coop_id: i64) -> AppResult<()> {
    let people = db::coops::people_of(&state.db, coop_id).await?;
    let rooms: Vec<i64> = db::coops::rooms_of(&state.db, coop_id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let current = db::rooms::members_of(&state.db, &rooms).await?;
    for room_id in rooms {
        let here = current.get(&room_id).cloned().unwrap_or_default();
        for &gone in here.iter().filter(|u| people.binary_search(u).is_err()) {
            messaging::membership::remove(state, room_id, gone).await?;
        }
        for &new in people.iter().filter(|u| !here.contains(u)) {
            messaging::membership::add(state, room_id, new).await?;
        }
    }
    Ok(())
}

/// Someone joined or left an organisation's staff: its co-ops' rooms follow.
pub async fn staff_changed(state: &AppState, org_id: i64) -> AppResult<()> {
    for coop_id in db::coops::coops_of_organisation(&state.db, org_id).await? {
        sync(state, coop_id).await?;
        super::changed(state, coop_id, CoopPart::Home, &[]).await?;
    }
    Ok(())
}

/// A new room with all of the co-op's people in it.
pub async fn create(
    state: &AppState,
    who: &AuthUser,
    coop_id: i64,
    title: &str,
) -> AppResult<room::Model> {
    let people = db::coops::people_of(&state.db, coop_id).await?;
    let created = db::coops::create_room(&state.db, coop_id, title, &people, who.id).await?;
    show(state, created.id, &people).await?;
    super::changed(state, coop_id, CoopPart::Home, &[]).await?;
    Ok(created)
}

/// Rename, archive or restore; every member's room list follows.
pub async fn update(
    state: &AppState,
    who: &AuthUser,
    r: &room::Model,
    title: Option<&str>,
    archived: Option<bool>,
) -> AppResult<room::Model> {
    let updated = db::coops::update_room(&state.db, r, title, archived, who.id).await?;
    if let Some(coop_id) = updated.coop_id {
        let people = db::rooms::members_of(&state.db, &[updated.id])
            .await?
            .remove(&updated.id)
            .unwrap_or_default();
        show(state, updated.id, &people).await?;
        super::changed(state, coop_id, CoopPart::Home, &[]).await?;
    }
    Ok(updated)
}

/// Each member's own summary of the room (their unread count), pushed live.
async fn show(state: &AppState, room_id: i64, people: &[i64]) -> AppResult<()> {
    for &user_id in people {
        let room = db::rooms::summary(&state.db, room_id, user_id).await?;
        state
            .hub
            .send_to_users(&[user_id], &ServerMsg::RoomAdded { room });
    }
    Ok(())
}
