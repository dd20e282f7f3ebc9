//! Refusals by the access rules become `authz_fail` entries in the audit
//! log: HTTP answers marked `AuthzRefusal` (every `Forbidden`, and the
//! `Refused` answers that read as not found) and websocket requests refused
//! the same way. Every change the programme team makes that succeeds
//! becomes an `authz_admin` entry. The path is recorded without its query
//! or secret tokens, and never a body.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::COOKIE;
use axum::middleware::Next;
use axum::response::Response;

use super::extract::authenticate;
use super::token;
use crate::app::{AppState, loggable_path};
use crate::db::audit::{self, Entry, Event};
use crate::error::AuthzRefusal;

/// Record one refusal of `user_id`; a failure to record is logged, never
/// turned into a different answer.
pub async fn record(state: &AppState, user_id: i64, what: &str) {
    let entry = Entry::by(Event::AuthzFail, user_id, None, what);
    if let Err(e) = audit::record(&state.db, entry).await {
        e.log_if_internal();
    }
}

/// Middleware on `/api`: after the handler, audit a marked refusal.
pub async fn audit_refusals(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| token::read_cookie(h, state.cookie_name))
        .map(str::to_owned);
    let what = format!("{} /api{}", req.method(), loggable_path(req.uri().path()));
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    let refused = res.extensions().get::<AuthzRefusal>().is_some();
    // Only refusals and writes that succeeded can need an entry; everything
    // else skips the session lookup.
    if !(refused || writes && res.status().is_success()) {
        return res;
    }
    let Some(token) = token else {
        return res;
    };
    let Ok(who) = authenticate(&state, &token).await else {
        return res;
    };
    if refused {
        record(&state, who.id, &what).await;
    } else if who.is_admin && !what.contains(" /api/moderation/") {
        // The programme team's changes (approvals, matches, co-ops, …):
        // which step, never its body. Moderation records its own, richer.
        let entry = Entry::by(Event::AuthzAdmin, who.id, None, &what);
        if let Err(e) = audit::record(&state.db, entry).await {
            e.log_if_internal();
        }
    }
    res
}
