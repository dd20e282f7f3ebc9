//! What each caller is shown of a co-op: the home (members, coordinators,
//! rooms for its people, the requests they may see, history), requests,
//! decisions and actions with their source message, and events. Names are
//! read in batches, once per answer.

use std::collections::HashMap;

use chrono::Utc;
use shared::api::coops::{
    ActionStatus, CoopMember, CoopRequestView, CoopRoom, CoopView, EventView, HistoryEntry, OrgRef,
    Owner, OwnerView, RecordKind, RecordSource, RecordView, RecordsResponse,
};
use shared::api::users::UserSummary;

use crate::db;
use crate::db::entities::{coop_event, coop_record, coop_request, organisation};
use crate::domain::access::{self, CoopAccess};
use crate::error::AppResult;
use sea_orm::DatabaseConnection;

/// How many history entries the home shows.
const HISTORY_SHOWN: u64 = 50;

/// People's and organisations' names for one answer.
#[derive(Default)]
pub struct Names {
    people: HashMap<i64, String>,
    orgs: HashMap<i64, organisation::Model>,
}

impl Names {
    pub async fn load(db: &DatabaseConnection, people: &[i64], orgs: &[i64]) -> AppResult<Self> {
        Ok(Self {
            people: db::users::names_of(db, people).await?,
            orgs: db::organisations::find_many(db, orgs).await?,
        })
    }

    pub fn person(&self, id: i64) -> UserSummary {
        UserSummary {
            id,
            display_name: self.people.get(&id).cloned().unwrap_or_default(),
        }
    }

    pub fn org(&self, id: i64) -> OrgRef {
        OrgRef {
            id,
            name: self
                .orgs
                .get(&id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        }
    }

    fn locality(&self, id: i64) -> String {
        self.orgs
            .get(&id)
            .map(|o| o.locality.clone())
            .unwrap_or_default()
    }
}

pub fn request_view(
    r: &coop_request::Model,
    coop_name: &str,
    names: &Names,
    (may_decide, may_withdraw): (bool, bool),
) -> CoopRequestView {
    CoopRequestView {
        id: r.id,
        coop_id: r.coop_id,
        coop_name: coop_name.to_owned(),
        kind: db::coops::kind_of(r),
        status: db::coops::status_of(r),
        organisation: names.org(r.organisation_id),
        message: r.message.clone(),
        created_by: names.person(r.created_by),
        created_at: r.created_at,
        decided_by: r.decided_by.map(|id| names.person(id)),
        reason: r.reason.clone(),
        may_decide,
        may_withdraw,
    }
}

/// One request or invitation, for the caller whose part is given.
pub async fn one_request(
    db: &DatabaseConnection,
    r: &coop_request::Model,
    coop_name: &str,
    part: (bool, bool),
) -> AppResult<CoopRequestView> {
    let people: Vec<i64> = [Some(r.created_by), r.decided_by]
        .into_iter()
        .flatten()
        .collect();
    let names = Names::load(db, &people, &[r.organisation_id]).await?;
    Ok(request_view(r, coop_name, &names, part))
}

/// Pending requests and invitations `who` may see, across `coops` and for
/// `orgs`, with their part in each.
pub async fn pending_requests(
    db: &DatabaseConnection,
    who: &crate::auth::AuthUser,
    coops: &[i64],
    orgs: &[i64],
) -> AppResult<Vec<CoopRequestView>> {
    let found = db::coops::pending(db, coops, orgs).await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let coordinates = db::coops::coops_of_user(db, who.id).await?.coordinates;
    let mine = db::organisations::of_user(db, who.id).await?;
    let people: Vec<i64> = found.iter().map(|r| r.created_by).collect();
    let org_ids: Vec<i64> = found.iter().map(|r| r.organisation_id).collect();
    let names = Names::load(db, &people, &org_ids).await?;
    let coop_names: HashMap<i64, String> = db::coops::list(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(found
        .iter()
        .filter_map(|r| {
            let part = access::request_part(r, &coordinates, &mine, who.is_admin)?;
            let name = coop_names.get(&r.coop_id).map(String::as_str).unwrap_or("");
            Some(request_view(r, name, &names, part))
        })
        .collect())
}

/// The co-op home as `who` may see it.
pub async fn coop_view(
    db: &DatabaseConnection,
    who: &crate::auth::AuthUser,
    access: &CoopAccess,
) -> AppResult<CoopView> {
    let c = &access.coop;
    let coordinators = db::coops::coordinators_of(db, c.id).await?;
    let members = db::coops::members_of(db, c.id).await?;
    // The history holds reasons for declining and removing organisations:
    // it is for the co-op's people and the programme team, not the public.
    let history = if access.role.member || access.role.admin {
        db::coops::history(db, c.id, HISTORY_SHOWN).await?
    } else {
        Vec::new()
    };
    let mine: Vec<i64> = db::organisations::of_user(db, who.id)
        .await?
        .into_iter()
        .map(|(o, _)| o.id)
        .collect();
    // Coordinators and the programme team see every open request; others
    // those of their own organisations.
    let requests = if access.role.coordinator || access.role.admin {
        pending_requests(db, who, &[c.id], &[]).await?
    } else {
        pending_requests(db, who, &[], &mine)
            .await?
            .into_iter()
            .filter(|r| r.coop_id == c.id)
            .collect()
    };
    let mut people: Vec<i64> = coordinators.clone();
    people.extend(history.iter().map(|h| h.actor_id));
    people.extend(history.iter().filter_map(|h| h.person_id));
    let mut orgs: Vec<i64> = members.iter().map(|m| m.organisation_id).collect();
    orgs.extend(history.iter().filter_map(|h| h.organisation_id));
    let names = Names::load(db, &people, &orgs).await?;
    let rooms = if access.role.member {
        rooms_for(db, c.id, who.id).await?
    } else {
        Vec::new()
    };
    Ok(CoopView {
        id: c.id,
        name: c.name.clone(),
        locality: c.locality.clone(),
        purpose: c.purpose.clone(),
        created_at: c.created_at,
        coordinators: coordinators.iter().map(|&id| names.person(id)).collect(),
        members: members
            .iter()
            .map(|m| CoopMember {
                organisation: names.org(m.organisation_id),
                locality: names.locality(m.organisation_id),
                joined_at: m.joined_at,
            })
            .collect(),
        viewer: access.role.clone(),
        rooms,
        requests,
        history: history
            .iter()
            .map(|h| HistoryEntry {
                id: h.id,
                action: db::coops::action_of(h),
                actor: names.person(h.actor_id),
                organisation: h.organisation_id.map(|id| names.org(id)),
                person: h.person_id.map(|id| names.person(id)),
                detail: h.detail.clone(),
                at: h.at,
            })
            .collect(),
    })
}

/// The co-op's rooms with `viewer`'s unread counts; archived last.
async fn rooms_for(db: &DatabaseConnection, coop_id: i64, viewer: i64) -> AppResult<Vec<CoopRoom>> {
    let rooms = db::coops::rooms_of(db, coop_id).await?;
    let mut out = Vec::with_capacity(rooms.len());
    for r in rooms {
        out.push(room_view(db, r.id, viewer).await?);
    }
    out.sort_by_key(|r| r.archived);
    Ok(out)
}

pub async fn room_view(db: &DatabaseConnection, room_id: i64, viewer: i64) -> AppResult<CoopRoom> {
    let summary = db::rooms::summary(db, room_id, viewer).await?;
    Ok(CoopRoom {
        room_id,
        title: summary.title,
        archived: summary.archived,
        unread_count: summary.unread_count,
    })
}

/// Decisions and actions as `who` sees them.
pub async fn records(
    db: &DatabaseConnection,
    who: &crate::auth::AuthUser,
    access: &CoopAccess,
    rows: Vec<coop_record::Model>,
) -> AppResult<Vec<RecordView>> {
    let messages: Vec<i64> = rows.iter().filter_map(|r| r.message_id).collect();
    let mut sources = HashMap::new();
    for id in messages {
        if let Some(m) = db::messages::find(db, id).await? {
            sources.insert(id, m);
        }
    }
    let room_ids: Vec<i64> = sources.values().map(|m| m.room_id).collect();
    let titles = db::rooms::titles(db, &room_ids, who.id).await?;
    let mut people: Vec<i64> = rows.iter().map(|r| r.created_by).collect();
    people.extend(rows.iter().filter_map(|r| r.updated_by));
    people.extend(rows.iter().filter_map(|r| r.owner_user_id));
    people.extend(sources.values().map(|m| m.author_id));
    let orgs: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.owner_organisation_id)
        .collect();
    let names = Names::load(db, &people, &orgs).await?;
    let today = Utc::now().date_naive();
    Ok(rows
        .into_iter()
        .map(|r| {
            let kind = db::coop_log::record_kind_of(&r);
            let status = db::coop_log::status_of(&r);
            let source = r
                .message_id
                .and_then(|id| sources.get(&id))
                .map(|m| RecordSource {
                    message_id: m.id,
                    room_id: m.room_id,
                    seq: m.seq,
                    room_title: titles.get(&m.room_id).cloned().unwrap_or_default(),
                    author: names.person(m.author_id),
                    excerpt: if m.deleted_at.is_some() {
                        String::new()
                    } else {
                        db::notifications::excerpt(&m.body)
                    },
                });
            let owner = db::coop_log::owner_of(&r).map(|o| match o {
                Owner::Organisation { organisation_id } => OwnerView::Organisation {
                    organisation: names.org(organisation_id),
                },
                Owner::Person { user_id } => OwnerView::Person {
                    user: names.person(user_id),
                },
            });
            RecordView {
                id: r.id,
                coop_id: r.coop_id,
                kind,
                overdue: kind == RecordKind::Action
                    && status == ActionStatus::Open
                    && r.due_on.is_some_and(|d| d < today),
                text: r.text,
                source,
                owner,
                due_on: r.due_on,
                status,
                created_by: names.person(r.created_by),
                created_at: r.created_at,
                updated_by: r.updated_by.map(|id| names.person(id)),
                updated_at: r.updated_at,
                may_delete: r.created_by == who.id || access.role.coordinator,
            }
        })
        .collect())
}

/// The log split as the co-op page shows it.
pub fn split(all: Vec<RecordView>) -> RecordsResponse {
    let mut open_actions = Vec::new();
    let mut closed_actions = Vec::new();
    let mut decisions = Vec::new();
    for r in all {
        match (r.kind, r.status) {
            (RecordKind::Decision, _) => decisions.push(r),
            (RecordKind::Action, ActionStatus::Open) => open_actions.push(r),
            (RecordKind::Action, _) => closed_actions.push(r),
        }
    }
    // Soonest due first; undated last; then oldest first.
    open_actions.sort_by(|a, b| {
        (a.due_on.is_none(), a.due_on, a.id).cmp(&(b.due_on.is_none(), b.due_on, b.id))
    });
    closed_actions.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    decisions.sort_by_key(|d| std::cmp::Reverse(d.id));
    RecordsResponse {
        open_actions,
        closed_actions,
        decisions,
    }
}

pub async fn events(
    db: &DatabaseConnection,
    who: &crate::auth::AuthUser,
    access: &CoopAccess,
    rows: Vec<coop_event::Model>,
) -> AppResult<Vec<EventView>> {
    let people: Vec<i64> = rows.iter().map(|e| e.created_by).collect();
    let names = Names::load(db, &people, &[]).await?;
    Ok(rows
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            coop_id: e.coop_id,
            event: db::coop_log::event_of(&e),
            created_by: names.person(e.created_by),
            created_at: e.created_at,
            may_edit: e.created_by == who.id || access.role.coordinator,
        })
        .collect())
}
