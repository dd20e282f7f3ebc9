//! `users`: one row per account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub is_admin: bool,
    pub read_receipts: bool,
    pub created_at: ChronoDateTimeUtc,
    /// A suspended account cannot sign in until `suspended_until` (or ever,
    /// when None) unless a moderator lifts it.
    pub suspended_at: Option<ChronoDateTimeUtc>,
    pub suspended_until: Option<ChronoDateTimeUtc>,
    pub suspension_reason: Option<String>,
    /// Two-factor sign-in: the TOTP secret (base32), pending until
    /// `totp_enabled_at` is set by the first right code.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<ChronoDateTimeUtc>,
    /// The step of the last code accepted; only later steps are.
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
