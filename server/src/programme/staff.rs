//! Staff joining and leaving an organisation, and the mentorship rooms that
//! follow them: a new staff member is in every open mentorship's room at
//! once (history included); someone who leaves is out of all of them at
//! once, unless they are that mentorship's mentor. Their co-ops' rooms
//! follow the same way (`coops::rooms`).

use crate::app::AppState;
use crate::coops;
use crate::db;
use crate::error::AppResult;
use crate::messaging;

pub async fn joined(state: &AppState, org_id: i64, user_id: i64) -> AppResult<()> {
    coops::rooms::staff_changed(state, org_id).await?;
    for room_id in db::mentorships::rooms_of_organisation(&state.db, org_id, true).await? {
        if !db::rooms::is_member(&state.db, room_id, user_id).await? {
            messaging::membership::add(state, room_id, user_id).await?;
        }
    }
    Ok(())
}

pub async fn left(state: &AppState, org_id: i64, user_id: i64) -> AppResult<()> {
    coops::rooms::staff_changed(state, org_id).await?;
    let own_rooms: Vec<i64> = db::mentorships::list(&state.db, None, None, Some(user_id))
        .await?
        .into_iter()
        .filter_map(|m| m.room_id)
        .collect();
    for room_id in db::mentorships::rooms_of_organisation(&state.db, org_id, false).await? {
        if !own_rooms.contains(&room_id) {
            messaging::membership::remove(state, room_id, user_id).await?;
        }
    }
    Ok(())
}
