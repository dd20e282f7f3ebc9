//! Refusals by the access rules become `authz_fail` entries in the audit
//! log: HTTP answers marked `AuthzRefusal` (every `Forbidden`, and the
//! `Refused` answers that read as not found) and websocket requests refused
//! the same way. Every change the programme team makes that succeeds
//! becomes an `authz_admin` entry. The path is recorded without its query
//! or secret tokens, and never a body.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::AuthUser;
use crate::app::{AppState, loggable_path};
use crate::db::audit::{self, Entry, Event};
use crate::error::AuthzRefusal;

/// Who the handler found behind the request, left by the `AuthUser`
/// extractor for this middleware, so it needs no second session lookup.
#[derive(Clone, Default)]
pub struct Caller(Arc<OnceLock<(i64, bool)>>);

impl Caller {
    /// Called by the extractor once the session is known.
    pub fn found(&self, who: &AuthUser) {
        let _ = self.0.set((who.id, who.is_admin));
    }
}

/// Record one refusal of `user_id`; a failure to record is logged, never
/// turned into a different answer.
pub async fn record(state: &AppState, user_id: i64, what: &str) {
    let entry = Entry::by(Event::AuthzFail, user_id, None, what);
    if let Err(e) = audit::record(&state.db, entry).await {
        e.log_if_internal();
    }
}

/// Middleware on `/api`: after the handler, audit a marked refusal, or a
/// change the programme team made.
pub async fn audit_refusals(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let caller = Caller::default();
    req.extensions_mut().insert(caller.clone());
    let what = format!("{} /api{}", req.method(), loggable_path(req.uri().path()));
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    let refused = res.extensions().get::<AuthzRefusal>().is_some();
    let Some(&(id, is_admin)) = caller.0.get() else {
        // Nobody signed in: nothing to attribute.
        return res;
    };
    if refused {
        record(&state, id, &what).await;
    } else if writes && res.status().is_success() && is_admin && !what.contains(" /api/moderation/")
    {
        // The programme team's changes (approvals, matches, co-ops, …):
        // which step, never its body. Moderation records its own, richer.
        let entry = Entry::by(Event::AuthzAdmin, id, None, &what);
        if let Err(e) = audit::record(&state.db, entry).await {
            e.log_if_internal();
        }
    }
    res
}
