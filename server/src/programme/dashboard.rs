//! The programme team's figures: counts, capacity, and stalled mentorships.
//! Metadata only: nothing here reads a message body or a note.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use shared::api::mentorships::OrganisationRef;
use shared::api::programme::{Dashboard, MentorLoad, StalledMentorship};
use shared::api::users::UserSummary;
use shared::limits::STALLED_AFTER_DAYS;
use shared::taxonomy::{ApprovalStatus, MentorshipStatus};

use super::mentorships::last_activity;
use crate::app::AppState;
use crate::db;
use crate::error::AppResult;

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

pub async fn build(state: &AppState) -> AppResult<Dashboard> {
    let db = &state.db;
    let orgs = db::organisations::list(db, ApprovalStatus::ALL).await?;
    let approved: Vec<i64> = orgs
        .iter()
        .filter(|o| db::organisations::status_of(o) == ApprovalStatus::Approved)
        .map(|o| o.id)
        .collect();
    let needs = db::organisations::needs_of(db, &approved).await?;
    let mentors = db::mentors::list(db, ApprovalStatus::ALL).await?;
    let approved_mentors: Vec<_> = mentors
        .iter()
        .filter(|m| db::mentors::status_of(m) == ApprovalStatus::Approved)
        .cloned()
        .collect();
    let views = db::mentors::views(db, &approved_mentors).await?;

    let all = db::mentorships::list(db, None, None, None).await?;
    // Waiting: approved, with needs, and no mentorship under way.
    let busy: std::collections::HashSet<i64> = all
        .iter()
        .filter(|m| db::mentorships::status_of(m).is_open())
        .map(|m| m.organisation_id)
        .collect();
    let waiting = approved
        .iter()
        .filter(|o| needs.contains_key(o) && !busy.contains(o))
        .count();
    let by = |s: MentorshipStatus| {
        count(
            all.iter()
                .filter(move |m| db::mentorships::status_of(m) == s),
        )
    };
    let matched: std::collections::HashSet<i64> = all
        .iter()
        .filter(|m| {
            matches!(
                db::mentorships::status_of(m),
                MentorshipStatus::Active | MentorshipStatus::Paused
            )
        })
        .map(|m| m.organisation_id)
        .collect();
    let match_rate = if approved.is_empty() {
        0.0
    } else {
        let rate =
            matched.iter().filter(|o| approved.contains(o)).count() as f64 / approved.len() as f64;
        (rate * 1000.0).round() / 1000.0
    };

    // Stalled: active, and quiet for the threshold.
    let active: Vec<_> = all
        .iter()
        .filter(|m| db::mentorships::status_of(m) == MentorshipStatus::Active)
        .collect();
    let rooms: Vec<i64> = active.iter().filter_map(|m| m.room_id).collect();
    let last_messages = db::mentorships::last_message_at(db, &rooms).await?;
    let now = Utc::now();
    let names: HashMap<i64, String> = views
        .iter()
        .map(|v| (v.user.id, v.user.display_name.clone()))
        .collect();
    let org_names: HashMap<i64, String> = orgs.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut stalled: Vec<StalledMentorship> = active
        .iter()
        .filter_map(|m| {
            let last = last_activity(m, &last_messages);
            let quiet = now - last;
            (quiet >= Duration::days(STALLED_AFTER_DAYS)).then(|| StalledMentorship {
                id: m.id,
                organisation: OrganisationRef {
                    id: m.organisation_id,
                    name: org_names
                        .get(&m.organisation_id)
                        .cloned()
                        .unwrap_or_default(),
                },
                mentor: UserSummary {
                    id: m.mentor_id,
                    display_name: names.get(&m.mentor_id).cloned().unwrap_or_default(),
                },
                last_activity_at: last,
                days_quiet: quiet.num_days(),
                last_nudged_at: m.last_nudged_at,
            })
        })
        .collect();
    stalled.sort_by(|a, b| b.days_quiet.cmp(&a.days_quiet).then(a.id.cmp(&b.id)));

    Ok(Dashboard {
        organisations_pending: count(
            orgs.iter()
                .filter(|o| db::organisations::status_of(o) == ApprovalStatus::Pending),
        ),
        organisations_approved: count(approved.iter()),
        organisations_waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
        mentors_pending: count(
            mentors
                .iter()
                .filter(|m| db::mentors::status_of(m) == ApprovalStatus::Pending),
        ),
        mentors_approved: count(views.iter()),
        match_rate,
        requested: by(MentorshipStatus::Requested),
        proposed: by(MentorshipStatus::Proposed),
        active: by(MentorshipStatus::Active),
        paused: by(MentorshipStatus::Paused),
        completed: by(MentorshipStatus::Completed),
        capacity_total: views.iter().map(|v| v.profile.capacity).sum(),
        capacity_used: views.iter().map(|v| v.load.min(v.profile.capacity)).sum(),
        mentor_load: views
            .iter()
            .map(|v| MentorLoad {
                mentor: v.user.clone(),
                load: v.load,
                capacity: v.profile.capacity,
            })
            .collect(),
        stalled,
        stalled_after_days: STALLED_AFTER_DAYS,
    })
}
