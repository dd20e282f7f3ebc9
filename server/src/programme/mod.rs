//! The mentoring programme's operations that span tables, rooms and live
//! events: a mentorship's steps (with its room and notifications), staff
//! joining and leaving (and their mentorship rooms), matching inputs, and
//! the dashboard. Routes check access first, then call here.

pub mod dashboard;
pub mod matching;
pub mod mentorships;
pub mod staff;

use shared::api::notifications::NotificationKind;
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::db;
use crate::db::notifications::Subject;
use crate::error::AppResult;

/// Tell `users` (never the actor) what `actor` did, in the list and live.
pub async fn notify(
    state: &AppState,
    users: &[i64],
    kind: NotificationKind,
    actor: i64,
    actor_name: &str,
    subject: Subject,
    text: &str,
) -> AppResult<()> {
    let mut users = users.to_vec();
    users.sort_unstable();
    users.dedup();
    let rows =
        db::notifications::create_programme(&state.db, &users, kind, actor, subject, text).await?;
    for n in &rows {
        let view = db::notifications::programme_view(n, actor_name);
        state
            .hub
            .send_to_users(&[n.user_id], &ServerMsg::Notification(view));
    }
    Ok(())
}

/// Everyone on the programme team.
pub async fn admins(state: &AppState) -> AppResult<Vec<i64>> {
    db::users::admin_ids(&state.db).await
}
