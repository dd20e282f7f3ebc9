//! Safeguarding concerns through the real API and websocket on both
//! databases: who is told when one is raised (and who is not), the copy of
//! the message or post it came from, the lead moving it through to closed,
//! refusals for everyone else, the audited read by the programme team,
//! validation, and the order of the lists.

use std::time::Duration;

use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::{audit_event, concern};
use shared::api::concerns::{
    AddConcernNote, ConcernPriority, ConcernStatus, ConcernView, ListConcernsResponse,
    RaiseConcern, SetConcernStatus,
};
use shared::api::coops::OrgRef;
use shared::api::notifications::{ListNotificationsResponse, NotificationKind, NotificationView};
use shared::api::organisations::{OrganisationView, SetSafeguardingLead};
use shared::api::threads::{CreateThread, ThreadResponse, Visibility};
use shared::taxonomy::{ActivityType, Priority, Topic};
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::{Backend, TestApp, TestUser, WsClient, error, json};

both!(
    raising_tells_the_safeguarding_lead_and_the_programme_team_and_nobody_else,
    a_concern_carries_a_copy_of_the_message_or_post_it_was_raised_from,
    the_lead_takes_a_concern_through_to_closed_and_its_raiser_follows,
    outsiders_find_nothing_on_any_concern_route,
    the_programme_team_reading_a_copied_message_is_audited,
    bad_input_is_refused_with_the_field_named,
    lists_put_overdue_and_urgent_concerns_first_and_closed_ones_last,
);

/// The short wait for something that must not arrive.
const QUIET: Duration = Duration::from_millis(500);

/// Harbour Arts with a lead, a named safeguarding lead and two more staff;
/// the programme team; and someone from outside.
struct World {
    admin: TestUser,
    /// Leads Harbour Arts, but is not its safeguarding lead.
    lead: TestUser,
    /// Harbour Arts' named safeguarding lead.
    safeguarding: TestUser,
    /// Staff of Harbour Arts who raises concerns.
    raiser: TestUser,
    /// Staff of Harbour Arts with nothing to do with the concern.
    colleague: TestUser,
    outsider: TestUser,
    harbour: OrganisationView,
}

impl World {
    async fn new(app: &TestApp) -> Self {
        let admin = app.admin("Asha Patel").await;
        let lead = app.user("Lowen Tremayne").await;
        let safeguarding = app.user("Sian Gwyn").await;
        let raiser = app.user("Kit Colenso").await;
        let colleague = app.user("Jo Penrose").await;
        let outsider = app.user("Sam Stranger").await;
        let harbour = app
            .approved_organisation(
                &admin,
                &lead,
                "Harbour Arts",
                "Plymouth",
                &[(Topic::Safeguarding, Priority::High)],
            )
            .await;
        for who in [&safeguarding, &raiser, &colleague] {
            app.join_staff(&lead, harbour.id, who).await;
        }
        let harbour: OrganisationView = json(
            app.put(
                &format!("/api/organisations/{}/safeguarding-lead", harbour.id),
                Some(&lead),
                &SetSafeguardingLead {
                    user_id: Some(safeguarding.id),
                },
            )
            .await,
            StatusCode::OK,
        )
        .await;
        Self {
            admin,
            lead,
            safeguarding,
            raiser,
            colleague,
            outsider,
            harbour,
        }
    }
}

fn raise_body(org: Option<i64>, priority: ConcernPriority, what: &str) -> RaiseConcern {
    RaiseConcern {
        organisation_id: org,
        priority,
        at_risk: "A regular at the Tuesday group".into(),
        what_happened: what.into(),
        message_id: None,
        post_id: None,
    }
}

async fn raise(app: &TestApp, who: &TestUser, body: &RaiseConcern) -> ConcernView {
    json(
        app.post("/api/concerns", Some(who), body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn get(app: &TestApp, who: &TestUser, id: i64) -> reqwest::Response {
    app.get(&format!("/api/concerns/{id}"), Some(who)).await
}

async fn read(app: &TestApp, who: &TestUser, id: i64) -> ConcernView {
    json(get(app, who, id).await, StatusCode::OK).await
}

async fn set_status(
    app: &TestApp,
    who: &TestUser,
    id: i64,
    status: ConcernStatus,
    note: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/concerns/{id}/status"),
        Some(who),
        &SetConcernStatus {
            status,
            note: note.into(),
        },
    )
    .await
}

async fn add_note(app: &TestApp, who: &TestUser, id: i64, note: &str) -> reqwest::Response {
    app.post(
        &format!("/api/concerns/{id}/notes"),
        Some(who),
        &AddConcernNote { note: note.into() },
    )
    .await
}

async fn list(app: &TestApp, who: &TestUser, query: &str) -> ListConcernsResponse {
    json(
        app.get(&format!("/api/concerns{query}"), Some(who)).await,
        StatusCode::OK,
    )
    .await
}

fn is_about(msg: &ServerMsg, id: i64) -> bool {
    match msg {
        ServerMsg::ConcernChanged { concern_id } => *concern_id == id,
        ServerMsg::Notification(n) => n.concern_id == Some(id),
        _ => false,
    }
}

/// Wait for both the concern notification and `concern_changed` about
/// concern `id` (in either order); the notification.
async fn hears_notification_and_change(ws: &mut WsClient, id: i64) -> NotificationView {
    let mut note = None;
    let mut changed = false;
    while note.is_none() || !changed {
        match ws.next_matching(|m| is_about(m, id)).await {
            ServerMsg::Notification(n) => {
                assert_eq!(n.kind, NotificationKind::Concern);
                assert!(note.replace(n).is_none(), "one notification each");
            }
            _ => changed = true,
        }
    }
    note.expect("a notification")
}

/// Wait for `concern_changed` about `id`, with no notification before it.
async fn hears_change_only(ws: &mut WsClient, id: i64) {
    match ws.next_matching(|m| is_about(m, id)).await {
        ServerMsg::ConcernChanged { .. } => {}
        other => panic!("expected only concern_changed, got {other:?}"),
    }
    ws.expect_none(|m| is_about(m, id), QUIET).await;
}

async fn concern_notes(app: &TestApp, who: &TestUser, id: i64) -> Vec<NotificationView> {
    let all: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(who)).await,
        StatusCode::OK,
    )
    .await;
    all.notifications
        .into_iter()
        .filter(|n| n.concern_id == Some(id))
        .collect()
}

async fn raising_tells_the_safeguarding_lead_and_the_programme_team_and_nobody_else(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let mut sg_ws = app.ws(&w.safeguarding).await;
    let mut admin_ws = app.ws(&w.admin).await;
    let mut raiser_ws = app.ws(&w.raiser).await;
    let mut lead_ws = app.ws(&w.lead).await;
    let mut colleague_ws = app.ws(&w.colleague).await;

    let secret = "He said he has stopped taking his medication";
    let before = Utc::now();
    let view = raise(
        &app,
        &w.raiser,
        &raise_body(Some(w.harbour.id), ConcernPriority::Immediate, secret),
    )
    .await;
    let s = &view.summary;
    assert_eq!(s.status, ConcernStatus::New);
    assert_eq!(s.priority, ConcernPriority::Immediate);
    assert_eq!(s.organisation.as_ref().map(|o| o.id), Some(w.harbour.id));
    assert_eq!(s.raised_by.id, w.raiser.id);
    assert!(s.created_at >= before - chrono::Duration::seconds(1));
    // Immediate risk: acknowledged within the hour.
    assert_eq!(s.ack_due_at - s.created_at, chrono::Duration::hours(1));
    assert!(!s.overdue);
    assert_eq!(view.what_happened, secret);
    assert_eq!(
        view.handlers.iter().map(|h| h.id).collect::<Vec<_>>(),
        [w.safeguarding.id]
    );
    assert!(view.role.raiser && !view.role.handler && !view.role.admin);
    assert_eq!(view.history.len(), 1);
    assert_eq!(view.history[0].action, "raised");

    // The safeguarding lead and the programme team hear at once; the text
    // names the urgency and the organisation, never what was written.
    for ws in [&mut sg_ws, &mut admin_ws] {
        let n = hears_notification_and_change(ws, s.id).await;
        assert_eq!(n.actor.id, w.raiser.id);
        assert!(
            n.excerpt.contains("Immediate risk of harm"),
            "{}",
            n.excerpt
        );
        assert!(n.excerpt.contains("Harbour Arts"), "{}", n.excerpt);
        assert!(!n.excerpt.contains("medication"), "{}", n.excerpt);
        assert!(!n.excerpt.contains("Tuesday"), "{}", n.excerpt);
    }
    assert_eq!(concern_notes(&app, &w.safeguarding, s.id).await.len(), 1);
    assert_eq!(concern_notes(&app, &w.admin, s.id).await.len(), 1);
    // The raiser's own page reloads; they are not notified of their own concern.
    hears_change_only(&mut raiser_ws, s.id).await;
    assert!(concern_notes(&app, &w.raiser, s.id).await.is_empty());

    // The organisation's lead (a safeguarding lead is named) and a
    // colleague hear nothing and find nothing.
    for (who, ws) in [(&w.lead, &mut lead_ws), (&w.colleague, &mut colleague_ws)] {
        ws.expect_none(|m| is_about(m, s.id), QUIET).await;
        assert!(concern_notes(&app, who, s.id).await.is_empty());
        error(
            get(&app, who, s.id).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let theirs = list(&app, who, "").await;
        assert!(theirs.handling.is_empty() && theirs.raised.is_empty());
    }

    // The handlers read it as handlers, the programme team as itself.
    let by_sg = read(&app, &w.safeguarding, s.id).await;
    assert!(by_sg.role.handler && !by_sg.role.raiser && !by_sg.role.admin);
    assert_eq!(by_sg.what_happened, secret);
    let by_admin = read(&app, &w.admin, s.id).await;
    assert!(by_admin.role.admin && !by_admin.role.handler);

    // A concern of the "concern" priority is due the next working day.
    let later = raise(
        &app,
        &w.raiser,
        &raise_body(
            Some(w.harbour.id),
            ConcernPriority::Concern,
            "Missed two sessions",
        ),
    )
    .await;
    assert_eq!(
        later.summary.ack_due_at,
        server::safeguarding::rules::ack_due_at(ConcernPriority::Concern, later.summary.created_at)
    );
    assert!(later.summary.ack_due_at - later.summary.created_at >= chrono::Duration::days(1));

    // With no safeguarding lead named, the organisation's leads handle its
    // concerns, the earlier ones included; the former one no longer sees them.
    let _: OrganisationView = json(
        app.put(
            &format!("/api/organisations/{}/safeguarding-lead", w.harbour.id),
            Some(&w.lead),
            &SetSafeguardingLead { user_id: None },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let by_lead = read(&app, &w.lead, s.id).await;
    assert!(by_lead.role.handler);
    assert_eq!(
        by_lead.handlers.iter().map(|h| h.id).collect::<Vec<_>>(),
        [w.lead.id]
    );
    error(
        get(&app, &w.safeguarding, s.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let third = raise(
        &app,
        &w.raiser,
        &raise_body(Some(w.harbour.id), ConcernPriority::Information, "FYI"),
    )
    .await;
    let n = hears_notification_and_change(&mut lead_ws, third.summary.id).await;
    assert!(n.excerpt.contains("Information"), "{}", n.excerpt);
    sg_ws
        .expect_none(|m| is_about(m, third.summary.id), QUIET)
        .await;
}

/// Post `body` in `room` as the socket's user; the stored message's id.
async fn say(ws: &mut WsClient, room: i64, client_msg_id: &str, body: &str) -> i64 {
    ws.send_text(room, client_msg_id, body).await;
    match ws
        .next_matching(
            |m| matches!(m, ServerMsg::Ack { client_msg_id: c, .. } if c == client_msg_id),
        )
        .await
    {
        ServerMsg::Ack { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

async fn a_concern_carries_a_copy_of_the_message_or_post_it_was_raised_from(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let friend = app.user("Morwenna Hale").await;

    // Someone tells Kit something worrying in their direct conversation.
    let room = app.direct_room(&friend, w.raiser.id).await;
    let mut friend_ws = app.ws(&friend).await;
    let said = "I don't see the point of anything any more";
    let message_id = say(&mut friend_ws, room.id, "c-1", said).await;

    let mut body = raise_body(
        Some(w.harbour.id),
        ConcernPriority::Immediate,
        "See message",
    );
    body.message_id = Some(message_id);
    let view = raise(&app, &w.raiser, &body).await;
    let context = view.context.expect("a copy of the message");
    assert_eq!(context.text, said);
    assert_eq!(context.author.map(|a| a.id), Some(friend.id));
    assert_eq!(context.room_id, Some(room.id));
    assert_eq!(context.message_id, Some(message_id));
    assert_eq!(context.post_id, None);

    // The copy is what was said then, whatever happens to the message after.
    friend_ws
        .send(&ClientMsg::Edit {
            message_id,
            body: "never mind".into(),
        })
        .await;
    friend_ws
        .next_matching(
            |m| matches!(m, ServerMsg::MessageUpdated(v) if v.id == message_id && v.edited_at.is_some()),
        )
        .await;
    let handler_view = read(&app, &w.safeguarding, view.summary.id).await;
    assert_eq!(handler_view.context.expect("copy").text, said);

    // Someone outside the conversation cannot raise a concern from it, and
    // learns nothing about whether it exists.
    let mut theirs = raise_body(None, ConcernPriority::Concern, "Saw this");
    theirs.message_id = Some(message_id);
    error(
        app.post("/api/concerns", Some(&w.colleague), &theirs).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    theirs.message_id = Some(message_id + 1000);
    error(
        app.post("/api/concerns", Some(&w.colleague), &theirs).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(list(&app, &w.colleague, "").await.raised.is_empty());

    // From a practice thread's post, with no organisation: the programme
    // team alone handles it.
    let thread: ThreadResponse = json(
        app.post(
            "/api/threads",
            Some(&friend),
            &CreateThread {
                title: "Struggling this winter".into(),
                body: "Our group has lost its funding and I am not coping.".into(),
                topics: vec![Topic::BoundariesAndWellbeing],
                activity_types: vec![ActivityType::Arts],
                visibility: Visibility::Members,
                organisation_id: None,
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let post = &thread.posts[0];
    let mut from_post = raise_body(None, ConcernPriority::Concern, "A worrying post");
    from_post.post_id = Some(post.id);
    let view = raise(&app, &w.colleague, &from_post).await;
    assert!(view.summary.organisation.is_none());
    assert!(view.handlers.is_empty());
    let context = view.context.expect("a copy of the post");
    assert_eq!(
        context.text,
        "Our group has lost its funding and I am not coping."
    );
    assert_eq!(context.author.map(|a| a.id), Some(friend.id));
    assert_eq!(context.thread_id, Some(thread.thread.id));
    assert_eq!(context.post_id, Some(post.id));
    // Harbour Arts' safeguarding lead has nothing to do with it.
    error(
        get(&app, &w.safeguarding, view.summary.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        read(&app, &w.admin, view.summary.id).await.summary.id,
        view.summary.id
    );
}

async fn the_lead_takes_a_concern_through_to_closed_and_its_raiser_follows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let view = raise(
        &app,
        &w.raiser,
        &raise_body(
            Some(w.harbour.id),
            ConcernPriority::Concern,
            "Bruises again",
        ),
    )
    .await;
    let id = view.summary.id;
    let mut raiser_ws = app.ws(&w.raiser).await;
    let mut sg_ws = app.ws(&w.safeguarding).await;
    let mut admin_ws = app.ws(&w.admin).await;

    // The raiser can see it but not move it on.
    let refused = error(
        set_status(&app, &w.raiser, id, ConcernStatus::Acknowledged, "").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(
        refused.message.contains("safeguarding lead"),
        "{}",
        refused.message
    );

    // Acknowledged: the raiser is told, everyone reading it reloads.
    let acked: ConcernView = json(
        set_status(&app, &w.safeguarding, id, ConcernStatus::Acknowledged, "").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(acked.summary.status, ConcernStatus::Acknowledged);
    let acknowledged_at = acked.acknowledged_at.expect("acknowledged_at");
    assert!(acked.closed_at.is_none());
    let n = hears_notification_and_change(&mut raiser_ws, id).await;
    assert_eq!(n.actor.id, w.safeguarding.id);
    assert!(n.excerpt.contains("acknowledged"), "{}", n.excerpt);
    hears_change_only(&mut sg_ws, id).await;
    hears_change_only(&mut admin_ws, id).await;

    // Impossible moves are conflicts, with a sentence saying why.
    for (to, note) in [(ConcernStatus::Acknowledged, ""), (ConcernStatus::New, "")] {
        let e = error(
            set_status(&app, &w.safeguarding, id, to, note).await,
            StatusCode::CONFLICT,
            "conflict",
        )
        .await;
        assert!(e.message.contains("concern"), "{}", e.message);
    }

    // Actioned and closed need a note saying what was done.
    let e = error(
        set_status(&app, &w.safeguarding, id, ConcernStatus::Actioned, "  ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("note"));
    let actioned: ConcernView = json(
        set_status(
            &app,
            &w.safeguarding,
            id,
            ConcernStatus::Actioned,
            "Referred to the adult social care team",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(actioned.summary.status, ConcernStatus::Actioned);
    hears_notification_and_change(&mut raiser_ws, id).await;
    hears_change_only(&mut sg_ws, id).await;
    hears_change_only(&mut admin_ws, id).await;

    // The raiser adds a note: the handlers and the programme team are told.
    let noted: ConcernView = json(
        add_note(&app, &w.raiser, id, "He came in today and seemed better").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        noted.history.last().map(|h| h.action.as_str()),
        Some("note")
    );
    for ws in [&mut sg_ws, &mut admin_ws] {
        let n = hears_notification_and_change(ws, id).await;
        assert_eq!(n.actor.id, w.raiser.id);
        assert!(!n.excerpt.contains("better"), "{}", n.excerpt);
    }

    let e = error(
        set_status(&app, &w.safeguarding, id, ConcernStatus::Closed, "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("note"));
    let closed: ConcernView = json(
        set_status(
            &app,
            &w.safeguarding,
            id,
            ConcernStatus::Closed,
            "Social care confirmed a support plan",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed.summary.status, ConcernStatus::Closed);
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.acknowledged_at, Some(acknowledged_at));
    error(
        set_status(&app, &w.safeguarding, id, ConcernStatus::Actioned, "again").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The history, as the raiser reads it, oldest first.
    let seen = read(&app, &w.raiser, id).await;
    let steps: Vec<(&str, &str, Option<i64>)> = seen
        .history
        .iter()
        .map(|h| {
            (
                h.action.as_str(),
                h.note.as_str(),
                h.actor.as_ref().map(|a| a.id),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("raised", "", Some(w.raiser.id)),
            ("acknowledged", "", Some(w.safeguarding.id)),
            (
                "actioned",
                "Referred to the adult social care team",
                Some(w.safeguarding.id)
            ),
            (
                "note",
                "He came in today and seemed better",
                Some(w.raiser.id)
            ),
            (
                "closed",
                "Social care confirmed a support plan",
                Some(w.safeguarding.id)
            ),
        ]
    );
    assert!(seen.history.windows(2).all(|p| p[0].at <= p[1].at));

    // The programme team reopens it; the lead adds a note for the raiser.
    let reopened: ConcernView = json(
        set_status(
            &app,
            &w.admin,
            id,
            ConcernStatus::Acknowledged,
            "One more check",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened.summary.status, ConcernStatus::Acknowledged);
    assert!(reopened.closed_at.is_none());
    assert_eq!(
        reopened.history.last().map(|h| h.action.as_str()),
        Some("reopened")
    );
    assert_eq!(reopened.history.len(), 6);
    json::<ConcernView>(
        add_note(&app, &w.safeguarding, id, "Checked in by phone").await,
        StatusCode::OK,
    )
    .await;
    let told = concern_notes(&app, &w.raiser, id).await;
    // Acknowledged, actioned, closed, reopened, and the lead's note.
    assert_eq!(told.len(), 5, "{told:?}");
    assert!(told.iter().all(|n| !n.excerpt.contains("phone")));

    // Every step is in the audit log, by whom, without the text.
    let updates = audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("sensitive_update"))
        .all(&app.state.db)
        .await
        .expect("audit rows");
    assert_eq!(updates.len(), 6, "{updates:?}");
    assert!(updates.iter().all(|u| {
        u.detail
            .as_deref()
            .is_some_and(|d| d.starts_with(&format!("concern {id} ")))
    }));
    assert!(updates.iter().any(|u| u.actor_id == Some(w.admin.id)
        && u.detail.as_deref() == Some(&format!("concern {id} reopened"))));
}

async fn outsiders_find_nothing_on_any_concern_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let view = raise(
        &app,
        &w.raiser,
        &raise_body(
            Some(w.harbour.id),
            ConcernPriority::Immediate,
            "Threats made",
        ),
    )
    .await;
    let id = view.summary.id;
    let missing = id + 1000;

    for who in [&w.outsider, &w.colleague, &w.lead] {
        for target in [id, missing] {
            error(
                get(&app, who, target).await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
            error(
                set_status(&app, who, target, ConcernStatus::Acknowledged, "").await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
            error(
                add_note(&app, who, target, "Is this about Dave?").await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
        let theirs = list(&app, who, "").await;
        assert!(theirs.handling.is_empty() && theirs.raised.is_empty());
    }
    // Nothing they tried reached the concern.
    assert_eq!(read(&app, &w.safeguarding, id).await.history.len(), 1);
    // A concern that does not exist is not found for its would-be handlers either.
    error(
        get(&app, &w.admin, missing).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Signed out: asked to sign in.
    for path in ["/api/concerns".to_owned(), format!("/api/concerns/{id}")] {
        error(
            app.get(&path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    error(
        app.post(
            "/api/concerns",
            None,
            &raise_body(None, ConcernPriority::Concern, "x"),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

async fn audit_rows(app: &TestApp, event: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq(event))
        .all(&app.state.db)
        .await
        .expect("audit rows")
}

async fn the_programme_team_reading_a_copied_message_is_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let friend = app.user("Morwenna Hale").await;
    let room = app.direct_room(&friend, w.raiser.id).await;
    let mut friend_ws = app.ws(&friend).await;
    let message_id = say(&mut friend_ws, room.id, "c-1", "Please don't tell anyone").await;
    let mut body = raise_body(
        Some(w.harbour.id),
        ConcernPriority::Immediate,
        "See message",
    );
    body.message_id = Some(message_id);
    let with_copy = raise(&app, &w.raiser, &body).await.summary.id;
    let without = raise(
        &app,
        &w.raiser,
        &raise_body(
            Some(w.harbour.id),
            ConcernPriority::Information,
            "Nothing copied",
        ),
    )
    .await
    .summary
    .id;

    // Raising is recorded: by whom, which concern, how urgent; never the text.
    let created = audit_rows(&app, "sensitive_create").await;
    assert_eq!(created.len(), 2);
    assert_eq!(created[0].actor_id, Some(w.raiser.id));
    assert_eq!(
        created[0].detail.as_deref(),
        Some(format!("concern {with_copy} (immediate)").as_str())
    );
    let everything = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .expect("audit rows");
    assert!(everything.iter().all(|e| {
        let d = e.detail.as_deref().unwrap_or_default();
        !d.contains("tell anyone") && !d.contains("Tuesday")
    }));

    // The raiser and the safeguarding lead read it as part of their work.
    read(&app, &w.raiser, with_copy).await;
    read(&app, &w.safeguarding, with_copy).await;
    // The programme team reading a concern without a copy is not a privileged read.
    read(&app, &w.admin, without).await;
    assert!(audit_rows(&app, "sensitive_read").await.is_empty());

    // The programme team reading the copy of a private message is.
    let seen = read(&app, &w.admin, with_copy).await;
    assert_eq!(
        seen.context.map(|c| c.text).as_deref(),
        Some("Please don't tell anyone")
    );
    let reads = audit_rows(&app, "sensitive_read").await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].actor_id, Some(w.admin.id));
    assert_eq!(reads[0].subject_id, Some(friend.id));
    assert_eq!(
        reads[0].detail.as_deref(),
        Some(format!("concern {with_copy} context").as_str())
    );
    // Each read is recorded.
    read(&app, &w.admin, with_copy).await;
    assert_eq!(audit_rows(&app, "sensitive_read").await.len(), 2);
}

async fn bad_input_is_refused_with_the_field_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let other = app
        .approved_organisation(
            &w.admin,
            &w.outsider,
            "Tamar Gardens",
            "Saltash",
            &[(Topic::Safeguarding, Priority::Low)],
        )
        .await;
    let ok = || raise_body(Some(w.harbour.id), ConcernPriority::Concern, "Something");

    let mut cases: Vec<(RaiseConcern, &str)> = Vec::new();
    let mut b = ok();
    b.at_risk = "   ".into();
    cases.push((b, "at_risk"));
    let mut b = ok();
    b.at_risk = "x".repeat(1001);
    cases.push((b, "at_risk"));
    let mut b = ok();
    b.what_happened = String::new();
    cases.push((b, "what_happened"));
    let mut b = ok();
    b.what_happened = "y".repeat(4001);
    cases.push((b, "what_happened"));
    // An organisation the raiser is not staff of.
    let mut b = ok();
    b.organisation_id = Some(other.id);
    cases.push((b, "organisation_id"));
    let mut b = ok();
    b.organisation_id = Some(other.id + 1000);
    cases.push((b, "organisation_id"));
    let mut b = ok();
    b.message_id = Some(1);
    b.post_id = Some(1);
    cases.push((b, "message_id"));
    for (body, field) in cases {
        let e = error(
            app.post("/api/concerns", Some(&w.raiser), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    assert!(list(&app, &w.raiser, "").await.raised.is_empty());

    // The longest allowed texts, trimmed.
    let mut b = ok();
    b.at_risk = format!("  {}  ", "x".repeat(1000));
    b.what_happened = "y".repeat(4000);
    let view = raise(&app, &w.raiser, &b).await;
    assert_eq!(view.at_risk, "x".repeat(1000));
    let id = view.summary.id;

    for note in [String::new(), "z".repeat(4001)] {
        let e = error(
            add_note(&app, &w.raiser, id, &note).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("note"));
    }
    let e = error(
        set_status(
            &app,
            &w.safeguarding,
            id,
            ConcernStatus::Acknowledged,
            &"z".repeat(4001),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("note"));
    // A status that does not exist is a bad request, not a crash.
    let res = app
        .post(
            &format!("/api/concerns/{id}/status"),
            Some(&w.safeguarding),
            &serde_json::json!({"status": "escalated"}),
        )
        .await;
    error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(read(&app, &w.raiser, id).await.history.len(), 1);
}

async fn lists_put_overdue_and_urgent_concerns_first_and_closed_ones_last(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = World::new(&app).await;
    let org = Some(w.harbour.id);
    let mut ids = Vec::new();
    for (priority, what) in [
        (ConcernPriority::Information, "late"),
        (ConcernPriority::Concern, "concern"),
        (ConcernPriority::Immediate, "now"),
        (ConcernPriority::Information, "old news"),
        (ConcernPriority::Immediate, "dealt with"),
    ] {
        ids.push(
            raise(&app, &w.raiser, &raise_body(org, priority, what))
                .await
                .summary
                .id,
        );
    }
    let [late, plain, urgent, closed_old, closed_new] = ids[..] else {
        panic!("five concerns")
    };
    for id in [closed_old, closed_new] {
        json::<ConcernView>(
            set_status(
                &app,
                &w.safeguarding,
                id,
                ConcernStatus::Closed,
                "No action needed",
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    // The information concern missed its deadline.
    concern::Entity::update_many()
        .col_expr(
            concern::Column::AckDueAt,
            Expr::value(Utc::now() - chrono::Duration::hours(2)),
        )
        .filter(concern::Column::Id.eq(late))
        .exec(&app.state.db)
        .await
        .expect("make it overdue");
    // The programme team's own concern, with no organisation.
    let own = raise(
        &app,
        &w.admin,
        &raise_body(None, ConcernPriority::Concern, "Seen at the drop-in"),
    )
    .await
    .summary
    .id;

    let order = |list: &[shared::api::concerns::ConcernSummary]| {
        list.iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let sg = list(&app, &w.safeguarding, "").await;
    assert_eq!(
        order(&sg.handling),
        [late, urgent, plain, closed_new, closed_old]
    );
    assert!(sg.handling[0].overdue);
    assert!(sg.handling[1..].iter().all(|s| !s.overdue));
    assert_eq!(sg.handling[0].excerpt, "late");
    assert!(sg.raised.is_empty());
    assert_eq!(
        sg.organisations,
        [OrgRef {
            id: w.harbour.id,
            name: "Harbour Arts".into()
        }]
    );

    let mine = list(&app, &w.raiser, "").await;
    assert!(mine.handling.is_empty());
    assert_eq!(
        order(&mine.raised),
        [late, urgent, plain, closed_new, closed_old]
    );
    assert_eq!(mine.organisations.len(), 1);
    // The overdue flag is the same in the concern itself.
    assert!(read(&app, &w.raiser, late).await.summary.overdue);

    let admin = list(&app, &w.admin, "").await;
    assert_eq!(
        order(&admin.handling),
        [late, urgent, plain, own, closed_new, closed_old]
    );
    assert_eq!(order(&admin.raised), [own]);
    assert!(admin.organisations.is_empty());

    let only_closed = list(&app, &w.safeguarding, "?status=closed").await;
    assert_eq!(order(&only_closed.handling), [closed_new, closed_old]);
    let only_new = list(&app, &w.admin, "?status=new").await;
    assert_eq!(order(&only_new.handling), [late, urgent, plain, own]);
    error(
        app.get("/api/concerns?status=escalated", Some(&w.admin))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}
