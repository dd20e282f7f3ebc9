//! The network picture: approved organisations and mentors, every co-op,
//! co-op membership (public, as in the directories) and mentorships (only
//! for the programme team, the mentor and the organisation's staff), with
//! the locality and topic filters.

use std::collections::{BTreeSet, HashSet};

use shared::api::network::{
    LinkKind, NetworkLink, NetworkNode, NetworkQuery, NetworkResponse, NodeKind, NodeRef,
};
use shared::taxonomy::{ApprovalStatus, MentorshipStatus, Topic};

use crate::auth::AuthUser;
use crate::db;
use crate::error::AppResult;
use sea_orm::DatabaseConnection;

pub async fn picture(
    db: &DatabaseConnection,
    who: &AuthUser,
    q: &NetworkQuery,
) -> AppResult<NetworkResponse> {
    let orgs = db::organisations::list(db, &[ApprovalStatus::Approved]).await?;
    let org_ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let mut needs = db::organisations::needs_of(db, &org_ids).await?;
    let mentors = db::mentors::list(db, &[ApprovalStatus::Approved]).await?;
    let mentor_ids: Vec<i64> = mentors.iter().map(|m| m.user_id).collect();
    let mut expertise = db::mentors::expertise_of(db, &mentor_ids).await?;
    let mentor_names = db::users::names_of(db, &mentor_ids).await?;
    let coops = db::coops::list(db).await?;

    let mut nodes: Vec<NetworkNode> = Vec::new();
    for o in &orgs {
        nodes.push(NetworkNode {
            kind: NodeKind::Organisation,
            id: o.id,
            name: o.name.clone(),
            locality: o.locality.clone(),
            topics: needs
                .remove(&o.id)
                .unwrap_or_default()
                .into_iter()
                .map(|n| n.topic)
                .collect(),
        });
    }
    let mut mentor_places: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for m in &mentors {
        let places: Vec<String> = db::lists::decode(&m.localities);
        nodes.push(NetworkNode {
            kind: NodeKind::Mentor,
            id: m.user_id,
            name: mentor_names.get(&m.user_id).cloned().unwrap_or_default(),
            locality: places.first().cloned().unwrap_or_else(|| "Remote".into()),
            topics: expertise
                .remove(&m.user_id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.topic)
                .collect(),
        });
        mentor_places.insert(m.user_id, places);
    }
    for c in &coops {
        nodes.push(NetworkNode {
            kind: NodeKind::Coop,
            id: c.id,
            name: c.name.clone(),
            locality: c.locality.clone(),
            topics: Vec::new(),
        });
    }

    let known: HashSet<NodeRef> = nodes.iter().map(key).collect();
    let mut links: Vec<NetworkLink> = Vec::new();
    for m in db::coops::all_members(db).await? {
        links.push(NetworkLink {
            kind: LinkKind::MemberOf,
            from: node(NodeKind::Organisation, m.organisation_id),
            to: node(NodeKind::Coop, m.coop_id),
        });
    }
    let mine: HashSet<i64> = db::organisations::of_user(db, who.id)
        .await?
        .into_iter()
        .map(|(o, _)| o.id)
        .collect();
    let live = [MentorshipStatus::Active, MentorshipStatus::Paused];
    for m in db::mentorships::list(db, Some(&live), None, None).await? {
        if who.is_admin || m.mentor_id == who.id || mine.contains(&m.organisation_id) {
            links.push(NetworkLink {
                kind: LinkKind::Mentors,
                from: node(NodeKind::Mentor, m.mentor_id),
                to: node(NodeKind::Organisation, m.organisation_id),
            });
        }
    }
    links.retain(|l| known.contains(&l.from) && known.contains(&l.to));

    let locality = q
        .locality
        .as_deref()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty());
    if locality.is_some() || q.topic.is_some() {
        let matches = |n: &NetworkNode| {
            let place_ok = locality.as_deref().is_none_or(|want| match n.kind {
                NodeKind::Mentor => mentor_places
                    .get(&n.id)
                    .is_some_and(|ps| ps.iter().any(|p| p.to_lowercase().contains(want))),
                _ => n.locality.to_lowercase().contains(want),
            });
            let topic_ok = q.topic.is_none_or(|t: Topic| n.topics.contains(&t));
            place_ok && topic_ok
        };
        let seeds: BTreeSet<NodeRef> = nodes.iter().filter(|n| matches(n)).map(key).collect();
        // The co-ops and mentors of the organisations that match come too.
        let mut kept = seeds.clone();
        for l in &links {
            for (a, b) in [(l.from, l.to), (l.to, l.from)] {
                if a.kind == NodeKind::Organisation && seeds.contains(&a) {
                    kept.insert(b);
                }
            }
        }
        nodes.retain(|n| kept.contains(&key(n)));
        links.retain(|l| kept.contains(&l.from) && kept.contains(&l.to));
    }
    nodes.sort_by_key(|n| (n.kind, n.id));
    links.sort_by_key(|l| (l.from, l.to));
    links.dedup();
    Ok(NetworkResponse { nodes, links })
}

fn node(kind: NodeKind, id: i64) -> NodeRef {
    NodeRef { kind, id }
}

fn key(n: &NetworkNode) -> NodeRef {
    node(n.kind, n.id)
}
