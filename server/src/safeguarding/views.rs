//! What a concern's readers are shown: summaries for the lists, and the
//! whole concern with its context, handlers and history. Names are read in
//! batches, once per answer.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use shared::api::concerns::{
    ConcernContext, ConcernHistoryEntry, ConcernRole, ConcernSummary, ConcernView,
};
use shared::api::coops::OrgRef;
use shared::api::users::UserSummary;

use super::rules;
use crate::db;
use crate::db::entities::{concern, organisation};
use crate::domain::access;
use crate::error::AppResult;

/// Someone whose account is gone still appears, without a name.
fn person(names: &HashMap<i64, String>, id: i64) -> UserSummary {
    UserSummary {
        id,
        display_name: names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "A former member".into()),
    }
}

fn summary(
    c: &concern::Model,
    orgs: &HashMap<i64, organisation::Model>,
    names: &HashMap<i64, String>,
    now: DateTime<Utc>,
) -> ConcernSummary {
    let status = db::concerns::status_of(c);
    ConcernSummary {
        id: c.id,
        priority: db::concerns::priority_of(c),
        status,
        organisation: c
            .organisation_id
            .and_then(|id| orgs.get(&id))
            .map(|o| OrgRef {
                id: o.id,
                name: o.name.clone(),
            }),
        raised_by: person(names, c.raised_by),
        excerpt: db::notifications::excerpt(&c.what_happened),
        created_at: c.created_at,
        ack_due_at: c.ack_due_at,
        overdue: rules::overdue(status, c.ack_due_at, now),
    }
}

/// The concerns as list lines, in the list order.
pub async fn summaries(
    db: &DatabaseConnection,
    rows: &[concern::Model],
    now: DateTime<Utc>,
) -> AppResult<Vec<ConcernSummary>> {
    let org_ids: Vec<i64> = rows.iter().filter_map(|c| c.organisation_id).collect();
    let orgs = db::organisations::find_many(db, &org_ids).await?;
    let people: Vec<i64> = rows.iter().map(|c| c.raised_by).collect();
    let names = db::users::names_of(db, &people).await?;
    let mut out: Vec<ConcernSummary> = rows
        .iter()
        .map(|c| summary(c, &orgs, &names, now))
        .collect();
    out.sort_by(rules::list_order);
    Ok(out)
}

/// The whole concern, as a reader with `role` sees it.
pub async fn view(
    db: &DatabaseConnection,
    c: &concern::Model,
    role: ConcernRole,
) -> AppResult<ConcernView> {
    let history = db::concerns::history(db, c.id).await?;
    let handlers = access::concern_handlers(db, c.organisation_id).await?;
    let mut people: Vec<i64> = vec![c.raised_by];
    people.extend(c.context_author_id);
    people.extend(&handlers);
    people.extend(history.iter().filter_map(|h| h.actor_id));
    let names = db::users::names_of(db, &people).await?;
    let orgs = db::organisations::find_many(db, &Vec::from_iter(c.organisation_id)).await?;

    let context = match &c.context_text {
        None => None,
        Some(text) => {
            let room_id = match c.message_id {
                Some(id) => db::messages::find(db, id).await?.map(|m| m.room_id),
                None => None,
            };
            let thread_id = match c.post_id {
                Some(id) => db::threads::find_post(db, id).await?.map(|p| p.thread_id),
                None => None,
            };
            Some(ConcernContext {
                text: text.clone(),
                author: c.context_author_id.map(|id| person(&names, id)),
                room_id,
                message_id: c.message_id,
                thread_id,
                post_id: c.post_id,
            })
        }
    };
    Ok(ConcernView {
        summary: summary(c, &orgs, &names, Utc::now()),
        at_risk: c.at_risk.clone(),
        what_happened: c.what_happened.clone(),
        context,
        handlers: handlers.iter().map(|&id| person(&names, id)).collect(),
        acknowledged_at: c.acknowledged_at,
        closed_at: c.closed_at,
        history: history
            .into_iter()
            .map(|h| ConcernHistoryEntry {
                at: h.at,
                actor: h.actor_id.map(|id| person(&names, id)),
                action: h.action,
                note: h.note,
            })
            .collect(),
        role,
    })
}
