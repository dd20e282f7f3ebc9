//! The HTTP API client: one async function per endpoint, all speaking the
//! `shared::api` types and turning every failure into a `shared::ApiError`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::auth::{Login, MeResponse, Register, UpdateSettings};
use shared::api::glossary::{DecideTerm, GlossaryResponse, GlossaryTerm, SuggestTerm};
use shared::api::mentors::{ListMentors, ListMentorsResponse, MentorView, SaveMentorProfile};
use shared::api::mentorships::{
    CreateGoal, CreateMentorship, CreateSessionNote, GoalView, ListGoalsResponse, ListMentorships,
    ListMentorshipsResponse, ListSessionNotesResponse, MentorshipView, SaveReflection,
    SessionNoteView, Transition, UpdateGoal,
};
use shared::api::notifications::{ListNotificationsResponse, MarkNotificationsRead};
use shared::api::organisations::{
    Decide, InviteCreated, InvitePreview, ListOrganisations, ListOrganisationsResponse,
    OrganisationView, SaveOrganisation, SetNeeds, SetSafeguardingLead, UpdateStaff,
};
use shared::api::programme::{Dashboard, MyProgramme, ProgrammePlan, SuggestionsResponse};
use shared::api::rooms::{
    ListMessages, ListMessagesResponse, ListRoomsResponse, OpenDirectRoom, RoomSummary,
    UpdateRoomSettings,
};
use shared::api::search::{SearchQuery, SearchResponse, SearchScope};
use shared::api::threads::{
    CreatePost, CreateThread, EditPost, EditThread, HelpfulResponse, ListThreads,
    ListThreadsResponse, MarkThreadRead, PostView, PreviewMarkdown, PreviewResponse, SetAnswer,
    SetFollow, SetHelpful, SetThreadState, ThreadResponse,
};
use shared::api::users::ListUsersResponse;
use shared::taxonomy::{ActivityType, ApprovalStatus, MentorshipStatus, Topic};
use shared::{
    ApiError, ErrorBody, ErrorKind, MentorshipId, OrganisationId, PostId, RoomId, ThreadId, UserId,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, Response};

pub mod account;
pub mod coops;
pub mod network;
pub mod trust;

pub type ApiResult<T> = Result<T, ApiError>;

/// The page cannot reach the server at all; there is no status or body to read.
fn network_error() -> ApiError {
    ApiError::new(
        ErrorKind::Unknown,
        "Could not reach the server. Check your connection and try again.",
    )
}

/// A refusal whose body is not the documented `ErrorBody` (a proxy page, an
/// empty 401): still tell the person something true and useful.
fn error_for_status(status: u16) -> ApiError {
    let (kind, message) = match status {
        401 => (ErrorKind::Unauthenticated, "Please log in again."),
        403 => (ErrorKind::Forbidden, "You are not allowed to do that."),
        404 => (ErrorKind::NotFound, "That could not be found."),
        413 => (ErrorKind::PayloadTooLarge, "That is too large to send."),
        429 => (
            ErrorKind::RateLimited,
            "Too many attempts. Please wait a moment and try again.",
        ),
        _ => (
            ErrorKind::Internal,
            "Something went wrong on the server. Please try again.",
        ),
    };
    ApiError::new(kind, message)
}

enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// Sends one request and returns the body text of a 2xx answer.
async fn send(method: Method, path: &str, body: Option<String>) -> ApiResult<String> {
    let init = RequestInit::new();
    // Same-origin is the fetch default; spelled out because the session cookie depends on it.
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| network_error())?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| network_error())?;
    match method {
        Method::Get => init.set_method("GET"),
        Method::Post | Method::Put | Method::Delete => {
            init.set_method(match method {
                Method::Put => "PUT",
                Method::Delete => "DELETE",
                _ => "POST",
            });
            // The server refuses a write without a JSON body (its CSRF defence),
            // so even bodiless actions send `{}`.
            headers
                .set("Content-Type", "application/json")
                .map_err(|_| network_error())?;
            let body = body.unwrap_or_else(|| "{}".to_owned());
            init.set_body(&JsValue::from_str(&body));
        }
    }
    init.set_headers(&headers);

    let request = Request::new_with_str_and_init(path, &init).map_err(|_| network_error())?;
    let window = web_sys::window().ok_or_else(network_error)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| network_error())?
        .dyn_into()
        .map_err(|_| network_error())?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        Ok(text)
    } else {
        Err(serde_json::from_str::<ErrorBody>(&text)
            .map(|b| b.error)
            .unwrap_or_else(|_| error_for_status(status)))
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text).map_err(|_| {
        ApiError::new(
            ErrorKind::Internal,
            "The server sent an answer this page does not understand. Try reloading.",
        )
    })
}

fn to_json(value: &impl Serialize) -> ApiResult<String> {
    serde_json::to_string(value)
        .map_err(|_| ApiError::new(ErrorKind::BadRequest, "That could not be sent."))
}

async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    parse(&send(Method::Get, path, None).await?)
}

async fn post<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> ApiResult<T> {
    parse(&send(Method::Post, path, Some(to_json(body)?)).await?)
}

async fn put<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> ApiResult<T> {
    parse(&send(Method::Put, path, Some(to_json(body)?)).await?)
}

pub async fn me() -> ApiResult<MeResponse> {
    get("/api/me").await
}

pub async fn update_settings(body: &UpdateSettings) -> ApiResult<MeResponse> {
    put("/api/me/settings", body).await
}

pub async fn register(body: &Register) -> ApiResult<MeResponse> {
    post("/api/auth/register", body).await
}

pub async fn login(body: &Login) -> ApiResult<MeResponse> {
    post("/api/auth/login", body).await
}

pub async fn logout() -> ApiResult<()> {
    send(Method::Post, "/api/auth/logout", None)
        .await
        .map(|_| ())
}

pub async fn list_users(q: &str) -> ApiResult<ListUsersResponse> {
    let q = String::from(js_sys::encode_uri_component(q));
    get(&format!("/api/users?q={q}")).await
}

pub async fn open_direct_room(user_id: UserId) -> ApiResult<RoomSummary> {
    post("/api/rooms/direct", &OpenDirectRoom { user_id }).await
}

pub async fn list_rooms() -> ApiResult<ListRoomsResponse> {
    get("/api/rooms").await
}

pub async fn update_room_settings(
    room_id: RoomId,
    body: &UpdateRoomSettings,
) -> ApiResult<RoomSummary> {
    put(&format!("/api/rooms/{room_id}/settings"), body).await
}

/// Answers 204; every tab of this person hears `room_removed`.
pub async fn leave_room(room_id: RoomId) -> ApiResult<()> {
    send(Method::Post, &format!("/api/rooms/{room_id}/leave"), None)
        .await
        .map(|_| ())
}

pub async fn list_notifications() -> ApiResult<ListNotificationsResponse> {
    get("/api/notifications").await
}

/// Answers 204; every tab of this person hears `notifications_read`.
pub async fn mark_notifications_read(up_to_id: i64) -> ApiResult<()> {
    let body = to_json(&MarkNotificationsRead { up_to_id })?;
    send(Method::Post, "/api/notifications/read", Some(body))
        .await
        .map(|_| ())
}

pub async fn list_messages(
    room_id: RoomId,
    query: &ListMessages,
) -> ApiResult<ListMessagesResponse> {
    let mut params = Vec::new();
    if let Some(after) = query.after_seq {
        params.push(format!("after_seq={after}"));
    }
    if let Some(before) = query.before_seq {
        params.push(format!("before_seq={before}"));
    }
    if let Some(limit) = query.limit {
        params.push(format!("limit={limit}"));
    }
    let mut path = format!("/api/rooms/{room_id}/messages");
    if !params.is_empty() {
        path.push('?');
        path.push_str(&params.join("&"));
    }
    get(&path).await
}

/// Query-string value, percent-encoded.
fn enc(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `?a=1&b=2` from the pairs whose value is present; empty when none is.
fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", enc(v)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

async fn post_no_content(path: &str) -> ApiResult<()> {
    send(Method::Post, path, None).await.map(|_| ())
}

// ---- the mentoring programme ----

pub async fn my_programme() -> ApiResult<MyProgramme> {
    get("/api/programme/me").await
}

pub async fn list_organisations(f: &ListOrganisations) -> ApiResult<ListOrganisationsResponse> {
    let q = query(&[
        ("topic", f.topic.map(Topic::slug)),
        ("activity_type", f.activity_type.map(ActivityType::slug)),
        ("locality", f.locality.as_deref()),
        ("status", f.status.map(ApprovalStatus::slug)),
    ]);
    get(&format!("/api/organisations{q}")).await
}

pub async fn create_organisation(body: &SaveOrganisation) -> ApiResult<OrganisationView> {
    post("/api/organisations", body).await
}

pub async fn organisation(id: OrganisationId) -> ApiResult<OrganisationView> {
    get(&format!("/api/organisations/{id}")).await
}

pub async fn update_organisation(
    id: OrganisationId,
    body: &SaveOrganisation,
) -> ApiResult<OrganisationView> {
    put(&format!("/api/organisations/{id}"), body).await
}

pub async fn set_needs(id: OrganisationId, body: &SetNeeds) -> ApiResult<OrganisationView> {
    put(&format!("/api/organisations/{id}/needs"), body).await
}

pub async fn decide_organisation(id: OrganisationId, body: &Decide) -> ApiResult<OrganisationView> {
    post(&format!("/api/organisations/{id}/decision"), body).await
}

pub async fn update_staff(
    id: OrganisationId,
    user: UserId,
    body: &UpdateStaff,
) -> ApiResult<OrganisationView> {
    put(&format!("/api/organisations/{id}/staff/{user}"), body).await
}

/// A lead removes someone, or a person leaves.
pub async fn remove_staff(id: OrganisationId, user: UserId) -> ApiResult<()> {
    post_no_content(&format!("/api/organisations/{id}/staff/{user}/remove")).await
}

pub async fn set_safeguarding_lead(
    id: OrganisationId,
    body: &SetSafeguardingLead,
) -> ApiResult<OrganisationView> {
    put(&format!("/api/organisations/{id}/safeguarding-lead"), body).await
}

pub async fn create_invite(id: OrganisationId) -> ApiResult<InviteCreated> {
    post(&format!("/api/organisations/{id}/invites"), &()).await
}

pub async fn invite(token: &str) -> ApiResult<InvitePreview> {
    get(&format!("/api/invites/{}", enc(token))).await
}

pub async fn accept_invite(token: &str) -> ApiResult<OrganisationView> {
    post(&format!("/api/invites/{}/accept", enc(token)), &()).await
}

pub async fn suggestions(id: OrganisationId) -> ApiResult<SuggestionsResponse> {
    get(&format!("/api/organisations/{id}/suggestions")).await
}

pub async fn list_mentors(f: &ListMentors) -> ApiResult<ListMentorsResponse> {
    let q = query(&[
        ("topic", f.topic.map(Topic::slug)),
        ("activity_type", f.activity_type.map(ActivityType::slug)),
        ("locality", f.locality.as_deref()),
        ("status", f.status.map(ApprovalStatus::slug)),
    ]);
    get(&format!("/api/mentors{q}")).await
}

/// The caller's own mentor profile; `not_found` when they have not applied.
pub async fn my_mentor_profile() -> ApiResult<MentorView> {
    get("/api/mentors/me").await
}

pub async fn save_mentor_profile(body: &SaveMentorProfile) -> ApiResult<MentorView> {
    put("/api/mentors/me", body).await
}

pub async fn mentor(user: UserId) -> ApiResult<MentorView> {
    get(&format!("/api/mentors/{user}")).await
}

pub async fn decide_mentor(user: UserId, body: &Decide) -> ApiResult<MentorView> {
    post(&format!("/api/mentors/{user}/decision"), body).await
}

pub async fn list_mentorships(f: &ListMentorships) -> ApiResult<ListMentorshipsResponse> {
    let org = f.organisation_id.map(|id| id.to_string());
    let q = query(&[
        ("status", f.status.map(MentorshipStatus::slug)),
        ("organisation_id", org.as_deref()),
    ]);
    get(&format!("/api/mentorships{q}")).await
}

pub async fn create_mentorship(body: &CreateMentorship) -> ApiResult<MentorshipView> {
    post("/api/mentorships", body).await
}

pub async fn mentorship(id: MentorshipId) -> ApiResult<MentorshipView> {
    get(&format!("/api/mentorships/{id}")).await
}

pub async fn transition(id: MentorshipId, body: &Transition) -> ApiResult<MentorshipView> {
    post(&format!("/api/mentorships/{id}/transition"), body).await
}

pub async fn save_reflection(id: MentorshipId, body: &SaveReflection) -> ApiResult<MentorshipView> {
    put(&format!("/api/mentorships/{id}/reflection"), body).await
}

pub async fn goals(id: MentorshipId) -> ApiResult<ListGoalsResponse> {
    get(&format!("/api/mentorships/{id}/goals")).await
}

pub async fn create_goal(id: MentorshipId, body: &CreateGoal) -> ApiResult<GoalView> {
    post(&format!("/api/mentorships/{id}/goals"), body).await
}

pub async fn update_goal(id: MentorshipId, goal: i64, body: &UpdateGoal) -> ApiResult<GoalView> {
    put(&format!("/api/mentorships/{id}/goals/{goal}"), body).await
}

pub async fn session_notes(id: MentorshipId) -> ApiResult<ListSessionNotesResponse> {
    get(&format!("/api/mentorships/{id}/notes")).await
}

pub async fn create_session_note(
    id: MentorshipId,
    body: &CreateSessionNote,
) -> ApiResult<SessionNoteView> {
    post(&format!("/api/mentorships/{id}/notes"), body).await
}

pub async fn nudge(id: MentorshipId) -> ApiResult<()> {
    post_no_content(&format!("/api/mentorships/{id}/nudge")).await
}

pub async fn programme_plan() -> ApiResult<ProgrammePlan> {
    get("/api/programme/plan").await
}

pub async fn dashboard() -> ApiResult<Dashboard> {
    get("/api/programme/dashboard").await
}

// ---- practice threads ----

pub async fn list_threads(f: &ListThreads) -> ApiResult<ListThreadsResponse> {
    let coop = f.coop.map(|c| c.to_string());
    let q = query(&[("topic", f.topic.as_deref()), ("coop", coop.as_deref())]);
    get(&format!("/api/threads{q}")).await
}

pub async fn create_thread(body: &CreateThread) -> ApiResult<ThreadResponse> {
    post("/api/threads", body).await
}

/// `not_found` both when it does not exist and when the reader may not see it.
pub async fn thread(id: ThreadId) -> ApiResult<ThreadResponse> {
    get(&format!("/api/threads/{id}")).await
}

pub async fn edit_thread(id: ThreadId, body: &EditThread) -> ApiResult<ThreadResponse> {
    put(&format!("/api/threads/{id}"), body).await
}

/// Answers 204.
pub async fn delete_thread(id: ThreadId) -> ApiResult<()> {
    send(Method::Delete, &format!("/api/threads/{id}"), None)
        .await
        .map(|_| ())
}

/// `conflict` when the thread has been closed or locked meanwhile.
pub async fn create_post(id: ThreadId, body: &CreatePost) -> ApiResult<PostView> {
    post(&format!("/api/threads/{id}/posts"), body).await
}

pub async fn edit_post(id: PostId, body: &EditPost) -> ApiResult<PostView> {
    put(&format!("/api/posts/{id}"), body).await
}

/// Answers with the tombstone (`deleted`, empty body and html).
pub async fn delete_post(id: PostId) -> ApiResult<PostView> {
    parse(&send(Method::Delete, &format!("/api/posts/{id}"), None).await?)
}

/// Refused (`conflict`) on one's own post.
pub async fn set_helpful(id: PostId, helpful: bool) -> ApiResult<HelpfulResponse> {
    put(&format!("/api/posts/{id}/helpful"), &SetHelpful { helpful }).await
}

pub async fn set_thread_state(id: ThreadId, body: &SetThreadState) -> ApiResult<ThreadResponse> {
    put(&format!("/api/threads/{id}/state"), body).await
}

/// `None` clears the answer.
pub async fn set_answer(id: ThreadId, post_id: Option<PostId>) -> ApiResult<ThreadResponse> {
    put(&format!("/api/threads/{id}/answer"), &SetAnswer { post_id }).await
}

/// Answers 204.
pub async fn follow_thread(id: ThreadId, following: bool) -> ApiResult<()> {
    let body = to_json(&SetFollow { following })?;
    send(
        Method::Put,
        &format!("/api/threads/{id}/follow"),
        Some(body),
    )
    .await
    .map(|_| ())
}

/// Answers 204.
pub async fn follow_topic(topic: Topic, following: bool) -> ApiResult<()> {
    let body = to_json(&SetFollow { following })?;
    let path = format!("/api/topics/{}/follow", enc(topic.slug()));
    send(Method::Put, &path, Some(body)).await.map(|_| ())
}

/// Answers 204; the marker only moves forward.
pub async fn mark_thread_read(id: ThreadId, post_id: PostId) -> ApiResult<()> {
    let body = to_json(&MarkThreadRead { post_id })?;
    send(Method::Post, &format!("/api/threads/{id}/read"), Some(body))
        .await
        .map(|_| ())
}

/// The draft as it will be shown: sanitised HTML, glossary terms marked.
pub async fn preview_markdown(body: &str) -> ApiResult<PreviewResponse> {
    let body = PreviewMarkdown {
        body: body.to_owned(),
    };
    post("/api/markdown/preview", &body).await
}

// ---- search and glossary ----

pub async fn search(f: &SearchQuery) -> ApiResult<SearchResponse> {
    let from = f.from.map(|d| d.format("%Y-%m-%d").to_string());
    let to = f.to.map(|d| d.format("%Y-%m-%d").to_string());
    let scope = f.scope.map(|s| match s {
        SearchScope::Threads => "threads",
        SearchScope::Messages => "messages",
    });
    // `q` goes even when empty, so the server names the field at fault.
    let rest = query(&[
        ("topic", f.topic.as_deref()),
        ("from", from.as_deref()),
        ("to", to.as_deref()),
        ("scope", scope),
    ])
    .replacen('?', "&", 1);
    get(&format!("/api/search?q={}{rest}", enc(&f.q))).await
}

/// Approved terms A–Z, and the suggestions the caller may see.
pub async fn glossary() -> ApiResult<GlossaryResponse> {
    get("/api/glossary").await
}

/// Pending for members; approved at once when an admin suggests.
pub async fn suggest_term(body: &SuggestTerm) -> ApiResult<GlossaryTerm> {
    post("/api/glossary", body).await
}

pub async fn decide_term(id: i64, body: &DecideTerm) -> ApiResult<GlossaryTerm> {
    post(&format!("/api/glossary/{id}/decision"), body).await
}
