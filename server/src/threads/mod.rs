//! Practice threads' operations that span tables, live events and
//! notifications: creating, replying, editing, deleting, marks, answer and
//! state. Routes check access first (`domain::access`), then call here.
//!
//! Live: every change to a post is pushed as `thread_post` to the
//! connections watching its thread whose users may read it (read at the
//! moment of the event); other changes as `thread_changed`.

pub mod search;
pub mod views;

use shared::api::notifications::NotificationKind;
use shared::api::threads::{
    CreatePost, CreateThread, EditThread, HelpfulResponse, PostView, SetThreadState,
    ThreadPermissions, ThreadResponse, Visibility,
};
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{post, thread};
use crate::db::notifications::Subject;
use crate::db::threads::NewThread;
use crate::domain::markdown::plain_text;
use crate::domain::{access, validate_threads as validate};
use crate::error::{AppError, AppResult};

/// The whole thread as `who` reads it.
pub async fn response(
    state: &AppState,
    who: &AuthUser,
    t: &thread::Model,
) -> AppResult<ThreadResponse> {
    let db = &state.db;
    let glossary = db::glossary::entries(db).await?;
    let rows = db::threads::posts(db, t.id).await?;
    let posts = views::posts(db, &rows, &glossary).await?;
    let last_read_post_id = db::threads::read_markers(db, who.id, &[t.id])
        .await?
        .get(&t.id)
        .copied()
        .unwrap_or(0);
    let thread = views::summaries(db, who.id, std::slice::from_ref(t))
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(format!("thread {} has no summary", t.id)))?;
    let moderate = access::thread_moderator(who, t);
    Ok(ThreadResponse {
        can: ThreadPermissions {
            moderate,
            reply: !t.locked && !t.closed,
        },
        helped: db::threads::helped(db, t.id, who.id).await?,
        last_read_post_id,
        thread,
        posts,
    })
}

/// The organisation a post is written for: the one asked for (which must be
/// the author's), else the thread's if the author works there, else the
/// author's first, else none.
async fn organisation_for(
    state: &AppState,
    who: &AuthUser,
    asked: Option<i64>,
    thread_org: Option<i64>,
) -> AppResult<Option<i64>> {
    let mine = db::organisations::of_user(&state.db, who.id).await?;
    if let Some(id) = asked {
        return if mine.iter().any(|(o, _)| o.id == id) {
            Ok(Some(id))
        } else {
            Err(AppError::validation(
                "organisation_id",
                "You can only write for an organisation you work for.",
            ))
        };
    }
    if let Some(id) = thread_org
        && mine.iter().any(|(o, _)| o.id == id)
    {
        return Ok(Some(id));
    }
    Ok(mine.iter().map(|(o, _)| o.id).min())
}

pub async fn create(
    state: &AppState,
    who: &AuthUser,
    req: &CreateThread,
) -> AppResult<ThreadResponse> {
    let title = validate::title(&req.title)?;
    let body = validate::body(&req.body)?;
    let topics = validate::topics(&req.topics)?;
    let activity_types = validate::activity_types(&req.activity_types);
    let coop_id = match req.visibility {
        Visibility::Members => None,
        Visibility::Coop { coop_id } => {
            if !access::readable(&state.db, who)
                .await?
                .coops
                .contains(&coop_id)
            {
                return Err(AppError::validation(
                    "visibility",
                    "You can only write in a co-operative your organisation belongs to.",
                ));
            }
            Some(coop_id)
        }
    };
    let organisation_id = organisation_for(state, who, req.organisation_id, None).await?;
    let plain = plain_text(&body);
    let (t, p) = db::threads::create(
        &state.db,
        NewThread {
            title: &title,
            body: &body,
            plain: &plain,
            topics: &topics,
            activity_types: &activity_types,
            coop_id,
            author_id: who.id,
            organisation_id,
        },
    )
    .await?;
    let followers = db::threads::topic_followers(&state.db, &topics).await?;
    let readers = access::thread_readers(&state.db, &t, followers).await?;
    let text = format!("New thread: {}", t.title);
    notify(
        state,
        who,
        &readers,
        NotificationKind::NewThread,
        &t,
        &p,
        &text,
    )
    .await?;
    response(state, who, &t).await
}

pub async fn edit(
    state: &AppState,
    who: &AuthUser,
    t: &thread::Model,
    req: &EditThread,
) -> AppResult<ThreadResponse> {
    if t.author_id != who.id {
        return Err(AppError::forbidden("Only the thread's author can edit it."));
    }
    if t.locked {
        return Err(AppError::conflict(
            "This thread is locked: it can no longer be changed.",
        ));
    }
    // Editing the thread edits its opening post, which a moderator may have hid.
    if db::threads::opening_post(&state.db, t.id)
        .await?
        .is_some_and(|p| p.hidden_at.is_some())
    {
        return Err(AppError::conflict(
            "A moderator hid this thread's opening post; it cannot be edited.",
        ));
    }
    let title = validate::title(&req.title)?;
    let body = validate::body(&req.body)?;
    let topics = validate::topics(&req.topics)?;
    let activity_types = validate::activity_types(&req.activity_types);
    let plain = plain_text(&body);
    db::threads::edit(
        &state.db,
        t,
        NewThread {
            title: &title,
            body: &body,
            plain: &plain,
            topics: &topics,
            activity_types: &activity_types,
            coop_id: t.coop_id,
            author_id: t.author_id,
            organisation_id: t.organisation_id,
        },
    )
    .await?;
    let t = refreshed(state, t.id).await?;
    changed(state, &t).await?;
    if let Some(opening) = db::threads::posts(&state.db, t.id)
        .await?
        .into_iter()
        .find(|p| p.opening)
    {
        push_post(state, &t, &opening).await?;
    }
    response(state, who, &t).await
}

async fn refreshed(state: &AppState, id: i64) -> AppResult<thread::Model> {
    db::threads::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn reply(
    state: &AppState,
    who: &AuthUser,
    t: &thread::Model,
    req: &CreatePost,
) -> AppResult<PostView> {
    let body = validate::body(&req.body)?;
    if let Some(q) = req.quote_post_id {
        let quoted = db::threads::find_post(&state.db, q).await?;
        if quoted.is_none_or(|p| p.thread_id != t.id) {
            return Err(AppError::validation(
                "quote_post_id",
                "You can only quote a post from this thread.",
            ));
        }
    }
    let organisation_id = organisation_for(state, who, None, t.organisation_id).await?;
    let p = db::threads::reply(
        &state.db,
        t.id,
        who.id,
        organisation_id,
        &body,
        &plain_text(&body),
        req.quote_post_id,
    )
    .await?;
    let view = push_post(state, t, &p).await?;
    let followers = db::threads::thread_followers(&state.db, t.id).await?;
    let readers = access::thread_readers(&state.db, t, followers).await?;
    let text = format!("New reply in “{}”", t.title);
    notify(
        state,
        who,
        &readers,
        NotificationKind::ThreadReply,
        t,
        &p,
        &text,
    )
    .await?;
    Ok(view)
}

/// The author edits a reply (the opening post is edited with the thread).
pub async fn edit_post(
    state: &AppState,
    p: &post::Model,
    t: &thread::Model,
    body: &str,
) -> AppResult<PostView> {
    let body = validate::body(body)?;
    let p = db::threads::edit_post(&state.db, p, &body, &plain_text(&body)).await?;
    push_post(state, t, &p).await
}

/// The author deletes a reply; deleting the opening post deletes the thread.
pub async fn delete_post(
    state: &AppState,
    p: &post::Model,
    t: &thread::Model,
) -> AppResult<PostView> {
    if p.opening {
        return Err(AppError::conflict(
            "This is the thread's opening post: delete the thread instead.",
        ));
    }
    let p = db::threads::delete_post(&state.db, p).await?;
    if t.answer_post_id == Some(p.id) {
        changed(state, t).await?;
    }
    push_post(state, t, &p).await
}

pub async fn delete(state: &AppState, who: &AuthUser, t: &thread::Model) -> AppResult<()> {
    if !access::thread_moderator(who, t) {
        return Err(AppError::forbidden(
            "Only the thread's author and the programme team can delete it.",
        ));
    }
    db::threads::delete(&state.db, t).await?;
    // Those watching hear about it; it now answers them `not_found`.
    let watchers = state.hub.watchers(t.id);
    let msg = ServerMsg::ThreadChanged { thread_id: t.id };
    state.hub.send_to_watchers(t.id, &watchers, false, &msg);
    Ok(())
}

/// "This helped me", on or off. Not for one's own posts, deleted posts, or
/// locked threads.
pub async fn helpful(
    state: &AppState,
    who: &AuthUser,
    p: &post::Model,
    t: &thread::Model,
    on: bool,
) -> AppResult<HelpfulResponse> {
    if p.author_id == who.id {
        return Err(AppError::conflict(
            "You cannot mark your own post as helpful.",
        ));
    }
    if p.deleted_at.is_some() {
        return Err(AppError::conflict("That post was deleted."));
    }
    if t.locked {
        return Err(AppError::conflict("This thread is locked."));
    }
    let count = db::threads::set_helpful(&state.db, p.id, who.id, on).await?;
    let p = db::threads::find_post(&state.db, p.id)
        .await?
        .ok_or(AppError::NotFound)?;
    push_post(state, t, &p).await?;
    Ok(HelpfulResponse {
        post_id: p.id,
        helpful: on,
        helpful_count: count,
    })
}

pub async fn set_state(
    state: &AppState,
    who: &AuthUser,
    t: &thread::Model,
    req: &SetThreadState,
) -> AppResult<ThreadResponse> {
    access::moderate_thread(who, t)?;
    db::threads::set_state(&state.db, t, req.pinned, req.locked, req.closed).await?;
    let t = refreshed(state, t.id).await?;
    changed(state, &t).await?;
    response(state, who, &t).await
}

pub async fn set_answer(
    state: &AppState,
    who: &AuthUser,
    t: &thread::Model,
    post_id: Option<i64>,
) -> AppResult<ThreadResponse> {
    access::moderate_thread(who, t)?;
    if let Some(id) = post_id {
        let p = db::threads::find_post(&state.db, id).await?;
        if !p.is_some_and(|p| p.thread_id == t.id && !p.opening && p.deleted_at.is_none()) {
            return Err(AppError::validation(
                "post_id",
                "Choose a reply in this thread as the answer.",
            ));
        }
    }
    db::threads::set_answer(&state.db, t, post_id).await?;
    let t = refreshed(state, t.id).await?;
    changed(state, &t).await?;
    response(state, who, &t).await
}

/// Push a post's current view to the thread's watchers who may read it.
async fn push_post(state: &AppState, t: &thread::Model, p: &post::Model) -> AppResult<PostView> {
    let view = views::post(&state.db, p).await?;
    let readers = access::thread_readers(&state.db, t, state.hub.watchers(t.id)).await?;
    let msg = ServerMsg::ThreadPost { post: view.clone() };
    state.hub.send_to_watchers(t.id, &readers, true, &msg);
    Ok(view)
}

/// Tell the thread's watchers who may read it that its head changed.
async fn changed(state: &AppState, t: &thread::Model) -> AppResult<()> {
    let readers = access::thread_readers(&state.db, t, state.hub.watchers(t.id)).await?;
    let msg = ServerMsg::ThreadChanged { thread_id: t.id };
    state.hub.send_to_watchers(t.id, &readers, true, &msg);
    Ok(())
}

async fn notify(
    state: &AppState,
    who: &AuthUser,
    users: &[i64],
    kind: NotificationKind,
    t: &thread::Model,
    p: &post::Model,
    text: &str,
) -> AppResult<()> {
    let subject = Subject::Post {
        thread_id: t.id,
        post_id: p.id,
    };
    crate::programme::notify(state, users, kind, who.id, &who.display_name, subject, text).await
}
