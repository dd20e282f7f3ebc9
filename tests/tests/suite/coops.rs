//! Local co-operatives through the real API and websocket on both databases:
//! membership by request and invitation to leaving, every route for every
//! role, rooms that follow membership live, co-op threads, the network
//! picture, and signed-out callers.

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json as body};
use shared::api::coops::{
    CoopCard, CoopRequestView, CoopRequestsResponse, CoopRoom, CoopView, CreateCoopRequest,
    HistoryAction, HistoryEntry, ListCoopsResponse, OrgRef, RequestKind, RequestStatus,
    UpdateCoopRoom,
};
use shared::api::network::{LinkKind, NetworkLink, NetworkResponse, NodeKind, NodeRef};
use shared::api::notifications::{ListNotificationsResponse, NotificationKind, NotificationView};
use shared::api::search::{SearchHitPlace, SearchResponse};
use shared::api::threads::{CreateThread, ListThreadsResponse, ThreadResponse, Visibility};
use shared::taxonomy::{ActivityType, Depth, LifecycleAction, Priority, Topic};
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::coops::{CoopWorld, save_coop};
use crate::harness::programme::mentor_profile;
use crate::harness::{Backend, TestApp, TestUser, error, json};

both!(
    membership_by_request_and_invitation_through_to_leaving,
    every_route_answers_each_role_as_documented,
    rooms_follow_membership_over_live_sockets,
    coop_threads_are_read_only_by_the_coops_people,
    the_network_shows_mentorships_only_to_those_in_them,
    signed_out_callers_are_refused_on_every_coop_route,
    the_demo_world_has_two_coops_with_their_log_and_events,
);

/// The short wait for something that must not arrive.
const QUIET: Duration = Duration::from_millis(500);

async fn directory(app: &TestApp, who: &TestUser, locality: Option<&str>) -> Vec<CoopCard> {
    let path = match locality {
        Some(l) => format!("/api/coops?locality={l}"),
        None => "/api/coops".to_owned(),
    };
    let list: ListCoopsResponse = json(app.get(&path, Some(who)).await, StatusCode::OK).await;
    list.coops
}

async fn waiting(app: &TestApp, who: &TestUser) -> Vec<CoopRequestView> {
    let res: CoopRequestsResponse = json(
        app.get("/api/coop-requests", Some(who)).await,
        StatusCode::OK,
    )
    .await;
    res.requests
}

/// `who`'s co-op notifications about `coop`, newest first.
async fn coop_notes(app: &TestApp, who: &TestUser, coop: i64) -> Vec<NotificationView> {
    let list: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(who)).await,
        StatusCode::OK,
    )
    .await;
    list.notifications
        .into_iter()
        .filter(|n| n.kind == NotificationKind::Coop && n.coop_id == Some(coop))
        .collect()
}

/// The history entry for `action` about `org`, if any.
fn entry(view: &CoopView, action: HistoryAction, org: i64) -> Option<&HistoryEntry> {
    view.history
        .iter()
        .find(|h| h.action == action && h.organisation.as_ref().map(|o| o.id) == Some(org))
}

fn member_ids(view: &CoopView) -> Vec<i64> {
    view.members.iter().map(|m| m.organisation.id).collect()
}

async fn membership_by_request_and_invitation_through_to_leaving(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    let coop = w.coop_path();

    // Only the programme team creates co-ops, and only with a coordinator.
    error(
        app.post(
            "/api/coops",
            Some(&w.coordinator),
            &save_coop("Truro Co-op", "Truro", &[w.coordinator.id]),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let e = error(
        app.post(
            "/api/coops",
            Some(&w.admin),
            &save_coop("Truro Co-op", "Truro", &[]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("coordinator_ids"));
    let e = error(
        app.post(
            "/api/coops",
            Some(&w.admin),
            &save_coop("Plymouth Wellbeing Co-op", "Truro", &[w.coordinator.id]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("name"), "names are unique");
    let truro = app
        .create_coop(&w.admin, "Truro Co-op", "Truro", &[w.coordinator.id])
        .await;
    let e = error(
        app.put(
            &format!("/api/coops/{}", truro.id),
            Some(&w.coordinator),
            &save_coop("Plymouth Wellbeing Co-op", "Truro", &[]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("name"));
    let e = error(
        app.post(
            &format!("/api/coops/{}/coordinators", truro.id),
            Some(&w.coordinator),
            &shared::api::coops::AddCoordinator { user_id: 999_999 },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("user_id"));
    error(
        app.delete_with(
            &format!("/api/coops/{}/coordinators/{}", truro.id, w.lead.id),
            Some(&w.coordinator),
            &body!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let ids: Vec<i64> = w.coop.coordinators.iter().map(|c| c.id).collect();
    assert_eq!(ids, [w.coordinator.id]);
    assert!(w.coop.members.is_empty());
    let created: Vec<HistoryAction> = w.coop.history.iter().map(|h| h.action).collect();
    assert_eq!(
        created,
        [HistoryAction::CoordinatorAdded, HistoryAction::Created]
    );
    assert_eq!(coop_notes(&app, &w.coordinator, id).await.len(), 1);

    // The directory, with counts and the caller's badges; filtered by place.
    let cards = directory(&app, &w.coordinator, None).await;
    let names: Vec<&str> = cards.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Plymouth Wellbeing Co-op", "Truro Co-op"]);
    assert_eq!(cards[0].member_count, 0);
    assert!(cards[0].is_member && cards[0].is_coordinator);
    let cards = directory(&app, &w.lead, None).await;
    assert!(!cards[0].is_member && !cards[0].is_coordinator);
    assert_eq!(directory(&app, &w.lead, Some("PLYM")).await.len(), 1);
    assert!(directory(&app, &w.lead, Some("Aberdeen")).await.is_empty());

    // A lead is offered to ask for their organisation; other staff are not.
    let seen = app.coop(&w.lead, id).await;
    assert_eq!(
        seen.viewer.may_request_for,
        [OrgRef {
            id: w.harbour.id,
            name: "Harbour Arts".into()
        }]
    );
    assert!(!seen.viewer.member && !seen.viewer.coordinator);
    assert!(
        app.coop(&w.staff, id)
            .await
            .viewer
            .may_request_for
            .is_empty()
    );

    // Staff who do not lead cannot ask; the lead can, once.
    error(
        app.ask_to_join(&w.staff, id, w.harbour.id, "").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let asked: CoopRequestView = json(
        app.ask_to_join(&w.lead, id, w.harbour.id, "We run arts sessions.")
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(asked.kind, RequestKind::Request);
    assert_eq!(asked.status, RequestStatus::Pending);
    assert_eq!(asked.created_by.id, w.lead.id);
    assert_eq!(asked.message, "We run arts sessions.");
    assert!(asked.may_withdraw && !asked.may_decide);
    error(
        app.ask_to_join(&w.lead, id, w.harbour.id, "Again").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        app.coop(&w.lead, id)
            .await
            .viewer
            .may_request_for
            .is_empty()
    );

    // The coordinator is told, and finds it waiting for them.
    let told = coop_notes(&app, &w.coordinator, id).await;
    assert_eq!(told.len(), 2);
    assert_eq!(told[0].actor.id, w.lead.id);
    assert!(told[0].excerpt.contains("Harbour Arts"), "{told:?}");
    let mine = waiting(&app, &w.coordinator).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, asked.id);
    assert!(mine[0].may_decide && !mine[0].may_withdraw);
    let home = app.coop(&w.coordinator, id).await;
    assert_eq!(home.requests.len(), 1);
    assert_eq!(home.requests[0].id, asked.id);
    assert!(home.requests[0].may_decide);
    // The lead sees their own request (to withdraw); their staff nothing to act on.
    let theirs = waiting(&app, &w.lead).await;
    assert_eq!(theirs.len(), 1);
    assert!(theirs[0].may_withdraw && !theirs[0].may_decide);
    assert!(waiting(&app, &w.staff).await.is_empty());
    assert!(waiting(&app, &w.stranger).await.is_empty());

    // The lead cannot admit their own request; a stranger finds nothing;
    // declining needs a reason.
    error(
        app.decide_coop_request(&w.lead, asked.id, true, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    error(
        app.decide_coop_request(&w.stranger, asked.id, true, None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let e = error(
        app.decide_coop_request(&w.coordinator, asked.id, false, None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));

    // Admitted.
    let admitted: CoopRequestView = json(
        app.decide_coop_request(&w.coordinator, asked.id, true, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(admitted.status, RequestStatus::Accepted);
    assert_eq!(
        admitted.decided_by.as_ref().map(|u| u.id),
        Some(w.coordinator.id)
    );
    assert!(!admitted.may_decide && !admitted.may_withdraw);
    error(
        app.decide_coop_request(&w.coordinator, asked.id, true, None)
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let lead_told = coop_notes(&app, &w.lead, id).await;
    assert_eq!(lead_told.len(), 1, "{lead_told:?}");
    assert_eq!(lead_told[0].actor.id, w.coordinator.id);
    assert!(lead_told[0].excerpt.contains("admitted Harbour Arts"));

    let home = app.coop(&w.coordinator, id).await;
    assert_eq!(member_ids(&home), [w.harbour.id]);
    assert_eq!(home.members[0].locality, "Plymouth");
    assert!(home.requests.is_empty());
    let requested = entry(&home, HistoryAction::Requested, w.harbour.id).expect("requested");
    assert_eq!(requested.actor.id, w.lead.id);
    let admitted_entry = entry(&home, HistoryAction::Admitted, w.harbour.id).expect("admitted");
    assert_eq!(admitted_entry.actor.id, w.coordinator.id);
    assert!(
        admitted_entry.id > requested.id,
        "newest first: {:?}",
        home.history
    );
    assert!(home.history.windows(2).all(|pair| pair[0].id > pair[1].id));
    assert!(
        app.coop(&w.stranger, id).await.history.is_empty(),
        "reasons and changes are for the co-op's people and the programme team"
    );
    let staff_view = app.coop(&w.staff, id).await;
    assert!(staff_view.viewer.member && !staff_view.viewer.coordinator);
    assert!(staff_view.viewer.leads_members.is_empty());
    assert_eq!(
        app.coop(&w.lead, id).await.viewer.leads_members,
        [w.harbour.id]
    );
    let cards = directory(&app, &w.staff, None).await;
    assert_eq!(cards[0].member_count, 1);
    assert!(cards[0].is_member && !cards[0].is_coordinator);
    // Already a member: asking again, or inviting, is a conflict.
    error(
        app.ask_to_join(&w.lead, id, w.harbour.id, "").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let invite_harbour = CreateCoopRequest {
        organisation_id: w.harbour.id,
        message: String::new(),
    };
    error(
        app.post(
            &format!("{coop}/invites"),
            Some(&w.coordinator),
            &invite_harbour,
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // An organisation waiting for the programme team's approval can neither
    // ask nor be invited.
    let new_lead = app.user("Nessa Penhale").await;
    let waiting_org = app
        .organisation(&new_lead, "New Roots", "Plymouth", &[])
        .await;
    assert!(
        app.coop(&new_lead, id)
            .await
            .viewer
            .may_request_for
            .is_empty()
    );
    error(
        app.ask_to_join(&new_lead, id, waiting_org.id, "").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let e = error(
        app.post(
            &format!("{coop}/invites"),
            Some(&w.coordinator),
            &CreateCoopRequest {
                organisation_id: waiting_org.id,
                message: String::new(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("organisation_id"));

    // The invitation path: the coordinator invites, the organisation's lead accepts.
    let invited: CoopRequestView = json(
        app.post(
            &format!("{coop}/invites"),
            Some(&w.coordinator),
            &CreateCoopRequest {
                organisation_id: w.tamar.id,
                message: "Join our bid?".into(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(invited.kind, RequestKind::Invite);
    assert!(invited.may_withdraw && !invited.may_decide);
    let for_them = waiting(&app, &w.other_lead).await;
    assert_eq!(for_them.len(), 1);
    assert!(for_them[0].may_decide && !for_them[0].may_withdraw);
    assert_eq!(for_them[0].coop_name, "Plymouth Wellbeing Co-op");
    assert_eq!(coop_notes(&app, &w.other_lead, id).await.len(), 1);
    // Invited already: asking as well is a conflict; the inviter cannot accept.
    error(
        app.ask_to_join(&w.other_lead, id, w.tamar.id, "").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    error(
        app.decide_coop_request(&w.coordinator, invited.id, true, None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let accepted: CoopRequestView = json(
        app.decide_coop_request(&w.other_lead, invited.id, true, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted.status, RequestStatus::Accepted);
    let home = app.coop(&w.coordinator, id).await;
    assert_eq!(member_ids(&home), [w.harbour.id, w.tamar.id]);
    let invited_entry = entry(&home, HistoryAction::Invited, w.tamar.id).expect("invited");
    assert_eq!(invited_entry.actor.id, w.coordinator.id);
    let joined = entry(&home, HistoryAction::Admitted, w.tamar.id).expect("admitted");
    assert_eq!(joined.actor.id, w.other_lead.id);
    let told = coop_notes(&app, &w.coordinator, id).await;
    assert!(
        told[0].excerpt.contains("accepted the invitation"),
        "{told:?}"
    );

    // Withdrawing: by the side that sent it, and only while pending.
    let moor_lead = app.user("Morwenna Pascoe").await;
    let moor = app
        .approved_organisation(
            &w.admin,
            &moor_lead,
            "Moor Meadows",
            "Tavistock",
            &[(Topic::InclusionAndOutreach, Priority::Low)],
        )
        .await;
    let asked: CoopRequestView = json(
        app.ask_to_join(&moor_lead, id, moor.id, "").await,
        StatusCode::CREATED,
    )
    .await;
    let withdraw = |r: i64| format!("/api/coop-requests/{r}/withdraw");
    error(
        app.post(&withdraw(asked.id), Some(&w.coordinator), &body!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let gone: CoopRequestView = json(
        app.post(&withdraw(asked.id), Some(&moor_lead), &body!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gone.status, RequestStatus::Withdrawn);
    error(
        app.post(&withdraw(asked.id), Some(&moor_lead), &body!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let invited: CoopRequestView = json(
        app.post(
            &format!("{coop}/invites"),
            Some(&w.coordinator),
            &CreateCoopRequest {
                organisation_id: moor.id,
                message: String::new(),
            },
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    error(
        app.post(&withdraw(invited.id), Some(&moor_lead), &body!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let gone: CoopRequestView = json(
        app.post(&withdraw(invited.id), Some(&w.coordinator), &body!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gone.status, RequestStatus::Withdrawn);
    assert!(waiting(&app, &moor_lead).await.is_empty());

    // Declined, with the reason kept and passed on.
    let asked: CoopRequestView = json(
        app.ask_to_join(&moor_lead, id, moor.id, "").await,
        StatusCode::CREATED,
    )
    .await;
    let declined: CoopRequestView = json(
        app.decide_coop_request(&w.coordinator, asked.id, false, Some("Outside our area"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined.status, RequestStatus::Declined);
    assert_eq!(declined.reason.as_deref(), Some("Outside our area"));
    let told = coop_notes(&app, &moor_lead, id).await;
    assert!(told[0].excerpt.contains("Outside our area"), "{told:?}");
    let home = app.coop(&w.coordinator, id).await;
    assert_eq!(member_ids(&home), [w.harbour.id, w.tamar.id]);
    let withdrawn = home
        .history
        .iter()
        .filter(|h| h.action == HistoryAction::Withdrawn)
        .count();
    assert_eq!(withdrawn, 2);
    let declined_entry = entry(&home, HistoryAction::Declined, moor.id).expect("declined");
    assert_eq!(declined_entry.detail.as_deref(), Some("Outside our area"));

    // Leaving and removal.
    let members = |org: i64| format!("{coop}/members/{org}");
    error(
        app.delete_with(&members(w.harbour.id), Some(&w.staff), &body!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let e = error(
        app.delete_with(&members(w.tamar.id), Some(&w.coordinator), &body!({}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    let after = app.leave_coop(&w.lead, id, w.harbour.id).await;
    assert_eq!(member_ids(&after), [w.tamar.id]);
    let after: CoopView = json(
        app.delete_with(
            &members(w.tamar.id),
            Some(&w.coordinator),
            &body!({ "reason": "Closed for the year" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(after.members.is_empty());
    error(
        app.delete_with(&members(w.harbour.id), Some(&w.lead), &body!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let left = entry(&after, HistoryAction::Left, w.harbour.id).expect("left");
    assert_eq!(left.actor.id, w.lead.id);
    let removed = entry(&after, HistoryAction::Removed, w.tamar.id).expect("removed");
    assert_eq!(removed.actor.id, w.coordinator.id);
    assert_eq!(removed.detail.as_deref(), Some("Closed for the year"));
    let told = coop_notes(&app, &w.other_lead, id).await;
    assert!(told[0].excerpt.contains("Closed for the year"), "{told:?}");
    let told = coop_notes(&app, &w.coordinator, id).await;
    assert!(
        told[0].excerpt.contains("took Harbour Arts out"),
        "{told:?}"
    );
    assert!(!app.coop(&w.staff, id).await.viewer.member);
    assert_eq!(directory(&app, &w.lead, None).await[0].member_count, 0);
}

/// `method path` with a JSON body (none for GET).
async fn call(
    app: &TestApp,
    method: &Method,
    path: &str,
    who: Option<&TestUser>,
    json_body: &Value,
) -> reqwest::Response {
    let req = app.request(method.clone(), path, who);
    let req = if *method == Method::GET {
        req
    } else {
        req.header(CONTENT_TYPE, "application/json")
            .body(json_body.to_string())
    };
    req.send().await.expect("request")
}

fn kind_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::UNPROCESSABLE_ENTITY => "validation",
        other => panic!("no error kind for {other}"),
    }
}

/// Send `method path` as each caller in turn (in order: refusals first, so
/// nothing has changed when they are tried) and check each answer's status
/// and, for refusals, its error kind. The last JSON answer is returned.
async fn expect(
    app: &TestApp,
    method: Method,
    path: &str,
    json_body: &Value,
    calls: &[(&TestUser, StatusCode)],
) -> Value {
    let mut last = Value::Null;
    for (who, status) in calls {
        let res = call(app, &method, path, Some(who), json_body).await;
        let actual = res.status();
        let text = res.text().await.expect("body");
        assert_eq!(actual, *status, "{method} {path} as {}: {text}", who.email);
        if actual.is_client_error() {
            let err: Value = serde_json::from_str(&text).expect("error body");
            assert_eq!(
                err["error"]["kind"],
                kind_of(actual),
                "{method} {path} as {}",
                who.email
            );
        } else if let Ok(v) = serde_json::from_str(&text) {
            last = v;
        }
    }
    last
}

fn event_body(title: &str, link: &str) -> Value {
    body!({
        "title": title,
        "kind": "meeting",
        "starts_at": chrono::Utc::now() + chrono::Duration::days(2),
        "place": "The Hub",
        "link": link,
    })
}

async fn every_route_answers_each_role_as_documented(backend: Backend) {
    use StatusCode as S;
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;
    let (c, s, n, a) = (&w.coordinator, &w.staff, &w.stranger, &w.admin);
    let coop = w.coop_path();
    let none = body!({});
    let everyone = |status: S| [(c, status), (s, status), (n, status), (a, status)];

    // The directory and a co-op's home are open to every signed-in person.
    expect(&app, Method::GET, "/api/coops", &none, &everyone(S::OK)).await;
    expect(&app, Method::GET, &coop, &none, &everyone(S::OK)).await;
    expect(
        &app,
        Method::GET,
        "/api/coops/999999",
        &none,
        &everyone(S::NOT_FOUND),
    )
    .await;

    // Creating a co-op: the programme team only.
    let new =
        serde_json::to_value(save_coop("Tavistock Co-op", "Tavistock", &[c.id])).expect("json");
    let tavistock = expect(
        &app,
        Method::POST,
        "/api/coops",
        &new,
        &[
            (c, S::FORBIDDEN),
            (s, S::FORBIDDEN),
            (n, S::FORBIDDEN),
            (a, S::CREATED),
        ],
    )
    .await["id"]
        .as_i64()
        .expect("co-op id");

    // Editing: its coordinators and the programme team.
    let edit = serde_json::to_value(save_coop(
        "Plymouth Wellbeing Co-op",
        "Plymouth and Saltash",
        &[],
    ))
    .expect("json");
    expect(
        &app,
        Method::PUT,
        &coop,
        &edit,
        &[(s, S::FORBIDDEN), (n, S::FORBIDDEN), (c, S::OK), (a, S::OK)],
    )
    .await;

    // Coordinators: added and removed by coordinators and the programme team;
    // the last one stays.
    let xan = app.user("Xan Trelawny").await;
    let yes = app.user("Yestin Hocking").await;
    let add = |u: &TestUser| body!({ "user_id": u.id });
    expect(
        &app,
        Method::POST,
        &format!("{coop}/coordinators"),
        &add(&xan),
        &[(s, S::FORBIDDEN), (n, S::FORBIDDEN), (c, S::OK)],
    )
    .await;
    expect(
        &app,
        Method::POST,
        &format!("{coop}/coordinators"),
        &add(&yes),
        &[(a, S::OK)],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &format!("{coop}/coordinators/{}", xan.id),
        &none,
        &[(s, S::FORBIDDEN), (n, S::FORBIDDEN), (c, S::OK)],
    )
    .await;
    let home = expect(
        &app,
        Method::DELETE,
        &format!("{coop}/coordinators/{}", yes.id),
        &none,
        &[(a, S::OK)],
    )
    .await;
    assert_eq!(home["coordinators"].as_array().map(Vec::len), Some(1));
    expect(
        &app,
        Method::DELETE,
        &format!("{coop}/coordinators/{}", c.id),
        &none,
        &[(a, S::CONFLICT), (c, S::CONFLICT)],
    )
    .await;

    // Asking to join: only a lead of the organisation.
    let ask = body!({ "organisation_id": w.tamar.id, "message": "" });
    let request = expect(
        &app,
        Method::POST,
        &format!("{coop}/requests"),
        &ask,
        &[
            (c, S::FORBIDDEN),
            (s, S::FORBIDDEN),
            (n, S::FORBIDDEN),
            (a, S::FORBIDDEN),
            (&w.other_lead, S::CREATED),
        ],
    )
    .await;
    let request = request["id"].as_i64().expect("request id");

    // Inviting: the coordinators only, not even the programme team.
    let moor_lead = app.user("Morwenna Pascoe").await;
    let moor = app
        .approved_organisation(&w.admin, &moor_lead, "Moor Meadows", "Tavistock", &[])
        .await;
    let invite = expect(
        &app,
        Method::POST,
        &format!("{coop}/invites"),
        &body!({ "organisation_id": moor.id }),
        &[
            (s, S::FORBIDDEN),
            (n, S::FORBIDDEN),
            (a, S::FORBIDDEN),
            (c, S::CREATED),
        ],
    )
    .await;
    let invite = invite["id"].as_i64().expect("invite id");

    // What waits for whom.
    expect(
        &app,
        Method::GET,
        "/api/coop-requests",
        &none,
        &everyone(S::OK),
    )
    .await;
    let ids = |rs: Vec<CoopRequestView>| rs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(waiting(&app, c).await), [request, invite]);
    for who in [s, n, a] {
        assert!(waiting(&app, who).await.is_empty(), "{}", who.email);
    }

    // Deciding a request: the coordinators; the other side and the programme
    // team are refused; strangers find nothing.
    expect(
        &app,
        Method::POST,
        &format!("/api/coop-requests/{request}/decide"),
        &body!({ "accept": true }),
        &[
            (s, S::NOT_FOUND),
            (n, S::NOT_FOUND),
            (a, S::FORBIDDEN),
            (&w.other_lead, S::FORBIDDEN),
            (c, S::OK),
        ],
    )
    .await;
    // Withdrawing an invitation: the side that sent it.
    expect(
        &app,
        Method::POST,
        &format!("/api/coop-requests/{invite}/withdraw"),
        &none,
        &[
            (s, S::NOT_FOUND),
            (n, S::NOT_FOUND),
            (a, S::FORBIDDEN),
            (&moor_lead, S::FORBIDDEN),
            (c, S::OK),
        ],
    )
    .await;

    // Rooms: the coordinators create and change them; members are refused,
    // and to everyone else a room is not there.
    let room = expect(
        &app,
        Method::POST,
        &format!("{coop}/rooms"),
        &body!({ "title": "General" }),
        &[
            (s, S::FORBIDDEN),
            (n, S::FORBIDDEN),
            (a, S::FORBIDDEN),
            (c, S::CREATED),
        ],
    )
    .await;
    let room = room["room_id"].as_i64().expect("room id");
    expect(
        &app,
        Method::PUT,
        &format!("{coop}/rooms/{room}"),
        &body!({ "title": "Everyone" }),
        &[
            (s, S::FORBIDDEN),
            (n, S::NOT_FOUND),
            (a, S::NOT_FOUND),
            (c, S::OK),
        ],
    )
    .await;
    // A room is changed only through its own co-op, even by one who
    // coordinates both.
    expect(
        &app,
        Method::PUT,
        &format!("/api/coops/{tavistock}/rooms/{room}"),
        &body!({ "archived": true }),
        &[(c, S::NOT_FOUND), (a, S::NOT_FOUND)],
    )
    .await;
    for (who, sees) in [(c, true), (s, true), (n, false), (a, false)] {
        let rooms = app.coop(who, id).await.rooms;
        assert_eq!(!rooms.is_empty(), sees, "{}: {rooms:?}", who.email);
    }

    // Decisions and actions: the co-op's people.
    let people_only = [(n, S::FORBIDDEN), (a, S::FORBIDDEN), (c, S::OK), (s, S::OK)];
    expect(
        &app,
        Method::GET,
        &format!("{coop}/records"),
        &none,
        &people_only,
    )
    .await;
    let decision = body!({ "kind": "decision", "text": "We bid jointly." });
    let by_staff = expect(
        &app,
        Method::POST,
        &format!("{coop}/records"),
        &decision,
        &[(n, S::FORBIDDEN), (a, S::FORBIDDEN), (s, S::CREATED)],
    )
    .await["id"]
        .as_i64()
        .expect("record");
    let by_coordinator = expect(
        &app,
        Method::POST,
        &format!("{coop}/records"),
        &decision,
        &[(c, S::CREATED)],
    )
    .await["id"]
        .as_i64()
        .expect("record");
    expect(
        &app,
        Method::PUT,
        &format!("/api/coop-records/{by_coordinator}"),
        &body!({ "text": "We bid jointly, by March." }),
        &[(n, S::NOT_FOUND), (a, S::NOT_FOUND), (s, S::OK), (c, S::OK)],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &format!("/api/coop-records/{by_coordinator}"),
        &none,
        &[
            (n, S::NOT_FOUND),
            (a, S::NOT_FOUND),
            (s, S::FORBIDDEN),
            (c, S::NO_CONTENT),
        ],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &format!("/api/coop-records/{by_staff}"),
        &none,
        &[(s, S::NO_CONTENT)],
    )
    .await;

    // Events: the co-op's people; changed by their author or a coordinator.
    expect(
        &app,
        Method::GET,
        &format!("{coop}/events"),
        &none,
        &people_only,
    )
    .await;
    expect(
        &app,
        Method::POST,
        &format!("{coop}/events"),
        &event_body("Steering group", "javascript:alert(1)"),
        &[(s, S::UNPROCESSABLE_ENTITY)],
    )
    .await;
    let meeting = event_body("Steering group", "https://meet.example/steering");
    let staff_event = expect(
        &app,
        Method::POST,
        &format!("{coop}/events"),
        &meeting,
        &[(n, S::FORBIDDEN), (a, S::FORBIDDEN), (s, S::CREATED)],
    )
    .await["id"]
        .as_i64()
        .expect("event");
    let coordinator_event = expect(
        &app,
        Method::POST,
        &format!("{coop}/events"),
        &meeting,
        &[(c, S::CREATED)],
    )
    .await["id"]
        .as_i64()
        .expect("event");
    expect(
        &app,
        Method::PUT,
        &format!("/api/coop-events/{coordinator_event}"),
        &meeting,
        &[
            (n, S::NOT_FOUND),
            (a, S::NOT_FOUND),
            (s, S::FORBIDDEN),
            (c, S::OK),
        ],
    )
    .await;
    expect(
        &app,
        Method::PUT,
        &format!("/api/coop-events/{staff_event}"),
        &meeting,
        &[(s, S::OK), (c, S::OK)],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &format!("/api/coop-events/{coordinator_event}"),
        &none,
        &[
            (n, S::NOT_FOUND),
            (a, S::NOT_FOUND),
            (s, S::FORBIDDEN),
            (c, S::NO_CONTENT),
        ],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &format!("/api/coop-events/{staff_event}"),
        &none,
        &[(s, S::NO_CONTENT)],
    )
    .await;

    // The calendar download and the private feed address.
    expect(
        &app,
        Method::GET,
        &format!("{coop}/calendar.ics"),
        &none,
        &people_only,
    )
    .await;
    expect(
        &app,
        Method::POST,
        "/api/calendar/feed",
        &none,
        &everyone(S::OK),
    )
    .await;

    // The network picture, and the co-op's threads.
    expect(&app, Method::GET, "/api/network", &none, &everyone(S::OK)).await;
    expect(
        &app,
        Method::GET,
        &format!("/api/threads?coop={id}"),
        &none,
        &people_only,
    )
    .await;

    // Leaving and removing: the lead leaves; coordinators and the programme
    // team remove, with a reason; nobody else.
    let members = |org: i64| format!("{coop}/members/{org}");
    expect(
        &app,
        Method::DELETE,
        &members(w.tamar.id),
        &none,
        &[
            (s, S::FORBIDDEN),
            (n, S::FORBIDDEN),
            (c, S::UNPROCESSABLE_ENTITY),
            (a, S::UNPROCESSABLE_ENTITY),
        ],
    )
    .await;
    let reason = body!({ "reason": "Closed for the year" });
    expect(
        &app,
        Method::DELETE,
        &members(w.tamar.id),
        &reason,
        &[(c, S::OK)],
    )
    .await;
    app.admit(c, &w.other_lead, id, w.tamar.id).await;
    expect(
        &app,
        Method::DELETE,
        &members(w.tamar.id),
        &reason,
        &[(a, S::OK)],
    )
    .await;
    expect(
        &app,
        Method::DELETE,
        &members(w.harbour.id),
        &none,
        &[(s, S::FORBIDDEN), (&w.lead, S::OK), (&w.lead, S::NOT_FOUND)],
    )
    .await;
    // Out now: the co-op's conversations are closed to the staff.
    expect(
        &app,
        Method::GET,
        &format!("{coop}/records"),
        &none,
        &[(s, S::FORBIDDEN), (&w.lead, S::FORBIDDEN), (c, S::OK)],
    )
    .await;
}

fn is_ack(id: &'static str) -> impl Fn(&ServerMsg) -> bool {
    move |m| matches!(m, ServerMsg::Ack { client_msg_id, .. } if client_msg_id == id)
}

fn is_error_for(id: &'static str) -> impl Fn(&ServerMsg) -> bool {
    move |m| matches!(m, ServerMsg::Error { client_msg_id: Some(c), .. } if c == id)
}

fn error_kind(msg: ServerMsg) -> shared::ErrorKind {
    match msg {
        ServerMsg::Error { error, .. } => error.kind,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn bodies(list: &shared::api::rooms::ListMessagesResponse) -> Vec<&str> {
    list.messages.iter().map(|m| m.body.as_str()).collect()
}

async fn rooms_follow_membership_over_live_sockets(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    let coop = w.coop_path();
    let mut c_ws = app.ws(&w.coordinator).await;
    let mut s_ws = app.ws(&w.staff).await;

    let general = app.coop_room(&w.coordinator, id, "General").await;
    assert_eq!(general.title, "General");
    assert!(!general.archived);
    let room = general.room_id;
    c_ws.send_text(room, "c1", "Welcome, everyone").await;
    c_ws.next_matching(is_ack("c1")).await;
    // Not a member yet: the staff member's socket heard nothing of it.
    s_ws.expect_none(|m| matches!(m, ServerMsg::Message(_)), QUIET)
        .await;
    error(
        app.history_of(&w.staff, room).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Admitted: the room arrives on the open socket, with its history.
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;
    match s_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomAdded { room: r } if r.id == room))
        .await
    {
        ServerMsg::RoomAdded { room: summary } => {
            assert_eq!(summary.title, "General");
            assert_eq!(summary.coop_id, Some(id));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        bodies(&app.messages(&w.staff, room).await),
        ["Welcome, everyone"]
    );
    let rooms = app.coop(&w.staff, id).await.rooms;
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].room_id, room);
    assert_eq!(rooms[0].unread_count, 1, "the welcome is new to them");
    s_ws.send_text(room, "s1", "Thanks from Harbour Arts").await;
    let thanks = match s_ws.next_matching(is_ack("s1")).await {
        ServerMsg::Ack { id, .. } => id,
        other => panic!("{other:?}"),
    };
    // The coordinator's socket hears its own message first, then this one.
    match c_ws
        .next_matching(|m| matches!(m, ServerMsg::Message(msg) if msg.author_id == w.staff.id))
        .await
    {
        ServerMsg::Message(m) => assert_eq!(m.body, "Thanks from Harbour Arts"),
        other => panic!("{other:?}"),
    }

    // The organisation leaves: the room is gone from the open socket at once,
    // and nothing more of it arrives there.
    app.leave_coop(&w.lead, id, w.harbour.id).await;
    s_ws.next_matching(|m| matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room))
        .await;
    c_ws.send_text(room, "c2", "After Harbour left").await;
    c_ws.next_matching(is_ack("c2")).await;
    s_ws.expect_none(
        |m| matches!(m, ServerMsg::Message(msg) if msg.body == "After Harbour left"),
        QUIET,
    )
    .await;
    error(
        app.history_of(&w.staff, room).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    s_ws.send_text(room, "s2", "Still here?").await;
    assert_eq!(
        error_kind(s_ws.next_matching(is_error_for("s2")).await),
        shared::ErrorKind::NotFound
    );
    assert!(app.coop(&w.staff, id).await.rooms.is_empty());
    // Search follows too: the room's messages are no longer theirs to find.
    assert!(
        search_messages(&app, &w.staff, "harbour+left")
            .await
            .is_empty()
    );
    assert_eq!(
        search_messages(&app, &w.coordinator, "harbour+left")
            .await
            .len(),
        1
    );
    assert_eq!(
        bodies(&app.messages(&w.coordinator, room).await),
        [
            "Welcome, everyone",
            "Thanks from Harbour Arts",
            "After Harbour left"
        ]
    );

    // Back in; someone who joins the staff later is in the room at once.
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;
    s_ws.next_matching(|m| matches!(m, ServerMsg::RoomAdded { room: r } if r.id == room))
        .await;
    let jo = app.user("Jo Penrose").await;
    let mut jo_ws = app.ws(&jo).await;
    app.join_staff(&w.lead, w.harbour.id, &jo).await;
    jo_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomAdded { room: r } if r.id == room))
        .await;
    assert_eq!(app.messages(&jo, room).await.messages.len(), 3);
    jo_ws.send_text(room, "j1", "Hello, I'm new").await;
    jo_ws.next_matching(is_ack("j1")).await;
    // Leaving the staff is leaving the rooms.
    let res = app
        .post(
            &format!("/api/organisations/{}/staff/{}/remove", w.harbour.id, jo.id),
            Some(&w.lead),
            &(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    jo_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room))
        .await;
    error(
        app.history_of(&jo, room).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Archived: history stays readable, posting is refused; restored: open again.
    let archived: CoopRoom = json(
        app.put(
            &format!("{coop}/rooms/{room}"),
            Some(&w.coordinator),
            &UpdateCoopRoom {
                title: None,
                archived: Some(true),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(archived.archived);
    s_ws.send_text(room, "s3", "Anyone?").await;
    assert_eq!(
        error_kind(s_ws.next_matching(is_error_for("s3")).await),
        shared::ErrorKind::Conflict
    );
    s_ws.send(&ClientMsg::Edit {
        message_id: thanks,
        body: "Thanks again".into(),
    })
    .await;
    assert_eq!(
        error_kind(
            s_ws.next_matching(|m| matches!(m, ServerMsg::Error { .. }))
                .await
        ),
        shared::ErrorKind::Conflict,
        "no edits in an archived room either"
    );
    c_ws.send_text(room, "c3", "Coordinators too?").await;
    assert_eq!(
        error_kind(c_ws.next_matching(is_error_for("c3")).await),
        shared::ErrorKind::Conflict
    );
    let history = app.messages(&w.staff, room).await;
    assert_eq!(history.messages.len(), 4);
    assert!(!bodies(&history).contains(&"Anyone?"));
    let home = app.coop(&w.staff, id).await;
    assert!(home.rooms[0].archived);
    // A second room sorts before the archived one.
    let news = app.coop_room(&w.coordinator, id, "News").await;
    let home = app.coop(&w.staff, id).await;
    let order: Vec<i64> = home.rooms.iter().map(|r| r.room_id).collect();
    assert_eq!(order, [news.room_id, room]);

    let restored: CoopRoom = json(
        app.put(
            &format!("{coop}/rooms/{room}"),
            Some(&w.coordinator),
            &UpdateCoopRoom {
                title: Some("Everyone".into()),
                archived: Some(false),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(!restored.archived);
    assert_eq!(restored.title, "Everyone");
    s_ws.send_text(room, "s4", "Open again").await;
    s_ws.next_matching(is_ack("s4")).await;
    let history: Vec<HistoryAction> = app
        .coop(&w.coordinator, id)
        .await
        .history
        .iter()
        .map(|h| h.action)
        .collect();
    for action in [
        HistoryAction::RoomCreated,
        HistoryAction::RoomArchived,
        HistoryAction::RoomRestored,
        HistoryAction::RoomRenamed,
    ] {
        assert!(history.contains(&action), "{action:?} in {history:?}");
    }

    // Coordinators are in the rooms while they coordinate, and stay when they
    // also belong another way.
    let xan = app.user("Xan Trelawny").await;
    let mut xan_ws = app.ws(&xan).await;
    let coordinators = format!("{coop}/coordinators");
    json::<CoopView>(
        app.post(
            &coordinators,
            Some(&w.coordinator),
            &body!({ "user_id": xan.id }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    xan_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomAdded { room: r } if r.id == room))
        .await;
    json::<CoopView>(
        app.delete_with(
            &format!("{coordinators}/{}", xan.id),
            Some(&w.coordinator),
            &body!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    xan_ws
        .next_matching(|m| matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room))
        .await;
    error(
        app.history_of(&xan, room).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    json::<CoopView>(
        app.post(
            &coordinators,
            Some(&w.coordinator),
            &body!({ "user_id": w.lead.id }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut lead_ws = app.ws(&w.lead).await;
    app.leave_coop(&w.lead, id, w.harbour.id).await;
    s_ws.next_matching(|m| matches!(m, ServerMsg::RoomRemoved { room_id } if *room_id == room))
        .await;
    lead_ws
        .expect_none(|m| matches!(m, ServerMsg::RoomRemoved { .. }), QUIET)
        .await;
    assert_eq!(app.messages(&w.lead, room).await.messages.len(), 5);
}

fn coop_thread(coop_id: i64) -> CreateThread {
    CreateThread {
        title: "Our joint bid to the hospice consortium".into(),
        body: "Draft budget for the hospice bid attached; comments by Friday.".into(),
        topics: vec![Topic::PartnershipsWithHealth],
        activity_types: vec![ActivityType::Arts],
        visibility: Visibility::Coop { coop_id },
        organisation_id: None,
    }
}

/// The messages `who` finds for `q`.
async fn search_messages(app: &TestApp, who: &TestUser, q: &str) -> Vec<i64> {
    let res: SearchResponse = json(
        app.get(&format!("/api/search?q={q}"), Some(who)).await,
        StatusCode::OK,
    )
    .await;
    res.hits
        .iter()
        .filter_map(|h| match &h.place {
            SearchHitPlace::Message { message_id, .. } => Some(*message_id),
            SearchHitPlace::Post { .. } => None,
        })
        .collect()
}

async fn threads_of(app: &TestApp, who: &TestUser) -> Vec<i64> {
    let list: ListThreadsResponse =
        json(app.get("/api/threads", Some(who)).await, StatusCode::OK).await;
    list.threads.iter().map(|t| t.id).collect()
}

async fn search_threads(app: &TestApp, who: &TestUser, q: &str) -> Vec<i64> {
    let res: SearchResponse = json(
        app.get(&format!("/api/search?q={q}"), Some(who)).await,
        StatusCode::OK,
    )
    .await;
    res.hits
        .iter()
        .filter_map(|h| match &h.place {
            SearchHitPlace::Post { thread_id, .. } => Some(*thread_id),
            SearchHitPlace::Message { .. } => None,
        })
        .collect()
}

async fn coop_threads_are_read_only_by_the_coops_people(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    app.admit(&w.coordinator, &w.lead, id, w.harbour.id).await;

    // Only the co-op's people may write one.
    error(
        app.post("/api/threads", Some(&w.other_lead), &coop_thread(id))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let t: ThreadResponse = json(
        app.post("/api/threads", Some(&w.staff), &coop_thread(id))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let thread = t.thread.id;
    assert_eq!(t.thread.visibility, Visibility::Coop { coop_id: id });
    let path = format!("/api/threads/{thread}");

    // The co-op's people read it, in the lists and in search.
    for who in [&w.staff, &w.lead, &w.coordinator] {
        json::<ThreadResponse>(app.get(&path, Some(who)).await, StatusCode::OK).await;
        assert_eq!(threads_of(&app, who).await, [thread], "{}", who.email);
        assert_eq!(search_threads(&app, who, "hospice").await, [thread]);
        let listed: ListThreadsResponse = json(
            app.get(&format!("/api/threads?coop={id}"), Some(who)).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(listed.threads.len(), 1);
    }
    // Nobody else, not even the programme team.
    for who in [&w.other_lead, &w.admin, &w.stranger] {
        error(
            app.get(&path, Some(who)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert!(threads_of(&app, who).await.is_empty(), "{}", who.email);
        assert!(search_threads(&app, who, "hospice").await.is_empty());
        error(
            app.get(&format!("/api/threads?coop={id}"), Some(who)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }

    // Tamar Gardens is admitted: its lead reads it now.
    app.admit(&w.coordinator, &w.other_lead, id, w.tamar.id)
        .await;
    json::<ThreadResponse>(app.get(&path, Some(&w.other_lead)).await, StatusCode::OK).await;
    assert_eq!(threads_of(&app, &w.other_lead).await, [thread]);
    assert_eq!(
        search_threads(&app, &w.other_lead, "hospice").await,
        [thread]
    );
    // Harbour Arts leaves: its staff no longer do.
    app.leave_coop(&w.lead, id, w.harbour.id).await;
    error(
        app.get(&path, Some(&w.staff)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(threads_of(&app, &w.staff).await.is_empty());
    assert!(search_threads(&app, &w.staff, "hospice").await.is_empty());
    // The author still follows it, but replies no longer reach them.
    let replied = app
        .post(
            &format!("{path}/posts"),
            Some(&w.other_lead),
            &shared::api::threads::CreatePost {
                body: "Tamar Gardens can cover the venue.".into(),
                quote_post_id: None,
            },
        )
        .await;
    assert_eq!(replied.status(), StatusCode::CREATED);
    let notes: ListNotificationsResponse = json(
        app.get("/api/notifications", Some(&w.staff)).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        notes
            .notifications
            .iter()
            .all(|n| n.kind != NotificationKind::ThreadReply),
        "{notes:?}"
    );
    error(
        app.get(&path, Some(&w.admin)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

fn link(kind: LinkKind, from: (NodeKind, i64), to: (NodeKind, i64)) -> NetworkLink {
    NetworkLink {
        kind,
        from: NodeRef {
            kind: from.0,
            id: from.1,
        },
        to: NodeRef {
            kind: to.0,
            id: to.1,
        },
    }
}

async fn network(app: &TestApp, who: &TestUser, query: &str) -> NetworkResponse {
    json(
        app.get(&format!("/api/network{query}"), Some(who)).await,
        StatusCode::OK,
    )
    .await
}

fn node_keys(n: &NetworkResponse) -> Vec<(NodeKind, i64)> {
    n.nodes.iter().map(|n| (n.kind, n.id)).collect()
}

async fn the_network_shows_mentorships_only_to_those_in_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let plymouth = w.coop.id;
    let mentor = app.user("Ruth Mensah").await;
    app.apply_to_mentor(
        &mentor,
        &mentor_profile(&[(Topic::Safeguarding, Depth::Expert)], "Plymouth", 2),
    )
    .await;
    app.approve_mentor(&w.admin, mentor.id).await;
    let proposed = app.propose(&w.admin, w.harbour.id, mentor.id).await;
    let res = app
        .step(&mentor, proposed.id, LifecycleAction::Accept, None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A pending organisation stays off the picture.
    let pending_lead = app.user("Pat Pending").await;
    let pending = app
        .organisation(&pending_lead, "Pending Place", "Saltash", &[])
        .await;
    app.admit(&w.coordinator, &w.lead, plymouth, w.harbour.id)
        .await;
    let cornwall = app
        .create_coop(
            &w.admin,
            "East Cornwall Co-op",
            "Liskeard",
            &[w.coordinator.id],
        )
        .await
        .id;
    app.admit(&w.coordinator, &w.other_lead, cornwall, w.tamar.id)
        .await;

    let mentors = link(
        LinkKind::Mentors,
        (NodeKind::Mentor, mentor.id),
        (NodeKind::Organisation, w.harbour.id),
    );
    let harbour_in = link(
        LinkKind::MemberOf,
        (NodeKind::Organisation, w.harbour.id),
        (NodeKind::Coop, plymouth),
    );
    let tamar_in = link(
        LinkKind::MemberOf,
        (NodeKind::Organisation, w.tamar.id),
        (NodeKind::Coop, cornwall),
    );
    let everything = [
        (NodeKind::Organisation, w.harbour.id),
        (NodeKind::Organisation, w.tamar.id),
        (NodeKind::Mentor, mentor.id),
        (NodeKind::Coop, plymouth),
        (NodeKind::Coop, cornwall),
    ];
    for (who, sees_mentorship) in [
        (&w.admin, true),
        (&mentor, true),
        (&w.lead, true),
        (&w.staff, true),
        (&w.stranger, false),
        (&w.other_lead, false),
        (&w.coordinator, false),
    ] {
        let net = network(&app, who, "").await;
        let mut keys = node_keys(&net);
        keys.sort();
        let mut want = everything.to_vec();
        want.sort();
        assert_eq!(keys, want, "{}", who.email);
        assert!(!keys.contains(&(NodeKind::Organisation, pending.id)));
        assert_eq!(
            net.links.contains(&mentors),
            sees_mentorship,
            "{}: {:?}",
            who.email,
            net.links
        );
        assert!(net.links.contains(&harbour_in) && net.links.contains(&tamar_in));
        let expected_links = if sees_mentorship { 3 } else { 2 };
        assert_eq!(net.links.len(), expected_links, "{}", who.email);
    }
    let net = network(&app, &w.admin, "").await;
    let harbour = net
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::Organisation && n.id == w.harbour.id)
        .expect("harbour");
    assert_eq!(harbour.topics, [Topic::Safeguarding]);
    assert_eq!(harbour.locality, "Plymouth");
    let ruth = net
        .nodes
        .iter()
        .find(|n| n.kind == NodeKind::Mentor)
        .expect("mentor");
    assert_eq!(ruth.name, "Ruth Mensah");

    // A locality keeps the nodes there and their co-ops.
    let net = network(&app, &w.stranger, "?locality=saltash").await;
    assert_eq!(
        node_keys(&net),
        [
            (NodeKind::Organisation, w.tamar.id),
            (NodeKind::Coop, cornwall)
        ]
    );
    assert_eq!(net.links, std::slice::from_ref(&tamar_in));
    let net = network(&app, &w.admin, "?locality=Plymouth").await;
    assert_eq!(
        node_keys(&net),
        [
            (NodeKind::Organisation, w.harbour.id),
            (NodeKind::Mentor, mentor.id),
            (NodeKind::Coop, plymouth)
        ]
    );
    assert!(net.links.contains(&mentors) && net.links.contains(&harbour_in));
    let net = network(&app, &w.stranger, "?locality=Plymouth").await;
    assert!(!net.links.contains(&mentors));
    assert!(
        network(&app, &w.stranger, "?locality=Aberdeen")
            .await
            .nodes
            .is_empty()
    );

    // A topic keeps organisations needing it, mentors knowing it, and their co-ops.
    let net = network(&app, &w.stranger, "?topic=funding-and-sustainability").await;
    assert_eq!(
        node_keys(&net),
        [
            (NodeKind::Organisation, w.tamar.id),
            (NodeKind::Coop, cornwall)
        ]
    );
    let net = network(&app, &w.lead, "?topic=safeguarding").await;
    assert_eq!(
        node_keys(&net),
        [
            (NodeKind::Organisation, w.harbour.id),
            (NodeKind::Mentor, mentor.id),
            (NodeKind::Coop, plymouth)
        ]
    );
    assert_eq!(net.links.len(), 2);
    let net = network(&app, &w.stranger, "?topic=safeguarding&locality=saltash").await;
    assert!(net.nodes.is_empty() && net.links.is_empty());
    error(
        app.get("/api/network?topic=knitting", Some(&w.stranger))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

async fn signed_out_callers_are_refused_on_every_coop_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = CoopWorld::new(&app).await;
    let id = w.coop.id;
    let room = app.coop_room(&w.coordinator, id, "General").await.room_id;
    let asked: CoopRequestView = json(
        app.ask_to_join(&w.lead, id, w.harbour.id, "").await,
        StatusCode::CREATED,
    )
    .await;
    let r = asked.id;
    let (org, user) = (w.harbour.id, w.coordinator.id);
    let cases = [
        (Method::GET, "/api/coops".to_owned()),
        (Method::POST, "/api/coops".to_owned()),
        (Method::GET, format!("/api/coops/{id}")),
        (Method::PUT, format!("/api/coops/{id}")),
        (Method::POST, format!("/api/coops/{id}/coordinators")),
        (
            Method::DELETE,
            format!("/api/coops/{id}/coordinators/{user}"),
        ),
        (Method::POST, format!("/api/coops/{id}/requests")),
        (Method::POST, format!("/api/coops/{id}/invites")),
        (Method::GET, "/api/coop-requests".to_owned()),
        (Method::POST, format!("/api/coop-requests/{r}/decide")),
        (Method::POST, format!("/api/coop-requests/{r}/withdraw")),
        (Method::DELETE, format!("/api/coops/{id}/members/{org}")),
        (Method::POST, format!("/api/coops/{id}/rooms")),
        (Method::PUT, format!("/api/coops/{id}/rooms/{room}")),
        (Method::GET, format!("/api/coops/{id}/records")),
        (Method::POST, format!("/api/coops/{id}/records")),
        (Method::PUT, "/api/coop-records/1".to_owned()),
        (Method::DELETE, "/api/coop-records/1".to_owned()),
        (Method::GET, format!("/api/coops/{id}/events")),
        (Method::POST, format!("/api/coops/{id}/events")),
        (Method::PUT, "/api/coop-events/1".to_owned()),
        (Method::DELETE, "/api/coop-events/1".to_owned()),
        (Method::GET, format!("/api/coops/{id}/calendar.ics")),
        (Method::POST, "/api/calendar/feed".to_owned()),
        (Method::GET, "/api/network".to_owned()),
        (Method::GET, format!("/api/threads?coop={id}")),
    ];
    for (method, path) in cases {
        let res = call(&app, &method, &path, None, &body!({})).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        let err: Value = res.json().await.expect("error body");
        assert_eq!(err["error"]["kind"], "unauthenticated", "{method} {path}");
    }
    // The feed needs no session, but a wrong address finds nothing.
    for path in [
        "/api/calendar/not-a-real-token.ics",
        "/api/calendar/not-a-real-token",
    ] {
        error(
            app.get(path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // Nothing changed.
    let home = app.coop(&w.coordinator, id).await;
    assert!(home.members.is_empty());
    assert_eq!(home.requests.len(), 1);
    assert_eq!(home.rooms[0].title, "General");
}

async fn the_demo_world_has_two_coops_with_their_log_and_events(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    server::demo::seed(&app.state.db).await.expect("seed");
    server::demo::seed(&app.state.db).await.expect("seed again");
    // Ellis coordinates the Plymouth co-op.
    let ellis = app.demo_user("ellis@demo.example").await;
    let cards = directory(&app, &ellis, None).await;
    assert_eq!(cards.len(), 2, "seeded once: {cards:?}");
    let plymouth = cards
        .iter()
        .find(|c| c.locality == "Plymouth")
        .expect("a Plymouth co-op");
    assert!(plymouth.is_coordinator && plymouth.member_count == 3);
    let home = app.coop(&ellis, plymouth.id).await;
    assert_eq!(home.rooms.len(), 2);
    assert_eq!(home.requests.len(), 1, "Devonport Peer Circle is waiting");
    let log: shared::api::coops::RecordsResponse = json(
        app.get(&format!("/api/coops/{}/records", plymouth.id), Some(&ellis))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log.decisions.len(), 1);
    assert!(log.decisions[0].source.is_some(), "made from a message");
    assert_eq!(log.open_actions.len(), 2);
    assert!(log.open_actions[0].overdue && !log.open_actions[1].overdue);
    assert_eq!(log.closed_actions.len(), 1);
    let events: shared::api::coops::EventsResponse = json(
        app.get(&format!("/api/coops/{}/events", plymouth.id), Some(&ellis))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(events.events.len(), 2);
    // Megan coordinates the Bristol co-op, with an archived room.
    let megan = app.demo_user("megan@demo.example").await;
    let bristol = directory(&app, &megan, Some("Bristol")).await;
    assert_eq!(bristol.len(), 1);
    let home = app.coop(&megan, bristol[0].id).await;
    assert_eq!(home.members.len(), 3);
    assert_eq!(home.rooms.iter().filter(|r| r.archived).count(), 1);
    // Ellis is outside it: no rooms.
    assert!(app.coop(&ellis, bristol[0].id).await.rooms.is_empty());
}
