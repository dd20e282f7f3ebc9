//! The co-operatives API: directory, membership, rooms, the log, events and the calendar feed.

use shared::api::coops::{
    AddCoordinator, CalendarFeed, CoopId, CoopRequestId, CoopRequestView, CoopRequestsResponse,
    CoopRoom, CoopView, CreateCoopRequest, CreateCoopRoom, CreateRecord, DecideCoopRequest,
    EventId, EventView, EventsResponse, LeaveCoop, ListCoops, ListCoopsResponse, RecordId,
    RecordView, RecordsResponse, SaveCoop, SaveEvent, UpdateCoopRoom, UpdateRecord,
};
use shared::{OrganisationId, RoomId, UserId};

use super::{ApiResult, Method, get, parse, post, put, query, send, to_json};

/// A DELETE with a JSON body (the server's CSRF guard wants one, `{}` at least).
async fn delete_with<T: serde::de::DeserializeOwned>(
    path: &str,
    body: &impl serde::Serialize,
) -> ApiResult<T> {
    parse(&send(Method::Delete, path, Some(to_json(body)?)).await?)
}

/// A DELETE that answers 204.
async fn delete_no_content(path: &str) -> ApiResult<()> {
    send(Method::Delete, path, None).await.map(|_| ())
}

pub async fn list_coops(f: &ListCoops) -> ApiResult<ListCoopsResponse> {
    let q = query(&[("locality", f.locality.as_deref())]);
    get(&format!("/api/coops{q}")).await
}

/// The programme team only.
pub async fn create_coop(body: &SaveCoop) -> ApiResult<CoopView> {
    post("/api/coops", body).await
}

/// Rooms come back empty for people who are not members.
pub async fn coop(id: CoopId) -> ApiResult<CoopView> {
    get(&format!("/api/coops/{id}")).await
}

pub async fn update_coop(id: CoopId, body: &SaveCoop) -> ApiResult<CoopView> {
    put(&format!("/api/coops/{id}"), body).await
}

pub async fn add_coordinator(id: CoopId, user_id: UserId) -> ApiResult<CoopView> {
    post(
        &format!("/api/coops/{id}/coordinators"),
        &AddCoordinator { user_id },
    )
    .await
}

/// Refused for the last coordinator.
pub async fn remove_coordinator(id: CoopId, user_id: UserId) -> ApiResult<CoopView> {
    delete_with(
        &format!("/api/coops/{id}/coordinators/{user_id}"),
        &serde_json::json!({}),
    )
    .await
}

/// A lead asks for their organisation to join.
pub async fn request_to_join(id: CoopId, body: &CreateCoopRequest) -> ApiResult<CoopRequestView> {
    post(&format!("/api/coops/{id}/requests"), body).await
}

/// A coordinator invites an organisation.
pub async fn invite_organisation(
    id: CoopId,
    body: &CreateCoopRequest,
) -> ApiResult<CoopRequestView> {
    post(&format!("/api/coops/{id}/invites"), body).await
}

/// Pending requests and invitations, in every co-op, the caller may decide or withdraw.
pub async fn coop_requests() -> ApiResult<CoopRequestsResponse> {
    get("/api/coop-requests").await
}

/// A reason is required to decline.
pub async fn decide_coop_request(
    id: CoopRequestId,
    body: &DecideCoopRequest,
) -> ApiResult<CoopRequestView> {
    post(&format!("/api/coop-requests/{id}/decide"), body).await
}

pub async fn withdraw_coop_request(id: CoopRequestId) -> ApiResult<CoopRequestView> {
    post(
        &format!("/api/coop-requests/{id}/withdraw"),
        &serde_json::json!({}),
    )
    .await
}

/// The organisation's lead leaves, or a coordinator removes it (with a reason).
pub async fn remove_member(
    id: CoopId,
    org_id: OrganisationId,
    body: &LeaveCoop,
) -> ApiResult<CoopView> {
    delete_with(&format!("/api/coops/{id}/members/{org_id}"), body).await
}

pub async fn create_coop_room(id: CoopId, body: &CreateCoopRoom) -> ApiResult<CoopRoom> {
    post(&format!("/api/coops/{id}/rooms"), body).await
}

/// Rename, archive or restore.
pub async fn update_coop_room(
    id: CoopId,
    room_id: RoomId,
    body: &UpdateCoopRoom,
) -> ApiResult<CoopRoom> {
    put(&format!("/api/coops/{id}/rooms/{room_id}"), body).await
}

pub async fn coop_records(id: CoopId) -> ApiResult<RecordsResponse> {
    get(&format!("/api/coops/{id}/records")).await
}

pub async fn create_record(id: CoopId, body: &CreateRecord) -> ApiResult<RecordView> {
    post(&format!("/api/coops/{id}/records"), body).await
}

pub async fn update_record(id: RecordId, body: &UpdateRecord) -> ApiResult<RecordView> {
    put(&format!("/api/coop-records/{id}"), body).await
}

/// Answers 204.
pub async fn delete_record(id: RecordId) -> ApiResult<()> {
    delete_no_content(&format!("/api/coop-records/{id}")).await
}

/// Upcoming events, soonest first.
pub async fn coop_events(id: CoopId) -> ApiResult<EventsResponse> {
    get(&format!("/api/coops/{id}/events")).await
}

pub async fn create_event(id: CoopId, body: &SaveEvent) -> ApiResult<EventView> {
    post(&format!("/api/coops/{id}/events"), body).await
}

pub async fn update_event(id: EventId, body: &SaveEvent) -> ApiResult<EventView> {
    put(&format!("/api/coop-events/{id}"), body).await
}

/// Answers 204.
pub async fn delete_event(id: EventId) -> ApiResult<()> {
    delete_no_content(&format!("/api/coop-events/{id}")).await
}

/// The co-op's events as a file; the session cookie is enough, so a plain link works.
pub fn calendar_path(id: CoopId) -> String {
    format!("/api/coops/{id}/calendar.ics")
}

/// A new private subscription address; the previous one stops working.
pub async fn calendar_feed() -> ApiResult<CalendarFeed> {
    post("/api/calendar/feed", &serde_json::json!({})).await
}
