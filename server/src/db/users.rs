//! Queries on accounts.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::audit;
use super::entities::{recovery_code, user};
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

/// Suspended now: since `suspended_at`, until `suspended_until` (or for good
/// when that is None).
pub fn is_suspended(u: &user::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    u.suspended_at.is_some() && u.suspended_until.is_none_or(|until| now < until)
}

// ---- two-factor sign-in ----

/// Two-factor sign-in is on for `u` (a pending secret does not count).
pub fn two_factor_enabled(u: &user::Model) -> bool {
    u.totp_enabled_at.is_some() && u.totp_secret.is_some()
}

/// Keep `secret` as `id`'s pending TOTP secret (replacing any earlier
/// pending one). Refused once two-factor is on: turning it off comes first.
pub async fn set_pending_totp(db: &DatabaseConnection, id: i64, secret: &str) -> AppResult<()> {
    let set = user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(secret))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    if set == 1 {
        Ok(())
    } else {
        Err(two_factor_already_on())
    }
}

fn two_factor_already_on() -> AppError {
    AppError::conflict(
        "Two-factor sign-in is already on. Turn it off first to set up a new authenticator app.",
    )
}

/// Turn two-factor on with the pending `secret` that a code for `step` just
/// matched, and store `code_hashes` as the only recovery codes, with the
/// audit entry, in one transaction. Conditional on the pending secret being
/// the one checked, so a set-up started meanwhile cannot slip in.
pub async fn enable_totp(
    db: &DatabaseConnection,
    id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
    entry: audit::Entry<'_>,
) -> AppResult<()> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let set = user::Entity::update_many()
        .col_expr(user::Column::TotpEnabledAt, Expr::value(now))
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .filter(user::Column::TotpSecret.eq(secret))
        .exec(&txn)
        .await?
        .rows_affected;
    if set != 1 {
        return Err(AppError::conflict(
            "Two-factor sign-in changed in another window. Reload and start again.",
        ));
    }
    replace_recovery_codes_in(&txn, id, code_hashes, now).await?;
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Use up `step` for `id`: true when it is later than the last step used
/// (atomically, so two sign-ins racing with one code cannot both pass).
pub async fn use_totp_step(db: &DatabaseConnection, id: i64, step: i64) -> AppResult<bool> {
    let set = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(set == 1)
}

/// Make `code_hashes` `id`'s only recovery codes (the old ones stop working),
/// with the audit entry.
pub async fn replace_recovery_codes(
    db: &DatabaseConnection,
    id: i64,
    code_hashes: &[String],
    entry: audit::Entry<'_>,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    replace_recovery_codes_in(&txn, id, code_hashes, Utc::now()).await?;
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

async fn replace_recovery_codes_in<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    code_hashes: &[String],
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(id))
        .exec(conn)
        .await?;
    if code_hashes.is_empty() {
        return Ok(());
    }
    recovery_code::Entity::insert_many(code_hashes.iter().map(|hash| recovery_code::ActiveModel {
        user_id: Set(id),
        code_hash: Set(hash.clone()),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec(conn)
    .await?;
    Ok(())
}

/// Use up `id`'s unused recovery code with this hash: true if there was one.
pub async fn use_recovery_code(db: &DatabaseConnection, id: i64, hash: &str) -> AppResult<bool> {
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::UserId.eq(id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(used > 0)
}

/// How many of `id`'s recovery codes are still unused.
pub async fn unused_recovery_codes(db: &DatabaseConnection, id: i64) -> AppResult<u64> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// Turn two-factor off for `id`: the secret and every recovery code go,
/// with the audit entry.
pub async fn disable_totp(
    db: &DatabaseConnection,
    id: i64,
    entry: audit::Entry<'_>,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    replace_recovery_codes_in(&txn, id, &[], Utc::now()).await?;
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}
