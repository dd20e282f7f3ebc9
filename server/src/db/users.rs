//! Queries on accounts.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::user;
use crate::error::{AppError, AppResult};

pub struct NewUser<'a> {
    /// Already normalised (trimmed, lower-case).
    pub email: &'a str,
    pub password_hash: String,
    pub display_name: &'a str,
    pub is_admin: bool,
}

pub async fn create(db: &DatabaseConnection, new: NewUser<'_>) -> AppResult<user::Model> {
    let row = user::ActiveModel {
        email: Set(new.email.to_owned()),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name.to_owned()),
        is_admin: Set(new.is_admin),
        read_receipts: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    row.insert(db).await.map_err(|e| {
        if super::is_unique_violation(&e) {
            AppError::EmailTaken
        } else {
            e.into()
        }
    })
}

/// Change a person's own settings; `None` leaves a setting as it is.
pub async fn update_settings(
    db: &DatabaseConnection,
    id: i64,
    read_receipts: Option<bool>,
) -> AppResult<user::Model> {
    let found = find(db, id).await?.ok_or(AppError::NotFound)?;
    let mut active: user::ActiveModel = found.into();
    if let Some(on) = read_receipts {
        active.read_receipts = Set(on);
    }
    Ok(active.update(db).await?)
}

/// Make someone a member of the programme team, or not (`server admin`, tests, demo).
pub async fn set_admin(db: &DatabaseConnection, id: i64, admin: bool) -> AppResult<()> {
    let found = find(db, id).await?.ok_or(AppError::NotFound)?;
    let mut active: user::ActiveModel = found.into();
    active.is_admin = Set(admin);
    active.update(db).await?;
    Ok(())
}

/// Display names of `ids`.
pub async fn names_of(
    db: &DatabaseConnection,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(find_many(db, ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Everyone on the programme team.
pub async fn admin_ids(db: &DatabaseConnection) -> AppResult<Vec<i64>> {
    Ok(user::Entity::find()
        .filter(user::Column::IsAdmin.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_by_email(db: &DatabaseConnection, email: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

pub async fn find_many<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<user::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// People whose display name contains `q` (case-insensitive), caller excluded.
pub async fn search(
    db: &DatabaseConnection,
    q: &str,
    exclude: i64,
    limit: u64,
) -> AppResult<Vec<user::Model>> {
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let pattern = LikeExpr::new(format!("%{escaped}%")).escape('\\');
    Ok(user::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(user::Column::DisplayName))).like(pattern))
        .filter(user::Column::Id.ne(exclude))
        .order_by_asc(user::Column::DisplayName)
        .limit(limit)
        .all(db)
        .await?)
}
