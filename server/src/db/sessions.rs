//! Queries on sessions. Expiry is decided here, in one place.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::{session, user};
use crate::error::AppResult;

/// How often `last_seen_at` is written: often enough for idle expiry, rarely
/// enough that reads do not turn into writes.
const TOUCH_EVERY: Duration = Duration::minutes(1);

pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    token_hash: String,
    absolute: Duration,
    user_agent: Option<String>,
) -> AppResult<session::Model> {
    let now = Utc::now();
    let row = session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + absolute),
        user_agent: Set(user_agent),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// The live session with this token hash and its user; expired ones are deleted.
pub async fn find_live(
    db: &DatabaseConnection,
    token_hash: &str,
    idle: Duration,
) -> AppResult<Option<(session::Model, user::Model)>> {
    let Some(found) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if is_expired(&found, now, idle) {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    let Some(owner) = user::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    // Suspending ends sessions; this holds even if one was started in the race.
    if super::users::is_suspended(&owner, now) {
        return Ok(None);
    }
    if now - found.last_seen_at > TOUCH_EVERY {
        let mut active: session::ActiveModel = found.clone().into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some((found, owner)))
}

fn is_expired(s: &session::Model, now: DateTime<Utc>, idle: Duration) -> bool {
    now >= s.expires_at || now - s.last_seen_at >= idle
}

pub async fn delete(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    session::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// A person's sessions, newest first.
pub async fn list_for(db: &DatabaseConnection, user_id: i64) -> AppResult<Vec<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await?)
}

/// End every session of `user_id` except `keep`; how many ended.
pub async fn delete_all_for(
    db: &DatabaseConnection,
    user_id: i64,
    keep: Option<i64>,
) -> AppResult<u64> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    Ok(query.exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(now: DateTime<Utc>, last_seen_ago: i64, expires_in: i64) -> session::Model {
        session::Model {
            id: 1,
            user_id: 1,
            token_hash: String::new(),
            created_at: now,
            last_seen_at: now - Duration::minutes(last_seen_ago),
            expires_at: now + Duration::minutes(expires_in),
            user_agent: None,
        }
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let now = Utc::now();
        let idle = Duration::minutes(30);
        assert!(!is_expired(&at(now, 5, 60), now, idle));
        assert!(is_expired(&at(now, 31, 60), now, idle), "idle too long");
        assert!(
            is_expired(&at(now, 0, 0), now, idle),
            "past absolute expiry"
        );
    }
}
