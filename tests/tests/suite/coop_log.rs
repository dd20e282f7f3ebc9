//! A co-op's decisions, actions and events through the real API on both
//! databases: records made from messages in its rooms, owners, due dates and
//! live updates to its people only; events read back through a real iCalendar
//! parser, from the download and from the private feed address.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike, ValueType};
use reqwest::StatusCode;
use shared::api::coops::{
    ActionStatus, CalendarFeed, CreateRecord, EventKind, EventView, EventsResponse, Owner,
    OwnerView, RecordKind, RecordView, RecordsResponse, SaveEvent, UpdateRecord,
};
use shared::api::notifications::{ListNotificationsResponse, NotificationKind};
use shared::ws::{CoopPart, ServerMsg};

use crate::both;
use crate::harness::coops::CoopWorld;
use crate::harness::{Backend, TestApp, TestUser, WsClient, error, json};

both!(
    decisions_and_actions_come_from_the_coops_rooms,
    events_read_back_through_a_calendar_parser_and_the_private_feed,
);

/// The short wait for something that must not arrive.
const QUIET: Duration = Duration::from_millis(500);

/// Post `body` as the socket's user; the stored message's id and seq.
async fn say(ws: &mut WsClient, room: i64, client_msg_id: &str, body: &str) -> (i64, i64) {
    ws.send_text(room, client_msg_id, body).await;
    match ws
        .next_matching(
            |m| matches!(m, ServerMsg::Ack { client_msg_id: c, .. } if c == client_msg_id),
        )
        .await
    {
        ServerMsg::Ack { id, seq, .. } => (id, seq),
        other => panic!("{other:?}"),
    }
}

fn record(kind: RecordKind, text: &str) -> CreateRecord {
    CreateRecord {
        kind,
        text: text.into(),
        message_id: None,
        owner: None,
        due_on: None,
    }
}

async fn create_record(
    app: &TestApp,
    who: &TestUser,
    coop: i64,
    req: &CreateRecord,
) -> reqwest::Response {
    app.post(&format!("/api/coops/{coop}/records"), Some(who), req)
        .await
}

async fn records(app: &TestApp, who: &TestUser, coop: i64) -> RecordsResponse {
    json(
        app.get(&format!("/api/coops/{coop}/records"), Some(who))
            .await,
        StatusCode::OK,
    )
    .await
}

fn ids(list: &[RecordView]) -> Vec<i64> {
    list.iter().map(|r| r.id).collect()
}

fn is_records_change(coop: i64) -> impl Fn(&ServerMsg) -> bool {
    move |m| matches!(m, ServerMsg::CoopChanged { coop_id, part: CoopPart::Records } if *coop_id == coop)
}

async fn coop_notes(app: &TestApp, who: &TestUser, coop: i64) -> Vec<String> {
    let list: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(who)).await,
        StatusCode::OK,
    )
    .await;
    list.notifications
        .into_iter()
        .filter(|n| n.kind == NotificationKind::Coop && n.coop_id == Some(coop))
        .map(|n| n.excerpt)
        .collect()
}

async fn decisions_and_actions_come_from_the_coops_rooms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;
    // The coordinator also coordinates a second co-op, with a room of its own.
    let cornwall = app
        .create_coop(
            &w.admin,
            "East Cornwall Co-op",
            "Liskeard",
            &[w.coordinator.id],
        )
        .await
        .id;
    let general = app.coop_room(&w.coordinator, id, "General").await.room_id;
    let elsewhere = app
        .coop_room(&w.coordinator, cornwall, "Cornwall general")
        .await
        .room_id;
    let mut c_ws = app.ws(&w.coordinator).await;
    let mut s_ws = app.ws(&w.staff).await;
    let mut n_ws = app.ws(&w.stranger).await;
    let (said, seq) = say(
        &mut s_ws,
        general,
        "s1",
        "We will submit the joint bid by 31 March.",
    )
    .await;
    let (other, _) = say(&mut c_ws, elsewhere, "c1", "Only for Cornwall.").await;

    // A decision made from the message links back to it, and every connected
    // member hears of it; a connected outsider does not.
    let mut from_message = record(RecordKind::Decision, "Submit the joint bid by 31 March");
    from_message.message_id = Some(said);
    let decision: RecordView = json(
        create_record(&app, &w.staff, id, &from_message).await,
        StatusCode::CREATED,
    )
    .await;
    let source = decision.source.as_ref().expect("source");
    assert_eq!(source.message_id, said);
    assert_eq!(source.room_id, general);
    assert_eq!(source.seq, seq);
    assert_eq!(source.room_title, "General");
    assert_eq!(source.author.id, w.staff.id);
    assert!(source.excerpt.contains("joint bid"), "{source:?}");
    assert_eq!(decision.created_by.id, w.staff.id);
    assert!(decision.may_delete);
    assert!(!decision.overdue);
    s_ws.next_matching(is_records_change(id)).await;
    c_ws.next_matching(is_records_change(id)).await;
    n_ws.expect_none(|m| matches!(m, ServerMsg::CoopChanged { .. }), QUIET)
        .await;

    // A message in another co-op's room cannot become this co-op's record,
    // and one in a room the caller is not in is not there at all.
    let mut wrong = record(RecordKind::Decision, "Cornwall's business");
    wrong.message_id = Some(other);
    let e = error(
        create_record(&app, &w.coordinator, id, &wrong).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("message_id"));
    error(
        create_record(&app, &w.staff, id, &wrong).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Nor can a message in a direct conversation.
    let direct = app.direct_room(&w.coordinator, w.staff.id).await.id;
    let (private, _) = say(&mut c_ws, direct, "c2", "Just between us.").await;
    wrong.message_id = Some(private);
    let e = error(
        create_record(&app, &w.staff, id, &wrong).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("message_id"));
    wrong.message_id = Some(i64::from(i32::MAX));
    error(
        create_record(&app, &w.staff, id, &wrong).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Owners belong to the co-op: a member organisation or one of its people.
    let today = Utc::now().date_naive();
    let mut action = record(RecordKind::Action, "Draft the budget");
    for owner in [
        Owner::Person {
            user_id: w.stranger.id,
        },
        Owner::Organisation {
            organisation_id: w.tamar.id,
        },
    ] {
        action.owner = Some(owner);
        let e = error(
            create_record(&app, &w.coordinator, id, &action).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(e.field.as_deref(), Some("owner"));
    }
    let mut owned_decision = record(RecordKind::Decision, "Decided, with an owner");
    owned_decision.owner = Some(Owner::Person {
        user_id: w.staff.id,
    });
    error(
        create_record(&app, &w.coordinator, id, &owned_decision).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;

    // Three open actions: due tomorrow (Harbour Arts), due yesterday (the
    // staff member), and undated.
    action.owner = Some(Owner::Organisation {
        organisation_id: w.harbour.id,
    });
    action.due_on = Some(today.succ_opt().expect("tomorrow"));
    let tomorrow: RecordView = json(
        create_record(&app, &w.coordinator, id, &action).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!tomorrow.overdue);
    assert!(matches!(
        &tomorrow.owner,
        Some(OwnerView::Organisation { organisation }) if organisation.name == "Harbour Arts"
    ));
    let mut late = record(RecordKind::Action, "Ask the ICB for the bid template");
    late.owner = Some(Owner::Person {
        user_id: w.staff.id,
    });
    late.due_on = Some(today.pred_opt().expect("yesterday"));
    let yesterday: RecordView = json(
        create_record(&app, &w.coordinator, id, &late).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(yesterday.overdue);
    assert_eq!(yesterday.status, ActionStatus::Open);
    let undated: RecordView = json(
        create_record(
            &app,
            &w.staff,
            id,
            &record(RecordKind::Action, "Find a venue"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!undated.overdue);

    // Those given an action are told: a person, and an organisation's leads.
    let told = coop_notes(&app, &w.staff, id).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].contains("Ask the ICB for the bid template"),
        "{told:?}"
    );
    let told = coop_notes(&app, &w.lead, id).await;
    assert!(told[0].contains("Draft the budget"), "{told:?}");

    let log = records(&app, &w.staff, id).await;
    assert_eq!(
        ids(&log.open_actions),
        [yesterday.id, tomorrow.id, undated.id]
    );
    assert!(log.closed_actions.is_empty());
    assert_eq!(ids(&log.decisions), [decision.id]);
    let overdue: Vec<bool> = log.open_actions.iter().map(|r| r.overdue).collect();
    assert_eq!(overdue, [true, false, false]);
    // The staff member may delete only what they wrote; the coordinator anything.
    assert!(!log.open_actions[0].may_delete && log.open_actions[2].may_delete);
    assert!(
        records(&app, &w.coordinator, id)
            .await
            .open_actions
            .iter()
            .all(|r| r.may_delete)
    );

    // Done: off the open list, onto the closed one, no longer overdue.
    let done: RecordView = json(
        app.put(
            &format!("/api/coop-records/{}", yesterday.id),
            Some(&w.staff),
            &UpdateRecord {
                status: Some(ActionStatus::Done),
                ..UpdateRecord::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done.status, ActionStatus::Done);
    assert!(!done.overdue);
    assert_eq!(done.updated_by.as_ref().map(|u| u.id), Some(w.staff.id));
    s_ws.next_matching(is_records_change(id)).await;
    let log = records(&app, &w.coordinator, id).await;
    assert_eq!(ids(&log.open_actions), [tomorrow.id, undated.id]);
    assert_eq!(ids(&log.closed_actions), [yesterday.id]);

    // Given to someone else: they are told; an outsider cannot be given it;
    // a decision takes no status.
    let e = error(
        app.put(
            &format!("/api/coop-records/{}", undated.id),
            Some(&w.staff),
            &UpdateRecord {
                owner: Some(Owner::Person {
                    user_id: w.stranger.id,
                }),
                ..UpdateRecord::default()
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("owner"));
    let given: RecordView = json(
        app.put(
            &format!("/api/coop-records/{}", undated.id),
            Some(&w.staff),
            &UpdateRecord {
                owner: Some(Owner::Person {
                    user_id: w.coordinator.id,
                }),
                due_on: Some(today),
                ..UpdateRecord::default()
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(given.due_on, Some(today));
    assert!(!given.overdue, "due today is not overdue yet");
    let told = coop_notes(&app, &w.coordinator, id).await;
    assert!(told[0].contains("Find a venue"), "{told:?}");
    error(
        app.put(
            &format!("/api/coop-records/{}", decision.id),
            Some(&w.staff),
            &UpdateRecord {
                status: Some(ActionStatus::Done),
                ..UpdateRecord::default()
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let log = records(&app, &w.staff, id).await;
    assert_eq!(ids(&log.open_actions), [given.id, tomorrow.id]);
    n_ws.expect_none(|m| matches!(m, ServerMsg::CoopChanged { .. }), QUIET)
        .await;
}

/// A whole-second UTC time `days` from today at `h:m`.
fn at(days: i64, h: u32, m: u32) -> DateTime<Utc> {
    let day = Utc::now().date_naive() + chrono::Duration::days(days);
    Utc.from_utc_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
}

async fn create_event(
    app: &TestApp,
    who: &TestUser,
    coop: i64,
    event: &SaveEvent,
) -> reqwest::Response {
    app.post(&format!("/api/coops/{coop}/events"), Some(who), event)
        .await
}

/// Fetch a calendar (with `who`'s session, or with none at all) and parse it.
async fn calendar(res: reqwest::Response) -> (String, icalendar::Calendar) {
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("text/calendar"),
        "content type {content_type}"
    );
    let text = res.text().await.expect("body");
    for physical in text.split("\r\n") {
        assert!(
            physical.len() <= 75,
            "{} octets: {physical:?}",
            physical.len()
        );
    }
    let parsed: icalendar::Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("not a calendar ({e}):\n{text}"));
    (text, parsed)
}

fn summaries(cal: &icalendar::Calendar) -> Vec<String> {
    let mut out: Vec<String> = cal
        .events()
        .filter_map(|e| e.get_summary().map(str::to_owned))
        .collect();
    out.sort();
    out
}

fn event_titled<'a>(cal: &'a icalendar::Calendar, title: &str) -> &'a icalendar::Event {
    cal.events()
        .find(|e| e.get_summary() == Some(title))
        .unwrap_or_else(|| panic!("no event {title:?} in {:?}", summaries(cal)))
}

async fn events_read_back_through_a_calendar_parser_and_the_private_feed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;
    let mut s_ws = app.ws(&w.staff).await;

    let deadline_day: NaiveDate = at(20, 0, 0).date_naive();
    let deadline = SaveEvent {
        title: "Bid deadline: ICB wellbeing fund, round 2; no extensions".into(),
        kind: EventKind::Deadline,
        starts_at: at(20, 17, 0),
        ends_at: None,
        all_day: true,
        place: String::new(),
        link: "https://funder.example/round-2".into(),
        description: String::new(),
    };
    let description = "Agenda:\n1. Budget; roles, dates\n2. Who writes what, \
                       and by when\n\nBring the Café Zoë figures — naïve totals \
                       are fine. Ünïcödé ✓ 東京 and a backslash \\ too."
        .to_owned();
    let meeting = SaveEvent {
        title: "Steering group — Café Zoë, Plymouth; all welcome".into(),
        kind: EventKind::Meeting,
        starts_at: at(3, 10, 0),
        ends_at: Some(at(3, 11, 30)),
        all_day: false,
        place: "Room 2, The Hub; Level 3".into(),
        link: "https://meet.example/steering?x=1,2".into(),
        description: description.clone(),
    };

    // Links must be web links.
    let bad = SaveEvent {
        link: "javascript:alert(1)".into(),
        ..meeting.clone()
    };
    let e = error(
        create_event(&app, &w.staff, id, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("link"));

    let made: EventView = json(
        create_event(&app, &w.staff, id, &deadline).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made.event, deadline);
    assert!(made.may_edit);
    s_ws.next_matching(|m| {
        matches!(m, ServerMsg::CoopChanged { coop_id, part: CoopPart::Events } if *coop_id == id)
    })
    .await;
    let made: EventView = json(
        create_event(&app, &w.coordinator, id, &meeting).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made.event, meeting);
    let listed: EventsResponse = json(
        app.get(&format!("/api/coops/{id}/events"), Some(&w.staff))
            .await,
        StatusCode::OK,
    )
    .await;
    let titles: Vec<&str> = listed
        .events
        .iter()
        .map(|e| e.event.title.as_str())
        .collect();
    assert_eq!(titles, [meeting.title.as_str(), deadline.title.as_str()]);
    assert!(!listed.events[0].may_edit && listed.events[1].may_edit);

    // Another co-op's event, which none of Harbour Arts' staff should get.
    let cornwall = app
        .create_coop(
            &w.admin,
            "East Cornwall Co-op",
            "Liskeard",
            &[w.coordinator.id],
        )
        .await
        .id;
    let agm = SaveEvent {
        title: "Cornwall AGM".into(),
        kind: EventKind::Meeting,
        starts_at: at(5, 18, 0),
        ends_at: None,
        all_day: false,
        place: String::new(),
        link: String::new(),
        description: String::new(),
    };
    json::<EventView>(
        create_event(&app, &w.coordinator, cornwall, &agm).await,
        StatusCode::CREATED,
    )
    .await;

    // The download, read back by a calendar parser.
    let (raw, cal) = calendar(
        app.get(&format!("/api/coops/{id}/calendar.ics"), Some(&w.staff))
            .await,
    )
    .await;
    let mut want = vec![deadline.title.clone(), meeting.title.clone()];
    want.sort();
    assert_eq!(summaries(&cal), want);
    assert!(raw.contains("\r\n "), "long lines are folded:\n{raw}");

    let all_day = event_titled(&cal, &deadline.title);
    assert_eq!(
        all_day.get_start(),
        Some(DatePerhapsTime::Date(deadline_day))
    );
    let start = all_day.properties().get("DTSTART").expect("DTSTART");
    assert_eq!(start.value_type(), Some(ValueType::Date));
    assert_eq!(
        all_day.get_end(),
        Some(DatePerhapsTime::Date(
            deadline_day.succ_opt().expect("next day")
        ))
    );
    assert_eq!(all_day.get_url(), Some("https://funder.example/round-2"));
    assert_eq!(all_day.get_location(), None);

    let timed = event_titled(&cal, &meeting.title);
    assert_eq!(
        timed.get_start(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
            meeting.starts_at
        )))
    );
    assert_eq!(
        timed.get_end(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
            meeting.ends_at.expect("end")
        )))
    );
    assert_eq!(timed.get_location(), Some("Room 2, The Hub; Level 3"));
    assert_eq!(timed.get_url(), Some("https://meet.example/steering?x=1,2"));
    let read_back = timed.get_description().expect("description");
    assert!(
        read_back.contains(&description),
        "{read_back:?} should hold {description:?}"
    );
    assert!(read_back.starts_with("Meeting of Plymouth Wellbeing Co-op."));
    let uids: Vec<&str> = cal.events().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0], uids[1]);

    // The private feed: fetched with no session at all, like a calendar app.
    let feed: CalendarFeed = json(
        app.post("/api/calendar/feed", Some(&w.staff), &serde_json::json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        feed.path.starts_with("/api/calendar/") && feed.path.ends_with(".ics"),
        "{}",
        feed.path
    );
    let anonymous = reqwest::Client::new();
    let fetch = |path: &str| anonymous.get(app.url(path)).send();
    let (_, cal) = calendar(fetch(&feed.path).await.expect("feed")).await;
    assert_eq!(summaries(&cal), want, "only the staff member's co-ops");
    // The coordinator's feed has both co-ops' events.
    let theirs: CalendarFeed = json(
        app.post(
            "/api/calendar/feed",
            Some(&w.coordinator),
            &serde_json::json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let (_, cal) = calendar(fetch(&theirs.path).await.expect("feed")).await;
    assert_eq!(cal.events().count(), 3);
    assert!(summaries(&cal).contains(&"Cornwall AGM".to_owned()));

    // A new address replaces the old one.
    let renewed: CalendarFeed = json(
        app.post("/api/calendar/feed", Some(&w.staff), &serde_json::json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(renewed.path, feed.path);
    let old = fetch(&feed.path).await.expect("old feed");
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    let (_, cal) = calendar(fetch(&renewed.path).await.expect("feed")).await;
    assert_eq!(cal.events().count(), 2);

    // Membership is read when the feed is fetched: after leaving, nothing.
    app.leave_coop(&w.lead, id, w.harbour.id).await;
    let (_, cal) = calendar(fetch(&renewed.path).await.expect("feed")).await;
    assert_eq!(cal.events().count(), 0, "{:?}", summaries(&cal));
    // The coordinator still has them.
    let (_, cal) = calendar(fetch(&theirs.path).await.expect("feed")).await;
    assert_eq!(cal.events().count(), 3);
}
