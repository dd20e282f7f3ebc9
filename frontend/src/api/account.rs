//! One's own account: two-factor sign-in, erasing the account, and the
//! programme team's audit log. (The personal data export is a plain
//! same-origin download link: `EXPORT_PATH`.)

use shared::api::audit::{ListAudit, ListAuditResponse};
use shared::api::privacy::EraseAccount;
use shared::api::two_factor::{DisableTotp, EnableTotp, RecoveryCodes, TotpSetup};

use super::{ApiResult, Method, get, post, query, send, to_json};

/// `GET` answers the whole export as the download `my-data-YYYY-MM-DD.json`.
pub const EXPORT_PATH: &str = "/api/me/export";

// ---- two-factor sign-in ----

/// A new secret, pending until a code from it turns two-factor on.
pub async fn two_factor_setup() -> ApiResult<TotpSetup> {
    post("/api/me/two-factor/setup", &serde_json::json!({})).await
}

/// Turns it on; the recovery codes are answered this once.
pub async fn two_factor_enable(code: &str) -> ApiResult<RecoveryCodes> {
    let body = EnableTotp {
        code: code.to_owned(),
    };
    post("/api/me/two-factor/enable", &body).await
}

/// New recovery codes for a current code; the old ones stop working.
pub async fn new_recovery_codes(code: &str) -> ApiResult<RecoveryCodes> {
    let body = EnableTotp {
        code: code.to_owned(),
    };
    post("/api/me/two-factor/recovery-codes", &body).await
}

/// Answers 204. The programme team is refused (`forbidden`).
pub async fn two_factor_disable(password: &str, code: &str) -> ApiResult<()> {
    let body = DisableTotp {
        password: password.to_owned(),
        code: code.to_owned(),
    };
    send(
        Method::Post,
        "/api/me/two-factor/disable",
        Some(to_json(&body)?),
    )
    .await
    .map(|_| ())
}

// ---- erasure ----

/// `DELETE /api/me`: answers 204 and ends every session. A wrong password
/// is `invalid_credentials`; the last of the programme team gets `conflict`.
pub async fn erase_account(password: &str) -> ApiResult<()> {
    let body = EraseAccount {
        password: password.to_owned(),
    };
    send(Method::Delete, "/api/me", Some(to_json(&body)?))
        .await
        .map(|_| ())
}

// ---- the audit log ----

pub async fn list_audit(f: &ListAudit) -> ApiResult<ListAuditResponse> {
    let actor = f.actor_id.map(|id| id.to_string());
    let subject = f.subject_id.map(|id| id.to_string());
    let before = f.before_id.map(|id| id.to_string());
    let q = query(&[
        ("event", f.event.as_deref()),
        ("actor_id", actor.as_deref()),
        ("subject_id", subject.as_deref()),
        ("before_id", before.as_deref()),
    ]);
    get(&format!("/api/admin/audit{q}")).await
}
