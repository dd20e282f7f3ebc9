//! The personal data export: one JSON object of everything stored about
//! the caller. Only their own words: the messages and posts they wrote
//! (with their earlier versions), never other people's messages; shared
//! records (a mentorship's goals and notes, a concern's history) say
//! `by_you` instead of naming others, and no other person's email address
//! appears anywhere.

use chrono::{DateTime, Utc};
use shared::api::privacy::{
    EXPORT_FORMAT_VERSION, ExportAccount, ExportAuditEvent, ExportConcern, ExportConcernStep,
    ExportCoop, ExportCoopEvent, ExportCoopRecord, ExportExpertise, ExportGlossarySuggestion,
    ExportGoal, ExportHelpfulMark, ExportMentorProfile, ExportMentorship, ExportMentorshipEvent,
    ExportMessage, ExportMessageEdit, ExportModerationAction, ExportNotification,
    ExportOrganisation, ExportPost, ExportReport, ExportRoom, ExportSession, ExportSessionNote,
    ExportThreadRef, PersonalDataExport,
};

use crate::app::AppState;
use crate::auth::{AuthUser, device};
use crate::db;
use crate::db::privacy::Gathered;
use crate::error::AppResult;

/// The file name the export is offered as: `my-data-YYYY-MM-DD.json`.
pub fn file_name(at: DateTime<Utc>) -> String {
    format!("my-data-{}.json", at.format("%Y-%m-%d"))
}

/// Everything about `who`, now.
pub async fn export(state: &AppState, who: &AuthUser) -> AppResult<PersonalDataExport> {
    let g = db::privacy::gather(&state.db, who.id).await?;
    Ok(shape(g, Utc::now()))
}

fn shape(g: Gathered, now: DateTime<Utc>) -> PersonalDataExport {
    let me = g.user.id;
    let u = &g.user;
    let account = ExportAccount {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        created_at: u.created_at,
        read_receipts: u.read_receipts,
        is_admin: u.is_admin,
        two_factor_enabled: db::users::two_factor_enabled(u),
        suspended_at: u.suspended_at,
        suspended_until: u.suspended_until,
        suspension_reason: u.suspension_reason.clone(),
    };
    let sessions = g
        .sessions
        .iter()
        .map(|s| ExportSession {
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            device: device::describe(s.user_agent.as_deref()),
            user_agent: s.user_agent.clone(),
        })
        .collect();
    let organisations = g
        .staff
        .iter()
        .map(|(s, o)| ExportOrganisation {
            id: o.id,
            name: o.name.clone(),
            joined_at: s.joined_at,
            is_lead: s.is_lead,
            is_safeguarding_lead: o.safeguarding_lead_id == Some(me),
        })
        .collect();
    let coordinator_of = g
        .coordinator
        .iter()
        .map(|(c, coop)| ExportCoop {
            id: coop.id,
            name: coop.name.clone(),
            since: c.added_at,
        })
        .collect();
    let mentor_profile = g.mentor.as_ref().map(|m| ExportMentorProfile {
        bio: m.bio.clone(),
        activity_types: db::lists::decode(&m.activity_types),
        localities: db::lists::decode(&m.localities),
        remote: m.remote,
        in_person: m.in_person,
        capacity: m.capacity,
        lived_experience: m.lived_experience,
        status: m.status.clone(),
        decision_reason: m.decision_reason.clone(),
        created_at: m.created_at,
        decided_at: m.decided_at,
        expertise: g
            .expertise
            .iter()
            .map(|e| ExportExpertise {
                topic: e.topic.clone(),
                depth: e.depth.clone(),
            })
            .collect(),
    });
    let mentorships = g
        .mentorships
        .iter()
        .map(|m| ExportMentorship {
            id: m.id,
            organisation_id: m.organisation_id,
            organisation_name: g
                .organisations
                .get(&m.organisation_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            role: if m.mentor_id == me { "mentor" } else { "staff" }.to_owned(),
            status: m.status.clone(),
            created_at: m.created_at,
            room_id: m.room_id,
            mentor_reflection: m.mentor_reflection.clone(),
            organisation_reflection: m.organisation_reflection.clone(),
            goals: g
                .goals
                .iter()
                .filter(|x| x.mentorship_id == m.id)
                .map(|x| ExportGoal {
                    title: x.title.clone(),
                    status: x.status.clone(),
                    created_at: x.created_at,
                    updated_at: x.updated_at,
                    by_you: x.created_by == me,
                })
                .collect(),
            events: g
                .mentorship_events
                .iter()
                .filter(|x| x.mentorship_id == m.id)
                .map(|x| ExportMentorshipEvent {
                    at: x.at,
                    from_status: x.from_status.clone(),
                    to_status: x.to_status.clone(),
                    reason: x.reason.clone(),
                    by_you: x.actor_id == me,
                })
                .collect(),
            session_notes: g
                .notes
                .iter()
                .filter(|x| x.mentorship_id == m.id)
                .map(|x| ExportSessionNote {
                    session_date: x.session_date,
                    summary: x.summary.clone(),
                    next_steps: x.next_steps.clone(),
                    created_at: x.created_at,
                    by_you: x.author_id == me,
                })
                .collect(),
        })
        .collect();
    let rooms = g
        .rooms
        .iter()
        .map(|(m, r)| ExportRoom {
            id: r.id,
            kind: r.kind.clone(),
            title: r.title.clone(),
            joined_at: m.joined_at,
            muted: m.muted,
            last_read_seq: m.last_read_seq,
        })
        .collect();
    let messages = g
        .messages
        .iter()
        .map(|m| ExportMessage {
            id: m.id,
            room_id: m.room_id,
            seq: m.seq,
            created_at: m.created_at,
            body: m.body.clone(),
            edited_at: m.edited_at,
            deleted_at: m.deleted_at,
            hidden_reason: m.hidden_at.and(m.hidden_reason.clone()),
            edits: g
                .edits
                .iter()
                .filter(|e| e.message_id == m.id)
                .map(|e| ExportMessageEdit {
                    changed_at: e.changed_at,
                    kind: e.kind.clone(),
                    previous_body: e.previous_body.clone(),
                })
                .collect(),
        })
        .collect();
    let title_of = |thread_id: i64| {
        g.threads
            .get(&thread_id)
            .map(|t| t.title.clone())
            .unwrap_or_default()
    };
    let posts = g
        .posts
        .iter()
        .map(|p| ExportPost {
            id: p.id,
            thread_id: p.thread_id,
            thread_title: title_of(p.thread_id),
            opening: p.opening,
            body: p.body.clone(),
            created_at: p.created_at,
            edited_at: p.edited_at,
            deleted_at: p.deleted_at,
            hidden_reason: p.hidden_at.and(p.hidden_reason.clone()),
        })
        .collect();
    let followed_threads = g
        .followed
        .iter()
        .map(|f| ExportThreadRef {
            id: f.thread_id,
            title: title_of(f.thread_id),
        })
        .collect();
    let followed_topics = g.topics.iter().map(|t| t.topic.clone()).collect();
    let helpful_marks = g
        .helpful
        .iter()
        .map(|(m, thread_id)| ExportHelpfulMark {
            post_id: m.post_id,
            thread_id: *thread_id,
            created_at: m.created_at,
        })
        .collect();
    let notifications = g
        .notifications
        .iter()
        .map(|n| ExportNotification {
            id: n.id,
            kind: n.kind.clone(),
            created_at: n.created_at,
            read_at: n.read_at,
            text: n.text.clone(),
            room_id: n.room_id,
            message_id: n.message_id,
            thread_id: n.thread_id,
            post_id: n.post_id,
            mentorship_id: n.mentorship_id,
            organisation_id: n.organisation_id,
            coop_id: n.coop_id,
            concern_id: n.concern_id,
        })
        .collect();
    let concerns_raised = g
        .concerns
        .iter()
        .map(|c| ExportConcern {
            id: c.id,
            organisation_id: c.organisation_id,
            priority: c.priority.clone(),
            status: c.status.clone(),
            at_risk: c.at_risk.clone(),
            what_happened: c.what_happened.clone(),
            message_id: c.message_id,
            post_id: c.post_id,
            // A copy of someone else's message or post is theirs, not the raiser's.
            context_text: c
                .context_text
                .clone()
                .filter(|_| c.context_author_id == Some(me)),
            created_at: c.created_at,
            acknowledged_at: c.acknowledged_at,
            closed_at: c.closed_at,
            history: g
                .concern_history
                .iter()
                .filter(|h| h.concern_id == c.id)
                .map(|h| ExportConcernStep {
                    at: h.at,
                    action: h.action.clone(),
                    note: h.note.clone(),
                    by_you: h.actor_id == Some(me),
                })
                .collect(),
        })
        .collect();
    let reports_made = g
        .reports
        .iter()
        .map(|r| ExportReport {
            id: r.id,
            message_id: r.message_id,
            post_id: r.post_id,
            reason: r.reason.clone(),
            detail: r.detail.clone(),
            status: r.status.clone(),
            created_at: r.created_at,
            resolved_at: r.resolved_at,
        })
        .collect();
    let moderation_actions = g
        .moderation
        .iter()
        .map(|a| ExportModerationAction {
            at: a.at,
            action: a.action.clone(),
            reason: a.reason.clone(),
            message_id: a.message_id,
            post_id: a.post_id,
            until: a.until,
        })
        .collect();
    let glossary_suggestions = g
        .glossary
        .iter()
        .map(|t| ExportGlossarySuggestion {
            term: t.term.clone(),
            definition: t.definition.clone(),
            status: t.status.clone(),
            created_at: t.created_at,
        })
        .collect();
    let coop_records = g
        .coop_records
        .iter()
        .map(|r| ExportCoopRecord {
            coop_id: r.coop_id,
            kind: r.kind.clone(),
            text: r.text.clone(),
            status: r.status.clone(),
            created_at: r.created_at,
        })
        .collect();
    let coop_events = g
        .coop_events
        .iter()
        .map(|e| ExportCoopEvent {
            coop_id: e.coop_id,
            title: e.title.clone(),
            starts_at: e.starts_at,
            place: e.place.clone(),
            description: e.description.clone(),
            created_at: e.created_at,
        })
        .collect();
    let audit_events = g
        .audit
        .iter()
        .map(|a| ExportAuditEvent {
            at: a.at,
            event: a.event.clone(),
            ip: a.ip.clone(),
            by_you: a.actor_id == Some(me),
            about_you: a.subject_id == Some(me),
        })
        .collect();

    PersonalDataExport {
        format_version: EXPORT_FORMAT_VERSION,
        exported_at: now,
        account,
        sessions,
        organisations,
        coordinator_of,
        mentor_profile,
        mentorships,
        rooms,
        messages,
        posts,
        followed_threads,
        followed_topics,
        helpful_marks,
        notifications,
        concerns_raised,
        reports_made,
        moderation_actions,
        glossary_suggestions,
        coop_records,
        coop_events,
        audit_events,
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;
    use chrono::TimeZone;

    #[test]
    fn the_file_is_named_after_the_day() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 3, 7, 23, 59, 0)
            .single()
            .expect("a time");
        assert_eq!(file_name(at), "my-data-2026-03-07.json");
    }
}
