//! Feeding `domain::matching` from the database: an organisation's needs,
//! every approved mentor's profile and load, and the pairs already matched.

use std::collections::{HashMap, HashSet};

use shared::api::mentorships::OrganisationRef;
use shared::api::programme::{
    PlannedMatch, ProgrammePlan, Suggestion, SuggestionsResponse, Unmatched,
};
use shared::api::users::UserSummary;
use shared::taxonomy::{ApprovalStatus, MentorshipStatus};

use crate::app::AppState;
use crate::db;
use crate::db::entities::organisation;
use crate::domain::matching::{self, MentorInput, OrgInput, Scored};
use crate::error::AppResult;

/// Every approved mentor, as the matcher sees them.
pub async fn mentor_inputs(state: &AppState) -> AppResult<Vec<MentorInput>> {
    let models = db::mentors::list(&state.db, &[ApprovalStatus::Approved]).await?;
    let views = db::mentors::views(&state.db, &models).await?;
    Ok(views
        .into_iter()
        .map(|v| MentorInput {
            id: v.user.id,
            name: v.user.display_name,
            expertise: v
                .profile
                .expertise
                .iter()
                .map(|e| (e.topic, e.depth))
                .collect(),
            activity_types: v.profile.activity_types,
            localities: v.profile.localities,
            remote: v.profile.remote,
            in_person: v.profile.in_person,
            capacity: v.profile.capacity,
            load: v.load,
        })
        .collect())
}

pub async fn org_inputs(
    state: &AppState,
    orgs: &[organisation::Model],
) -> AppResult<Vec<OrgInput>> {
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let mut needs = db::organisations::needs_of(&state.db, &ids).await?;
    Ok(orgs
        .iter()
        .map(|o| OrgInput {
            id: o.id,
            name: o.name.clone(),
            locality: o.locality.clone(),
            activity_types: db::organisations::profile_of(o).activity_types,
            needs: needs
                .remove(&o.id)
                .unwrap_or_default()
                .into_iter()
                .map(|n| (n.topic, n.priority))
                .collect(),
        })
        .collect())
}

/// `(organisation, mentor)` pairs with a mentorship under way.
async fn open_pairs(state: &AppState) -> AppResult<HashSet<(i64, i64)>> {
    let open: Vec<MentorshipStatus> = MentorshipStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    Ok(db::mentorships::list(&state.db, Some(&open), None, None)
        .await?
        .into_iter()
        .map(|m| (m.organisation_id, m.mentor_id))
        .collect())
}

fn suggestion(s: Scored, names: &HashMap<i64, String>) -> Suggestion {
    Suggestion {
        mentor: UserSummary {
            id: s.mentor_id,
            display_name: names.get(&s.mentor_id).cloned().unwrap_or_default(),
        },
        score: s.score,
        factors: s.factors,
        covered_topics: s.covered,
    }
}

pub async fn suggestions(
    state: &AppState,
    org: &organisation::Model,
) -> AppResult<SuggestionsResponse> {
    let mentors = mentor_inputs(state).await?;
    let input = org_inputs(state, std::slice::from_ref(org))
        .await?
        .remove(0);
    let excluded: HashSet<i64> = open_pairs(state)
        .await?
        .into_iter()
        .filter(|(o, _)| *o == org.id)
        .map(|(_, m)| m)
        .collect();
    let names: HashMap<i64, String> = mentors.iter().map(|m| (m.id, m.name.clone())).collect();
    let full_mentors = mentors.iter().filter(|m| m.free_places() == 0).count();
    let ranked = matching::suggest(&input, &mentors, &excluded);
    Ok(SuggestionsResponse {
        organisation_id: org.id,
        suggestions: ranked.into_iter().map(|s| suggestion(s, &names)).collect(),
        full_mentors: u32::try_from(full_mentors).unwrap_or(u32::MAX),
    })
}

/// Approved organisations with no mentorship under way.
pub async fn waiting_organisations(state: &AppState) -> AppResult<Vec<organisation::Model>> {
    let busy: HashSet<i64> = open_pairs(state)
        .await?
        .into_iter()
        .map(|(o, _)| o)
        .collect();
    Ok(
        db::organisations::list(&state.db, &[ApprovalStatus::Approved])
            .await?
            .into_iter()
            .filter(|o| !busy.contains(&o.id))
            .collect(),
    )
}

pub async fn plan(state: &AppState) -> AppResult<ProgrammePlan> {
    let orgs = waiting_organisations(state).await?;
    let inputs = org_inputs(state, &orgs).await?;
    let mentors = mentor_inputs(state).await?;
    let names: HashMap<i64, String> = mentors.iter().map(|m| (m.id, m.name.clone())).collect();
    let org_ref = |id: i64| OrganisationRef {
        id,
        name: orgs
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
    };
    let planned = matching::plan(&inputs, &mentors, &open_pairs(state).await?);
    Ok(ProgrammePlan {
        matches: planned
            .matches
            .into_iter()
            .map(|p| {
                let s = suggestion(p.scored, &names);
                PlannedMatch {
                    organisation: org_ref(p.org_id),
                    mentor: s.mentor,
                    score: s.score,
                    rank: p.rank,
                    factors: s.factors,
                    explanation: p.explanation,
                }
            })
            .collect(),
        unmatched: planned
            .unmatched
            .into_iter()
            .map(|(id, reason)| Unmatched {
                organisation: org_ref(id),
                reason,
            })
            .collect(),
        total_score: planned.total_score,
    })
}
