//! Co-operatives' operations that span tables, rooms and live events:
//! membership (`membership.rs`), rooms following the co-op's people
//! (`rooms.rs`), decisions, actions and events (`log.rs`), the calendar
//! (`ics.rs`), what each caller is shown (`views.rs`) and the network
//! picture (`network.rs`). Routes check access first, then call here.

pub mod ics;
pub mod log;
pub mod membership;
pub mod network;
pub mod rooms;
pub mod views;

use shared::api::notifications::NotificationKind;
use shared::ws::{CoopPart, ServerMsg};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::notifications::Subject;
use crate::error::AppResult;
use crate::programme;

/// Tell the co-op's people, and `also` (those just removed, or waiting on a
/// request), that a part of its page changed.
pub async fn changed(
    state: &AppState,
    coop_id: i64,
    part: CoopPart,
    also: &[i64],
) -> AppResult<()> {
    let mut users = db::coops::people_of(&state.db, coop_id).await?;
    users.extend_from_slice(also);
    users.sort_unstable();
    users.dedup();
    state
        .hub
        .send_to_users(&users, &ServerMsg::CoopChanged { coop_id, part });
    Ok(())
}

/// A co-op notification from `who` to `users` (never to `who`), stored and live.
pub async fn notify(
    state: &AppState,
    who: &AuthUser,
    users: &[i64],
    coop_id: i64,
    text: &str,
) -> AppResult<()> {
    programme::notify(
        state,
        users,
        NotificationKind::Coop,
        who.id,
        &who.display_name,
        Subject::Coop(coop_id),
        text,
    )
    .await
}

/// The leads of an organisation (who decide invitations and may leave).
pub async fn leads_of(state: &AppState, org_id: i64) -> AppResult<Vec<i64>> {
    Ok(db::organisations::staff_of(&state.db, org_id)
        .await?
        .into_iter()
        .filter(|s| s.is_lead)
        .map(|s| s.user_id)
        .collect())
}
