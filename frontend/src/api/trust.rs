//! Trust and safety: safeguarding concerns, content reports and the
//! programme team's moderation, and one's own signed-in sessions.

use shared::api::auth::{ListSessionsResponse, SignedOut};
use shared::api::concerns::{
    AddConcernNote, ConcernId, ConcernStatus, ConcernView, ListConcernsResponse, RaiseConcern,
    SetConcernStatus,
};
use shared::api::moderation::{
    CreateReport, ListReportsResponse, ModerationReason, ModerationUserView, ReportCreated,
    ReportId, ReportStatus, ReportView, SuspendUser,
};
use shared::{MessageId, PostId, UserId};

use super::{ApiResult, Method, get, post, query, send, to_json};

// ---- safeguarding concerns ----

/// The concerns the caller raised and handles, and the organisations they
/// may raise one for.
pub async fn list_concerns(status: Option<ConcernStatus>) -> ApiResult<ListConcernsResponse> {
    let q = query(&[("status", status.map(ConcernStatus::slug))]);
    get(&format!("/api/concerns{q}")).await
}

pub async fn raise_concern(body: &RaiseConcern) -> ApiResult<ConcernView> {
    post("/api/concerns", body).await
}

/// `not_found` both when it does not exist and when the reader may not see it.
pub async fn concern(id: ConcernId) -> ApiResult<ConcernView> {
    get(&format!("/api/concerns/{id}")).await
}

/// `conflict` when the step is not allowed from the concern's state now.
pub async fn set_concern_status(id: ConcernId, body: &SetConcernStatus) -> ApiResult<ConcernView> {
    post(&format!("/api/concerns/{id}/status"), body).await
}

pub async fn add_concern_note(id: ConcernId, body: &AddConcernNote) -> ApiResult<ConcernView> {
    post(&format!("/api/concerns/{id}/notes"), body).await
}

// ---- reports and moderation ----

/// Answers 201 for a new report, 200 when this person had already reported it.
pub async fn create_report(body: &CreateReport) -> ApiResult<ReportCreated> {
    post("/api/reports", body).await
}

pub async fn list_reports(status: Option<ReportStatus>) -> ApiResult<ListReportsResponse> {
    let q = query(&[("status", status.map(ReportStatus::slug))]);
    get(&format!("/api/moderation/reports{q}")).await
}

pub async fn dismiss_report(id: ReportId, body: &ModerationReason) -> ApiResult<ReportView> {
    post(&format!("/api/moderation/reports/{id}/dismiss"), body).await
}

/// A write that answers 204.
async fn post_empty(path: &str, body: &impl serde::Serialize) -> ApiResult<()> {
    send(Method::Post, path, Some(to_json(body)?))
        .await
        .map(|_| ())
}

/// What a moderator can hide or restore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    Message(MessageId),
    Post(PostId),
}

impl Content {
    fn path(self) -> String {
        match self {
            Self::Message(id) => format!("/api/moderation/messages/{id}"),
            Self::Post(id) => format!("/api/moderation/posts/{id}"),
        }
    }
}

pub async fn hide(content: Content, body: &ModerationReason) -> ApiResult<()> {
    post_empty(&format!("{}/hide", content.path()), body).await
}

pub async fn restore(content: Content, body: &ModerationReason) -> ApiResult<()> {
    post_empty(&format!("{}/restore", content.path()), body).await
}

pub async fn warn_user(id: UserId, body: &ModerationReason) -> ApiResult<()> {
    post_empty(&format!("/api/moderation/users/{id}/warn"), body).await
}

pub async fn suspend_user(id: UserId, body: &SuspendUser) -> ApiResult<()> {
    post_empty(&format!("/api/moderation/users/{id}/suspend"), body).await
}

pub async fn unsuspend_user(id: UserId, body: &ModerationReason) -> ApiResult<()> {
    post_empty(&format!("/api/moderation/users/{id}/unsuspend"), body).await
}

pub async fn moderation_user(id: UserId) -> ApiResult<ModerationUserView> {
    get(&format!("/api/moderation/users/{id}")).await
}

// ---- one's own sessions ----

pub async fn my_sessions() -> ApiResult<ListSessionsResponse> {
    get("/api/me/sessions").await
}

/// Answers 204; that browser's socket is closed and it is signed out.
pub async fn end_session(id: i64) -> ApiResult<()> {
    send(Method::Delete, &format!("/api/me/sessions/{id}"), None)
        .await
        .map(|_| ())
}

pub async fn sign_out_others() -> ApiResult<SignedOut> {
    post("/api/me/sessions/sign-out-others", &serde_json::json!({})).await
}
