//! The mentoring programme through the real API on both databases:
//! organisations and their approval, staff invitations, mentor applications,
//! suggestions and the whole-programme plan, the mentorship lifecycle with
//! its private room, goals and notes, the dashboard, and refusals for every
//! role that should be refused.

use reqwest::{Method, StatusCode};
use shared::api::mentors::ListMentorsResponse;
use shared::api::mentorships::{
    CreateGoal, CreateMentorship, CreateSessionNote, GoalView, ListGoalsResponse,
    ListSessionNotesResponse, MentorshipView, UpdateGoal,
};
use shared::api::notifications::NotificationKind;
use shared::api::organisations::{
    Decide, InvitePreview, ListOrganisationsResponse, OrganisationView, UpdateStaff,
};
use shared::api::programme::{Dashboard, Factor, MyProgramme, ProgrammePlan, SuggestionsResponse};
use shared::api::rooms::{ListMessagesResponse, ListRoomsResponse, RoomKind};
use shared::taxonomy::{
    ApprovalStatus, Depth, GoalStatus, LifecycleAction, MentorshipStatus, Priority, Topic,
};
use shared::ws::ServerMsg;

use crate::both;
use crate::harness::programme::mentor_profile;
use crate::harness::{Backend, TestApp, TestUser, error, json};

both!(
    organisations_wait_for_approval_and_only_leads_edit_them,
    invitation_links_work_once_and_staff_follow_into_mentorship_rooms,
    mentor_applications_are_private_until_approved,
    suggestions_rank_mentors_with_reasons_and_the_plan_respects_places,
    a_mentorship_from_proposal_to_completion,
    requests_from_a_lead_wait_for_the_programme_team,
    goals_and_notes_are_for_members_only,
    the_dashboard_counts_and_finds_stalled_mentorships,
    strangers_are_refused_on_every_programme_route,
);

/// An approved organisation with needs, its lead, an approved mentor who
/// covers them, and an admin.
struct World {
    admin: TestUser,
    lead: TestUser,
    mentor: TestUser,
    org: OrganisationView,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin("Asha Patel").await;
    let lead = app.user("Lowen Tremayne").await;
    let mentor = app.user("Ruth Mensah").await;
    let org = app
        .organisation(
            &lead,
            "Harbour Arts",
            "Plymouth",
            &[
                (Topic::Safeguarding, Priority::High),
                (Topic::FundingAndSustainability, Priority::Low),
            ],
        )
        .await;
    let org = app.approve_organisation(&admin, org.id).await;
    app.apply_to_mentor(
        &mentor,
        &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
    )
    .await;
    app.approve_mentor(&admin, mentor.id).await;
    World {
        admin,
        lead,
        mentor,
        org,
    }
}

/// A mentorship the mentor has accepted, with its room.
async fn active(app: &TestApp, w: &World) -> MentorshipView {
    let proposed = app.propose(&w.admin, w.org.id, w.mentor.id).await;
    json(
        app.step(&w.mentor, proposed.id, LifecycleAction::Accept, None)
            .await,
        StatusCode::OK,
    )
    .await
}

async fn organisations_wait_for_approval_and_only_leads_edit_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Asha Patel").await;
    let lead = app.user("Lowen Tremayne").await;
    let stranger = app.user("Sam Stranger").await;

    // Bad input names its field.
    let mut nameless = crate::harness::programme::profile(" ", "Plymouth");
    let e = error(
        app.post("/api/organisations", Some(&lead), &nameless).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("name"));
    nameless.name = "x".repeat(121);
    error(
        app.post("/api/organisations", Some(&lead), &nameless).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    error(
        app.request(Method::POST, "/api/organisations", Some(&lead))
            .header("content-type", "application/json")
            .body(r#"{"name":"X","locality":"Y","size":"gigantic"}"#)
            .send()
            .await
            .expect("post"),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    let org = app
        .organisation(
            &lead,
            "Harbour Arts",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    assert_eq!(org.status, ApprovalStatus::Pending);
    assert!(org.viewer.is_lead && org.viewer.is_staff);
    assert_eq!(org.staff.len(), 1);
    assert_eq!(org.needs[0].topic, Topic::Safeguarding);
    let path = format!("/api/organisations/{}", org.id);

    // Pending: invisible to others, listed for admins only.
    error(
        app.get(&path, Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let listed: ListOrganisationsResponse = json(
        app.get("/api/organisations", Some(&stranger)).await,
        StatusCode::OK,
    )
    .await;
    assert!(listed.organisations.is_empty());
    error(
        app.get("/api/organisations?status=pending", Some(&stranger))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let pending: ListOrganisationsResponse = json(
        app.get("/api/organisations?status=pending", Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending.organisations.len(), 1);

    // Only the programme team decides; a decline needs a reason.
    let decide = format!("{path}/decision");
    error(
        app.post(
            &decide,
            Some(&lead),
            &Decide {
                approve: true,
                reason: None,
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.post(
            &decide,
            Some(&stranger),
            &Decide {
                approve: true,
                reason: None,
            },
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let e = error(
        app.post(
            &decide,
            Some(&admin),
            &Decide {
                approve: false,
                reason: None,
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    app.approve_organisation(&admin, org.id).await;

    // The lead hears of it.
    let notes: shared::api::notifications::ListNotificationsResponse = json(
        app.get("/api/notifications", Some(&lead)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        notes
            .notifications
            .iter()
            .any(|n| n.kind == NotificationKind::Decision
                && n.organisation_id == Some(org.id)
                && n.excerpt.contains("approved Harbour Arts")),
        "{notes:?}"
    );

    // Approved: in the directory, filterable; still only leads edit.
    let seen: OrganisationView = json(app.get(&path, Some(&stranger)).await, StatusCode::OK).await;
    assert!(!seen.viewer.is_staff && !seen.viewer.is_lead);
    for (query, expected) in [
        ("?topic=safeguarding", 1),
        ("?topic=funding-and-sustainability", 0),
        ("?locality=plymouth", 1),
        ("?locality=Bristol", 0),
        ("?activity_type=arts", 1),
        ("?activity_type=sport-and-movement", 0),
    ] {
        let found: ListOrganisationsResponse = json(
            app.get(&format!("/api/organisations{query}"), Some(&stranger))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(found.organisations.len(), expected, "{query}");
    }
    let edit = crate::harness::programme::profile("Harbour Arts CIC", "Plymouth");
    error(
        app.put(&path, Some(&stranger), &edit).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let edited: OrganisationView =
        json(app.put(&path, Some(&lead), &edit).await, StatusCode::OK).await;
    assert_eq!(edited.profile.name, "Harbour Arts CIC");

    // The last lead cannot step down or leave.
    error(
        app.put(
            &format!("{path}/staff/{}", lead.id),
            Some(&lead),
            &UpdateStaff { is_lead: false },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    error(
        app.post(
            &format!("{path}/staff/{}/remove", lead.id),
            Some(&lead),
            &(),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

async fn invitation_links_work_once_and_staff_follow_into_mentorship_rooms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let kit = app.user("Kit Colenso").await;
    let jo = app.user("Jo Penrose").await;

    // Only leads make links.
    error(
        app.post(
            &format!("/api/organisations/{}/invites", w.org.id),
            Some(&kit),
            &(),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mentorship = active(&app, &w).await;
    let room = mentorship.room_id.expect("accepting opens the room");

    let invite = app.invite(&w.lead, w.org.id).await;
    assert_eq!(invite.path, format!("/join/{}", invite.token));
    let preview: InvitePreview = json(
        app.get(&format!("/api/invites/{}", invite.token), Some(&kit))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preview.organisation_name, "Harbour Arts");
    assert_eq!(preview.invited_by.id, w.lead.id);

    // Joining puts Kit into the open mentorship's room at once, history included.
    let mut kit_ws = app.ws(&kit).await;
    let joined: OrganisationView = json(
        app.post(
            &format!("/api/invites/{}/accept", invite.token),
            Some(&kit),
            &(),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(joined.viewer.is_staff && !joined.viewer.is_lead);
    match kit_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomAdded { .. }))
        .await
    {
        ServerMsg::RoomAdded { room: summary } => {
            assert_eq!(summary.id, room);
            assert_eq!(summary.kind, RoomKind::Mentorship);
            assert_eq!(summary.title, "Harbour Arts · Ruth Mensah");
        }
        other => panic!("{other:?}"),
    }

    // The link is single use.
    error(
        app.post(
            &format!("/api/invites/{}/accept", invite.token),
            Some(&jo),
            &(),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        app.get(&format!("/api/invites/{}", invite.token), Some(&jo))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        app.get("/api/invites/not-a-real-token", Some(&jo)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The mentor and the new staff member talk in the room.
    let mut mentor_ws = app.ws(&w.mentor).await;
    kit_ws.send_text(room, "k1", "Hello from Kit").await;
    match mentor_ws
        .next_matching(|m| matches!(m, ServerMsg::Message(_)))
        .await
    {
        ServerMsg::Message(m) => assert_eq!(m.body, "Hello from Kit"),
        other => panic!("{other:?}"),
    }

    // Someone removed from the staff is out of the room at once.
    let res = app
        .post(
            &format!("/api/organisations/{}/staff/{}/remove", w.org.id, kit.id),
            Some(&w.lead),
            &(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    kit_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room))
        .await;
    error(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&kit))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        app.get(&format!("/api/mentorships/{}", mentorship.id), Some(&kit))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn mentor_applications_are_private_until_approved(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Asha Patel").await;
    let ruth = app.user("Ruth Mensah").await;
    let other = app.user("Sam Stranger").await;

    error(
        app.get("/api/mentors/me", Some(&ruth)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mut bad = mentor_profile(&[], "Plymouth", 2);
    let e = error(
        app.put("/api/mentors/me", Some(&ruth), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("expertise"));
    bad = mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 0);
    let e = error(
        app.put("/api/mentors/me", Some(&ruth), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("capacity"));

    let applied = app
        .apply_to_mentor(
            &ruth,
            &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
        )
        .await;
    assert_eq!(applied.status, ApprovalStatus::Pending);
    let path = format!("/api/mentors/{}", ruth.id);
    error(
        app.get(&path, Some(&other)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let listed: ListMentorsResponse =
        json(app.get("/api/mentors", Some(&other)).await, StatusCode::OK).await;
    assert!(listed.mentors.is_empty());
    error(
        app.post(
            &format!("{path}/decision"),
            Some(&ruth),
            &Decide {
                approve: true,
                reason: None,
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Declined with a reason, edited, back in the queue, approved.
    let declined: shared::api::mentors::MentorView = json(
        app.post(
            &format!("{path}/decision"),
            Some(&admin),
            &Decide {
                approve: false,
                reason: Some("Please add your localities.".into()),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined.status, ApprovalStatus::Declined);
    assert_eq!(
        declined.decision_reason.as_deref(),
        Some("Please add your localities.")
    );
    let again = app
        .apply_to_mentor(
            &ruth,
            &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
        )
        .await;
    assert_eq!(again.status, ApprovalStatus::Pending);
    app.approve_mentor(&admin, ruth.id).await;

    let listed: ListMentorsResponse = json(
        app.get(
            "/api/mentors?topic=safeguarding&locality=Bristol",
            Some(&other),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed.mentors.len(), 1, "remote mentors serve anywhere");
    let listed: ListMentorsResponse = json(
        app.get("/api/mentors?topic=evaluation-and-outcomes", Some(&other))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(listed.mentors.is_empty());
}

async fn suggestions_rank_mentors_with_reasons_and_the_plan_respects_places(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    // A second mentor who is remote and knows less; a second organisation.
    let fundraiser = app.user("Femi Adeyemi").await;
    let mut p = mentor_profile(
        &[(Topic::FundingAndSustainability, Depth::Expert)],
        "Bristol",
        1,
    );
    p.in_person = false;
    p.localities.clear();
    app.apply_to_mentor(&fundraiser, &p).await;
    app.approve_mentor(&w.admin, fundraiser.id).await;
    let other_lead = app.user("Morwenna Hicks").await;
    let moor = app
        .organisation(
            &other_lead,
            "Moor Walkers",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    app.approve_organisation(&w.admin, moor.id).await;

    let path = format!("/api/organisations/{}/suggestions", w.org.id);
    let s: SuggestionsResponse = json(app.get(&path, Some(&w.lead)).await, StatusCode::OK).await;
    let names: Vec<&str> = s
        .suggestions
        .iter()
        .map(|x| x.mentor.display_name.as_str())
        .collect();
    assert_eq!(names, ["Ruth Mensah", "Femi Adeyemi"]);
    let top = &s.suggestions[0];
    let why = |f: Factor| {
        top.factors
            .iter()
            .find(|x| x.factor == f)
            .map(|x| x.explanation.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        why(Factor::Topics),
        "covers 1 of 2 needed topics: Safeguarding (expert); not Funding and sustainability"
    );
    assert_eq!(why(Factor::Place), "same locality: Plymouth");
    assert_eq!(why(Factor::Capacity), "2 of 2 places free");
    assert!(top.score > s.suggestions[1].score);

    // Staff and admins may look; others may not.
    let stranger = app.user("Sam Stranger").await;
    error(
        app.get(&path, Some(&stranger)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    json::<SuggestionsResponse>(app.get(&path, Some(&w.admin)).await, StatusCode::OK).await;

    // The plan: Ruth (two places) can take both; nobody is over capacity.
    error(
        app.get("/api/programme/plan", Some(&w.lead)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let plan: ProgrammePlan = json(
        app.get("/api/programme/plan", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plan.matches.len(), 2, "{plan:?}");
    assert!(
        plan.matches
            .iter()
            .all(|m| m.rank == 1 && m.mentor.id == w.mentor.id)
    );
    assert!(
        plan.matches
            .iter()
            .all(|m| m.explanation.starts_with("Top suggestion"))
    );

    // Fill one of Ruth's places: the plan gives her to one organisation only
    // and offers the other its next best.
    app.propose(&w.admin, moor.id, w.mentor.id).await;
    let plan: ProgrammePlan = json(
        app.get("/api/programme/plan", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        plan.matches.len(),
        1,
        "Moor Walkers is no longer waiting: {plan:?}"
    );
    assert_eq!(plan.matches[0].organisation.id, w.org.id);
    assert_eq!(plan.matches[0].mentor.id, w.mentor.id);
    app.propose(&w.admin, w.org.id, w.mentor.id).await;
    // Ruth is now full: a third proposal is refused, and she is not suggested.
    let third_lead = app.user("Tamsin Rowe").await;
    let third = app
        .organisation(
            &third_lead,
            "Dock Library",
            "Plymouth",
            &[(Topic::Safeguarding, Priority::High)],
        )
        .await;
    app.approve_organisation(&w.admin, third.id).await;
    error(
        app.post(
            "/api/mentorships",
            Some(&w.admin),
            &CreateMentorship {
                organisation_id: third.id,
                mentor_id: w.mentor.id,
                note: None,
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let s: SuggestionsResponse = json(
        app.get(
            &format!("/api/organisations/{}/suggestions", third.id),
            Some(&w.admin),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(s.suggestions.iter().all(|x| x.mentor.id != w.mentor.id));
    assert_eq!(s.full_mentors, 1);
    let plan: ProgrammePlan = json(
        app.get("/api/programme/plan", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plan.matches.len(), 0);
    assert_eq!(plan.unmatched.len(), 1);
    assert_eq!(plan.unmatched[0].organisation.id, third.id);
}

async fn a_mentorship_from_proposal_to_completion(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let mut mentor_ws = app.ws(&w.mentor).await;
    let mut lead_ws = app.ws(&w.lead).await;

    let proposed = app.propose(&w.admin, w.org.id, w.mentor.id).await;
    assert_eq!(proposed.status, MentorshipStatus::Proposed);
    assert_eq!(proposed.room_id, None);
    // The mentor hears of it live.
    match mentor_ws
        .next_matching(|m| matches!(m, ServerMsg::Notification(_)))
        .await
    {
        ServerMsg::Notification(n) => {
            assert_eq!(n.kind, NotificationKind::Mentorship);
            assert_eq!(n.mentorship_id, Some(proposed.id));
            assert_eq!(
                n.excerpt,
                "Asha Patel proposed Ruth Mensah as mentor for Harbour Arts."
            );
        }
        other => panic!("{other:?}"),
    }
    // A second open mentorship between the same two is refused.
    error(
        app.post(
            "/api/mentorships",
            Some(&w.admin),
            &CreateMentorship {
                organisation_id: w.org.id,
                mentor_id: w.mentor.id,
                note: None,
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let mine: MentorshipView = json(
        app.get(
            &format!("/api/mentorships/{}", proposed.id),
            Some(&w.mentor),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        mine.actions,
        [LifecycleAction::Accept, LifecycleAction::Decline]
    );

    // Only the mentor accepts; a decline needs a reason; pausing is not possible yet.
    error(
        app.step(&w.lead, proposed.id, LifecycleAction::Accept, None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.step(&w.admin, proposed.id, LifecycleAction::Accept, None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let e = error(
        app.step(&w.mentor, proposed.id, LifecycleAction::Decline, None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    error(
        app.step(&w.mentor, proposed.id, LifecycleAction::Pause, None)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let accepted: MentorshipView = json(
        app.step(&w.mentor, proposed.id, LifecycleAction::Accept, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted.status, MentorshipStatus::Active);
    let room = accepted.room_id.expect("room");
    // Both sides are shown the new room; the staff member hears the news.
    for ws in [&mut mentor_ws, &mut lead_ws] {
        ws.next_matching(|m| matches!(m, ServerMsg::RoomAdded { room } if room.id == accepted.room_id.unwrap_or(0)))
            .await;
    }
    lead_ws
        .next_matching(|m| matches!(m, ServerMsg::Notification(n) if n.excerpt.contains("started the mentorship")))
        .await;
    let rooms: ListRoomsResponse =
        json(app.get("/api/rooms", Some(&w.lead)).await, StatusCode::OK).await;
    assert!(
        rooms
            .rooms
            .iter()
            .any(|r| r.id == room && r.kind == RoomKind::Mentorship)
    );

    // They talk; the admin cannot read the room.
    lead_ws
        .send_text(room, "l1", "Thank you for taking us on")
        .await;
    match mentor_ws
        .next_matching(|m| matches!(m, ServerMsg::Message(_)))
        .await
    {
        ServerMsg::Message(m) => assert_eq!(m.body, "Thank you for taking us on"),
        other => panic!("{other:?}"),
    }
    error(
        app.get(&format!("/api/rooms/{room}/messages"), Some(&w.admin))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let admin_view: MentorshipView = json(
        app.get(&format!("/api/mentorships/{}", proposed.id), Some(&w.admin))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(admin_view.room_id, None, "admins see metadata only");
    assert!(!admin_view.viewer_is_member);

    // Pause, resume, complete; the record keeps who and when.
    json::<MentorshipView>(
        app.step(&w.lead, proposed.id, LifecycleAction::Pause, None)
            .await,
        StatusCode::OK,
    )
    .await;
    error(
        app.step(&w.lead, proposed.id, LifecycleAction::Pause, None)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    json::<MentorshipView>(
        app.step(&w.mentor, proposed.id, LifecycleAction::Resume, None)
            .await,
        StatusCode::OK,
    )
    .await;
    // Reflections wait for completion.
    error(
        app.put(
            &format!("/api/mentorships/{}/reflection", proposed.id),
            Some(&w.mentor),
            &shared::api::mentorships::SaveReflection {
                text: "Too soon".into(),
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let done: MentorshipView = json(
        app.step(&w.mentor, proposed.id, LifecycleAction::Complete, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done.status, MentorshipStatus::Completed);
    assert!(done.actions.is_empty());
    let steps: Vec<(Option<MentorshipStatus>, MentorshipStatus, &str)> = done
        .history
        .iter()
        .map(|h| (h.from, h.to, h.actor.display_name.as_str()))
        .collect();
    use MentorshipStatus as S;
    assert_eq!(
        steps,
        [
            (None, S::Proposed, "Asha Patel"),
            (Some(S::Proposed), S::Active, "Ruth Mensah"),
            (Some(S::Active), S::Paused, "Lowen Tremayne"),
            (Some(S::Paused), S::Active, "Ruth Mensah"),
            (Some(S::Active), S::Completed, "Ruth Mensah"),
        ]
    );
    for (who, text) in [
        (&w.mentor, "They grew in confidence."),
        (&w.lead, "We have a policy now."),
    ] {
        json::<MentorshipView>(
            app.put(
                &format!("/api/mentorships/{}/reflection", proposed.id),
                Some(who),
                &shared::api::mentorships::SaveReflection { text: text.into() },
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let closed: MentorshipView = json(
        app.get(&format!("/api/mentorships/{}", proposed.id), Some(&w.lead))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        closed.mentor_reflection.as_deref(),
        Some("They grew in confidence.")
    );
    assert_eq!(
        closed.organisation_reflection.as_deref(),
        Some("We have a policy now.")
    );
    error(
        app.step(&w.admin, proposed.id, LifecycleAction::Resume, None)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // A new mentorship between them is possible once the old one is over.
    app.propose(&w.admin, w.org.id, w.mentor.id).await;
}

async fn requests_from_a_lead_wait_for_the_programme_team(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let staff = app.user("Kit Colenso").await;
    let invite = app.invite(&w.lead, w.org.id).await;
    json::<OrganisationView>(
        app.post(
            &format!("/api/invites/{}/accept", invite.token),
            Some(&staff),
            &(),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let ask = CreateMentorship {
        organisation_id: w.org.id,
        mentor_id: w.mentor.id,
        note: Some("Ruth ran the safeguarding course we went on.".into()),
    };
    error(
        app.post("/api/mentorships", Some(&staff), &ask).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let requested: MentorshipView = json(
        app.post("/api/mentorships", Some(&w.lead), &ask).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(requested.status, MentorshipStatus::Requested);
    assert!(requested.actions.contains(&LifecycleAction::Withdraw));
    // Nobody but the programme team may approve it; the mentor has no step yet.
    let for_mentor: MentorshipView = json(
        app.get(
            &format!("/api/mentorships/{}", requested.id),
            Some(&w.mentor),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(for_mentor.actions.is_empty());
    error(
        app.step(&w.lead, requested.id, LifecycleAction::Approve, None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.step(&w.mentor, requested.id, LifecycleAction::Accept, None)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let admin_sees: shared::api::notifications::ListNotificationsResponse = json(
        app.get("/api/notifications", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        admin_sees
            .notifications
            .iter()
            .any(|n| n.mentorship_id == Some(requested.id)
                && n.excerpt == "Lowen Tremayne asked for Ruth Mensah as mentor for Harbour Arts.")
    );

    let mut mentor_ws = app.ws(&w.mentor).await;
    let approved: MentorshipView = json(
        app.step(&w.admin, requested.id, LifecycleAction::Approve, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved.status, MentorshipStatus::Proposed);
    mentor_ws
        .next_matching(
            |m| matches!(m, ServerMsg::Notification(n) if n.mentorship_id == Some(requested.id)),
        )
        .await;
    // The mentor declines, with a reason the organisation reads in the record.
    let declined: MentorshipView = json(
        app.step(
            &w.mentor,
            requested.id,
            LifecycleAction::Decline,
            Some("I am away until spring."),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined.status, MentorshipStatus::Declined);
    let last = declined.history.last().expect("history");
    assert_eq!(last.reason.as_deref(), Some("I am away until spring."));
    assert_eq!(last.actor.id, w.mentor.id);
    let dash: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        dash.organisations_waiting, 1,
        "declined: the organisation waits again"
    );
}

async fn goals_and_notes_are_for_members_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let m = active(&app, &w).await;
    let stranger = app.user("Sam Stranger").await;
    let goals = format!("/api/mentorships/{}/goals", m.id);
    let notes = format!("/api/mentorships/{}/notes", m.id);

    let goal: GoalView = json(
        app.post(
            &goals,
            Some(&w.lead),
            &CreateGoal {
                title: "Write a safeguarding policy".into(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(goal.status, GoalStatus::NotStarted);
    let e = error(
        app.post(&goals, Some(&w.lead), &CreateGoal { title: "  ".into() })
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("title"));
    let moved: GoalView = json(
        app.put(
            &format!("{goals}/{}", goal.id),
            Some(&w.mentor),
            &UpdateGoal {
                title: None,
                status: Some(GoalStatus::InProgress),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved.status, GoalStatus::InProgress);
    let listed: ListGoalsResponse =
        json(app.get(&goals, Some(&w.mentor)).await, StatusCode::OK).await;
    assert_eq!(listed.goals.len(), 1);

    let note = CreateSessionNote {
        session_date: chrono::Utc::now().date_naive(),
        summary: "Went through the draft policy.".into(),
        next_steps: "Lowen shares it with the trustees.".into(),
    };
    json::<shared::api::mentorships::SessionNoteView>(
        app.post(&notes, Some(&w.mentor), &note).await,
        StatusCode::CREATED,
    )
    .await;
    let future = CreateSessionNote {
        session_date: chrono::Utc::now().date_naive() + chrono::Duration::days(30),
        ..note.clone()
    };
    error(
        app.post(&notes, Some(&w.mentor), &future).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let listed: ListSessionNotesResponse =
        json(app.get(&notes, Some(&w.lead)).await, StatusCode::OK).await;
    assert_eq!(listed.notes[0].summary, "Went through the draft policy.");

    // The programme team: not theirs to read or write. Strangers: nothing there.
    for path in [&goals, &notes] {
        error(
            app.get(path, Some(&w.admin)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        error(
            app.get(path, Some(&stranger)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    error(
        app.post(&goals, Some(&w.admin), &CreateGoal { title: "x".into() })
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.post(&notes, Some(&stranger), &note).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    error(
        app.put(
            &format!("{goals}/{}", goal.id),
            Some(&stranger),
            &UpdateGoal::default(),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn the_dashboard_counts_and_finds_stalled_mentorships(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    error(
        app.get("/api/programme/dashboard", Some(&w.lead)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let before: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            before.organisations_approved,
            before.organisations_waiting,
            before.active,
            before.match_rate
        ),
        (1, 1, 0, 0.0)
    );
    assert_eq!((before.capacity_total, before.capacity_used), (2, 0));

    let m = active(&app, &w).await;
    let after: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            after.organisations_waiting,
            after.active,
            after.match_rate,
            after.capacity_used
        ),
        (0, 1, 1.0, 1)
    );
    assert!(after.stalled.is_empty());

    // Three weeks of quiet (moved back in the database; no clock tricks in the server).
    let old = chrono::Utc::now() - chrono::Duration::days(30);
    {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::mentorship;
        mentorship::Entity::update_many()
            .col_expr(mentorship::Column::ActivityAt, Expr::value(old))
            .filter(mentorship::Column::Id.eq(m.id))
            .exec(&app.state.db)
            .await
            .expect("age the mentorship");
    }
    let stalled: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stalled.stalled.len(), 1);
    assert_eq!(stalled.stalled[0].id, m.id);
    assert!(stalled.stalled[0].days_quiet >= 29);

    // A message counts as activity.
    let mut ws = app.ws(&w.lead).await;
    ws.send_text(m.room_id.expect("room"), "q1", "Still here!")
        .await;
    ws.next_matching(|x| matches!(x, ServerMsg::Ack { .. }))
        .await;
    let lively: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&w.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert!(lively.stalled.is_empty());

    // A nudge reaches both sides and is remembered.
    error(
        app.post(
            &format!("/api/mentorships/{}/nudge", m.id),
            Some(&w.lead),
            &(),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = app
        .post(
            &format!("/api/mentorships/{}/nudge", m.id),
            Some(&w.admin),
            &(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for who in [&w.lead, &w.mentor] {
        let notes: shared::api::notifications::ListNotificationsResponse = json(
            app.get("/api/notifications", Some(who)).await,
            StatusCode::OK,
        )
        .await;
        assert!(
            notes
                .notifications
                .iter()
                .any(|n| n.kind == NotificationKind::Nudge && n.mentorship_id == Some(m.id))
        );
    }
}

async fn strangers_are_refused_on_every_programme_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let m = active(&app, &w).await;
    let goal: GoalView = json(
        app.post(
            &format!("/api/mentorships/{}/goals", m.id),
            Some(&w.lead),
            &CreateGoal { title: "G".into() },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let stranger = app.user("Sam Stranger").await;
    let o = w.org.id;
    let id = m.id;
    let body = serde_json::json!({});
    // (method, path, status for a signed-in stranger)
    let cases: Vec<(Method, String, StatusCode)> = vec![
        (
            Method::PUT,
            format!("/api/organisations/{o}"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/organisations/{o}/needs"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            format!("/api/organisations/{o}/decision"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/organisations/{o}/staff/{}", w.lead.id),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            format!("/api/organisations/{o}/staff/{}/remove", w.lead.id),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/organisations/{o}/safeguarding-lead"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            format!("/api/organisations/{o}/invites"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/api/organisations/{o}/suggestions"),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::POST,
            format!("/api/mentors/{}/decision", w.mentor.id),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            format!("/api/mentorships/{id}"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("/api/mentorships/{id}/transition"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::PUT,
            format!("/api/mentorships/{id}/reflection"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/mentorships/{id}/goals"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("/api/mentorships/{id}/goals"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::PUT,
            format!("/api/mentorships/{id}/goals/{}", goal.id),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/mentorships/{id}/notes"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("/api/mentorships/{id}/notes"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("/api/mentorships/{id}/nudge"),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/programme/plan".into(),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/api/programme/dashboard".into(),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/api/organisations?status=pending".into(),
            StatusCode::FORBIDDEN,
        ),
        (
            Method::GET,
            "/api/mentors?status=pending".into(),
            StatusCode::FORBIDDEN,
        ),
    ];
    for (method, path, status) in cases {
        // Bodies that would be valid for a member, so refusal is the only reason.
        let payload = match path.as_str() {
            p if p.ends_with("/needs") => serde_json::json!({"needs": []}),
            p if p.ends_with("/decision") => serde_json::json!({"approve": true}),
            p if p.contains("/staff/") && method == Method::PUT => {
                serde_json::json!({"is_lead": true})
            }
            p if p.ends_with("/safeguarding-lead") => serde_json::json!({"user_id": null}),
            p if p.ends_with("/transition") => serde_json::json!({"action": "pause"}),
            p if p.ends_with("/reflection") => serde_json::json!({"text": "x"}),
            p if p.ends_with("/goals") => serde_json::json!({"title": "x"}),
            p if p.ends_with("/notes") => {
                serde_json::json!({"session_date": "2026-01-01", "summary": "x"})
            }
            p if p == format!("/api/organisations/{o}") => {
                serde_json::to_value(crate::harness::programme::profile("X", "Y")).expect("json")
            }
            _ => body.clone(),
        };
        let mut req = app.request(method.clone(), &path, Some(&stranger));
        if method != Method::GET {
            req = req
                .header("content-type", "application/json")
                .body(payload.to_string());
        }
        let res = req.send().await.expect("request");
        let kind = if status == StatusCode::NOT_FOUND {
            "not_found"
        } else {
            "forbidden"
        };
        let e = error(res, status, kind).await;
        assert!(!e.message.is_empty(), "{method} {path}");
        // And without a session, everything is 401.
        let anon = app.request(method.clone(), &path, None);
        let anon = if method == Method::GET {
            anon
        } else {
            anon.header("content-type", "application/json")
                .body(payload.to_string())
        };
        assert_eq!(
            anon.send().await.expect("request").status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} without a session"
        );
    }
    // Nothing changed for the members.
    let still: MyProgramme = json(
        app.get("/api/programme/me", Some(&w.lead)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still.mentorships.len(), 1);
    assert_eq!(still.mentorships[0].status, MentorshipStatus::Active);
    assert!(still.organisations[0].is_lead);
    let messages: ListMessagesResponse = json(
        app.get(
            &format!("/api/rooms/{}/messages", m.room_id.expect("room")),
            Some(&w.mentor),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(messages.messages.is_empty());
}

both!(the_demo_world_is_a_living_programme);

async fn the_demo_world_is_a_living_programme(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    server::demo::seed(&app.state.db).await.expect("seed");
    server::demo::seed(&app.state.db)
        .await
        .expect("seeding again changes nothing");
    let admin = app.demo_user("admin@demo.example").await;
    let d: Dashboard = json(
        app.get("/api/programme/dashboard", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            d.active,
            d.proposed,
            d.requested,
            d.completed,
            d.organisations_pending
        ),
        (3, 1, 1, 1, 1),
        "{d:?}"
    );
    assert_eq!(d.stalled.len(), 1, "one quiet mentorship: {d:?}");
    assert_eq!(d.stalled[0].organisation.name, "Tamar Valley Walkers");
    assert!(d.organisations_waiting >= 2, "{d:?}");
    let plan: ProgrammePlan = json(
        app.get("/api/programme/plan", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        !plan.matches.is_empty(),
        "the waiting organisations get suggestions"
    );
}

both!(members_hear_mentorship_changes_live_and_nobody_else_does);

async fn members_hear_mentorship_changes_live_and_nobody_else_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let m = active(&app, &w).await;
    let stranger = app.user("Sam Stranger").await;
    let mut lead_ws = app.ws(&w.lead).await;
    let mut admin_ws = app.ws(&w.admin).await;
    let mut stranger_ws = app.ws(&stranger).await;

    json::<GoalView>(
        app.post(
            &format!("/api/mentorships/{}/goals", m.id),
            Some(&w.mentor),
            &CreateGoal {
                title: "Train the volunteers".into(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let is_change = |msg: &ServerMsg| matches!(msg, ServerMsg::MentorshipChanged { mentorship_id } if *mentorship_id == m.id);
    lead_ws.next_matching(is_change).await;
    // Goals are private: the programme team and strangers hear nothing of them.
    let quiet = std::time::Duration::from_millis(300);
    admin_ws.expect_none(is_change, quiet).await;
    stranger_ws.expect_none(is_change, quiet).await;

    // A lifecycle step reaches the members too.
    json::<MentorshipView>(
        app.step(&w.mentor, m.id, LifecycleAction::Pause, None)
            .await,
        StatusCode::OK,
    )
    .await;
    lead_ws.next_matching(is_change).await;
    stranger_ws.expect_none(is_change, quiet).await;
}
