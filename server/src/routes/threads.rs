//! Practice threads: lists by topic, threads and their posts, marks,
//! answers, state, follows, read positions, and the Markdown preview.

use axum::extract::State;
use axum::http::StatusCode;
use shared::api::threads::{
    CreatePost, CreateThread, EditPost, EditThread, HelpfulResponse, ListThreads,
    ListThreadsResponse, MarkThreadRead, PostView, PreviewMarkdown, PreviewResponse, SetAnswer,
    SetFollow, SetHelpful, SetThreadState, ThreadResponse,
};
use shared::taxonomy::Topic;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::domain::{access, markdown, validate_threads};
use crate::error::{AppError, AppResult, Json, Path, Query};
use crate::threads;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_threads, create_thread))
        .routes(routes!(get_thread, edit_thread, delete_thread))
        .routes(routes!(create_post))
        .routes(routes!(edit_post, delete_post))
        .routes(routes!(set_helpful))
        .routes(routes!(set_state))
        .routes(routes!(set_answer))
        .routes(routes!(follow_thread))
        .routes(routes!(follow_topic))
        .routes(routes!(mark_read))
        .routes(routes!(preview))
}

fn topic(slug: &str) -> AppResult<Topic> {
    Topic::from_slug(slug)
        .ok_or_else(|| AppError::validation("topic", "Choose a topic from the list."))
}

#[utoipa::path(get, path = "/threads", tag = "threads", params(ListThreads),
    responses((status = 200, description = "Threads the caller may read, pinned first, then by latest activity", body = ListThreadsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "`coop` given and the caller is not one of its people", body = shared::ErrorBody), (status = 404, description = "No such co-op", body = shared::ErrorBody), (status = 422, description = "validation: not a topic from the list", body = shared::ErrorBody)))]
async fn list_threads(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListThreads>,
) -> AppResult<Json<ListThreadsResponse>> {
    let topic = q
        .topic
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(topic)
        .transpose()?;
    let readable = access::readable(&state.db, &who).await?;
    let found = match q.coop {
        Some(coop_id) => {
            access::coop_member(&state.db, &who, coop_id).await?;
            db::threads::list(&state.db, db::threads::Scope::Coop(coop_id), topic).await?
        }
        None => {
            db::threads::list(
                &state.db,
                db::threads::Scope::Readable(&readable.coops),
                topic,
            )
            .await?
        }
    };
    Ok(Json(ListThreadsResponse {
        threads: threads::views::summaries(&state.db, who.id, &found).await?,
        followed_topics: db::threads::followed_topics(&state.db, who.id).await?,
    }))
}

#[utoipa::path(post, path = "/threads", tag = "threads", request_body = CreateThread,
    responses(
        (status = 201, description = "Created; followers of its topics are notified", body = ThreadResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 422, description = "Missing title, body or topic, or too long", body = shared::ErrorBody),
    ))]
async fn create_thread(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<CreateThread>,
) -> AppResult<(StatusCode, Json<ThreadResponse>)> {
    let created = threads::create(&state, &who, &req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/threads/{id}", tag = "threads", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The thread and its posts", body = ThreadResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "No such thread, or not one the caller may read", body = shared::ErrorBody),
    ))]
async fn get_thread(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<ThreadResponse>> {
    let t = access::thread(&state.db, &who, id).await?;
    Ok(Json(threads::response(&state, &who, &t).await?))
}

#[utoipa::path(put, path = "/threads/{id}", tag = "threads", params(("id" = i64, Path)), request_body = EditThread,
    responses(
        (status = 200, description = "Edited", body = ThreadResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not the author", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody),
        (status = 409, description = "Locked", body = shared::ErrorBody),
        (status = 422, description = "validation: missing title, body or topic, or too long", body = shared::ErrorBody),
    ))]
async fn edit_thread(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<EditThread>,
) -> AppResult<Json<ThreadResponse>> {
    let t = access::thread(&state.db, &who, id).await?;
    Ok(Json(threads::edit(&state, &who, &t, &req).await?))
}

#[utoipa::path(delete, path = "/threads/{id}", tag = "threads", params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted: gone from lists, pages and search"),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Neither the author nor the programme team", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody),
    ))]
async fn delete_thread(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let t = access::thread(&state.db, &who, id).await?;
    threads::delete(&state, &who, &t).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/threads/{id}/posts", tag = "threads", params(("id" = i64, Path)), request_body = CreatePost,
    responses(
        (status = 201, description = "Replied; pushed live to readers, followers notified", body = PostView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody),
        (status = 409, description = "The thread is closed or locked", body = shared::ErrorBody),
        (status = 422, description = "validation: an empty or too long body, or a quote from another thread", body = shared::ErrorBody),
    ))]
async fn create_post(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<CreatePost>,
) -> AppResult<(StatusCode, Json<PostView>)> {
    let t = access::thread(&state.db, &who, id).await?;
    let post = threads::reply(&state, &who, &t, &req).await?;
    Ok((StatusCode::CREATED, Json(post)))
}

#[utoipa::path(put, path = "/posts/{id}", tag = "threads", params(("id" = i64, Path)), request_body = EditPost,
    responses(
        (status = 200, description = "Edited", body = PostView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not the author", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such post, or in a thread the caller may not read", body = shared::ErrorBody),
        (status = 409, description = "conflict: the opening post, hidden by a moderator, or the thread is locked", body = shared::ErrorBody),
        (status = 422, description = "validation: an empty or too long body", body = shared::ErrorBody),
    ))]
async fn edit_post(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<EditPost>,
) -> AppResult<Json<PostView>> {
    let (p, t) = access::own_post(&state.db, &who, id).await?;
    if p.opening {
        return Err(AppError::conflict(
            "Edit the opening post together with the thread's title.",
        ));
    }
    Ok(Json(threads::edit_post(&state, &p, &t, &req.body).await?))
}

#[utoipa::path(delete, path = "/posts/{id}", tag = "threads", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Deleted (a tombstone)", body = PostView),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Not the author", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such post, or in a thread the caller may not read", body = shared::ErrorBody),
        (status = 409, description = "conflict: the opening post, hidden by a moderator, or the thread is locked", body = shared::ErrorBody),
    ))]
async fn delete_post(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<PostView>> {
    let (p, t) = access::own_post(&state.db, &who, id).await?;
    Ok(Json(threads::delete_post(&state, &p, &t).await?))
}

#[utoipa::path(put, path = "/posts/{id}/helpful", tag = "threads", params(("id" = i64, Path)), request_body = SetHelpful,
    responses(
        (status = 200, description = "Marked or unmarked", body = HelpfulResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such post, or in a thread the caller may not read", body = shared::ErrorBody),
        (status = 409, description = "One's own post, deleted, or locked", body = shared::ErrorBody),
    ))]
async fn set_helpful(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetHelpful>,
) -> AppResult<Json<HelpfulResponse>> {
    let (p, t) = access::post(&state.db, &who, id).await?;
    Ok(Json(
        threads::helpful(&state, &who, &p, &t, req.helpful).await?,
    ))
}

#[utoipa::path(put, path = "/threads/{id}/state", tag = "threads", params(("id" = i64, Path)), request_body = SetThreadState,
    responses(
        (status = 200, description = "Pinned, locked or closed as asked", body = ThreadResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Neither the author nor the programme team", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody),
    ))]
async fn set_state(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetThreadState>,
) -> AppResult<Json<ThreadResponse>> {
    let t = access::thread(&state.db, &who, id).await?;
    Ok(Json(threads::set_state(&state, &who, &t, &req).await?))
}

#[utoipa::path(put, path = "/threads/{id}/answer", tag = "threads", params(("id" = i64, Path)), request_body = SetAnswer,
    responses(
        (status = 200, description = "The answer set or cleared", body = ThreadResponse),
        (status = 401, description = "unauthenticated", body = shared::ErrorBody),
        (status = 403, description = "Neither the author nor the programme team", body = shared::ErrorBody),
        (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody),
        (status = 422, description = "validation: not a live reply in this thread", body = shared::ErrorBody),
    ))]
async fn set_answer(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetAnswer>,
) -> AppResult<Json<ThreadResponse>> {
    let t = access::thread(&state.db, &who, id).await?;
    Ok(Json(
        threads::set_answer(&state, &who, &t, req.post_id).await?,
    ))
}

#[utoipa::path(put, path = "/threads/{id}/follow", tag = "threads", params(("id" = i64, Path)), request_body = SetFollow,
    responses((status = 204, description = "Following (notified of replies) or not"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody)))]
async fn follow_thread(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetFollow>,
) -> AppResult<StatusCode> {
    let t = access::thread(&state.db, &who, id).await?;
    db::threads::set_follow(&state.db, t.id, who.id, req.following).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/topics/{slug}/follow", tag = "threads", params(("slug" = String, Path)), request_body = SetFollow,
    responses((status = 204, description = "Following (notified of new threads) or not"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 422, description = "validation: not a topic from the list", body = shared::ErrorBody)))]
async fn follow_topic(
    State(state): State<AppState>,
    who: AuthUser,
    Path(slug): Path<String>,
    Json(req): Json<SetFollow>,
) -> AppResult<StatusCode> {
    db::threads::set_topic_follow(&state.db, topic(&slug)?, who.id, req.following).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/threads/{id}/read", tag = "threads", params(("id" = i64, Path)), request_body = MarkThreadRead,
    responses((status = 204, description = "Read marker moved forward (never back)"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "not_found: no such thread, or not one the caller may read", body = shared::ErrorBody), (status = 422, description = "validation: the post is not in this thread", body = shared::ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<MarkThreadRead>,
) -> AppResult<StatusCode> {
    let t = access::thread(&state.db, &who, id).await?;
    let p = db::threads::find_post(&state.db, req.post_id).await?;
    if p.is_none_or(|p| p.thread_id != t.id) {
        return Err(AppError::validation(
            "post_id",
            "That post is not in this thread.",
        ));
    }
    db::threads::mark_read(&state.db, t.id, who.id, req.post_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/markdown/preview", tag = "threads", request_body = PreviewMarkdown,
    responses((status = 200, description = "The draft rendered exactly as a post will be", body = PreviewResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 422, description = "validation: the body is too long", body = shared::ErrorBody)))]
async fn preview(
    State(state): State<AppState>,
    _who: AuthUser,
    Json(req): Json<PreviewMarkdown>,
) -> AppResult<Json<PreviewResponse>> {
    if req.body.trim().is_empty() {
        return Ok(Json(PreviewResponse {
            html: String::new(),
        }));
    }
    let body = validate_threads::body(&req.body)?;
    let glossary = db::glossary::entries(&state.db).await?;
    Ok(Json(PreviewResponse {
        html: markdown::render(&body, &glossary, "preview"),
    }))
}
