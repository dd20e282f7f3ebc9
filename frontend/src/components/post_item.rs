//! One post of a practice thread: who wrote it and when, the quote it
//! replies to, its body (server-rendered HTML), its tombstone once deleted
//! or hidden by a moderator, and what the reader may do with it: mark it
//! helpful, quote it, mark it as the answer, edit or delete their own,
//! report it or raise a concern about it ("More").

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::threads::{EditPost, PostView, ThreadResponse};
use shared::limits::POST_MAX_CHARS;
use shared::{ErrorKind, PostId};

use crate::api;
use crate::app::use_session;
use crate::components::content_menu::{ContentActions, ContentMenu, ContentRef, ReportPanel};
use crate::components::delete_confirm::DeleteConfirm;
use crate::components::form_errors::focus_later;
use crate::components::markdown_editor::{MarkdownEditor, post_length};
use crate::components::message_item::format_time;

/// Puts `post` in place of the one with its id, or after the others when
/// it is new (ids grow with time). True when it was new.
pub fn upsert_post(posts: &mut Vec<PostView>, post: PostView) -> bool {
    match posts.iter_mut().find(|p| p.id == post.id) {
        Some(known) => {
            *known = post;
            false
        }
        None => {
            posts.push(post);
            true
        }
    }
}

/// Why a post's text cannot be sent as it is, if it cannot.
pub fn body_problem(text: &str, when_empty: &str) -> Option<String> {
    let n = post_length(text);
    if n == 0 {
        Some(when_empty.to_owned())
    } else if n > POST_MAX_CHARS {
        Some(format!(
            "This is {} characters too long. The limit is {POST_MAX_CHARS}.",
            n - POST_MAX_CHARS
        ))
    } else {
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Reading,
    Editing,
    ConfirmingDelete,
}

#[component]
pub fn PostItem(
    post_id: PostId,
    /// The whole thread as the page holds it; this post is read from it and
    /// written back to it.
    data: RwSignal<ThreadResponse>,
    /// Quote this post in the reply.
    on_quote: Callback<PostId>,
    /// The opening post is edited with its thread's title and topics: the
    /// page opens that form.
    #[prop(optional)]
    on_edit_opening: Option<Callback<()>>,
    /// The page's status line: what the last action did.
    status: RwSignal<Option<String>>,
    /// Posted by someone else since the reader last read the thread.
    #[prop(optional)]
    is_new: bool,
) -> impl IntoView {
    let session = use_session();
    let post = Memo::new(move |_| data.with(|d| d.posts.iter().find(|p| p.id == post_id).cloned()));
    let Some(first) = post.get_untracked() else {
        return ().into_any();
    };
    let id = post_id;
    let thread_id = first.thread_id;
    let opening = first.opening;
    let author_name = first.author.display_name.clone();
    let mine = untrack(|| session.auth.user()).is_some_and(|u| u.id == first.author.id);

    let deleted = Memo::new(move |_| post.with(|p| p.as_ref().is_some_and(|p| p.deleted)));
    // Hidden by a moderator: its own tombstone, and nothing to act on.
    let hidden =
        Memo::new(move |_| post.with(|p| p.as_ref().is_some_and(|p| p.hidden && !p.deleted)));
    let gone = Memo::new(move |_| deleted.get() || hidden.get());
    let content_actions = ContentActions::new(
        ContentRef::Post { id, thread_id },
        author_name.clone(),
        mine,
    );
    let helpful_count =
        Memo::new(move |_| post.with(|p| p.as_ref().map_or(0, |p| p.helpful_count)));
    let helped = Memo::new(move |_| data.with(|d| d.helped.contains(&id)));
    let is_answer = Memo::new(move |_| data.with(|d| d.thread.answer_post_id == Some(id)));
    let can_moderate = Memo::new(move |_| data.with(|d| d.can.moderate));
    let can_reply = Memo::new(move |_| data.with(|d| d.can.reply));
    // A locked thread is frozen: no edits or marks.
    let locked = Memo::new(move |_| data.with(|d| d.thread.locked));

    let mode = RwSignal::new(Mode::Reading);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let draft_error = RwSignal::new(None::<String>);

    let article_id = format!("post-{id}");
    let meta_id = format!("post-{id}-meta");
    let error_id = format!("post-{id}-error");
    let edit_button = format!("post-{id}-edit");
    let delete_button = format!("post-{id}-delete");
    let editor_id = format!("edit-post-{id}");
    let question_id = format!("post-{id}-delete-question");
    let cancel_delete_id = format!("post-{id}-delete-cancel");

    // Someone else's post deleted while the reader was on its buttons: keep
    // their place on the post rather than the top of the page.
    Effect::new({
        let article_id = article_id.clone();
        move |was: Option<bool>| {
            let now = gone.get();
            if was == Some(false) && now {
                mode.set(Mode::Reading);
                if focus_was_lost() {
                    focus_later(article_id.clone());
                }
            }
            now
        }
    });

    let report = move |e: shared::ApiError, what: &str| {
        if !session.auth.check(&e) {
            let _ = error.try_set(Some(format!("{what} {}", e.message)));
        }
    };

    let toggle_helpful = move |_| {
        if busy.get_untracked() {
            return;
        }
        let want = !helped.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::set_helpful(id, want).await;
            let _ = busy.try_set(false);
            match result {
                Ok(answer) => {
                    let _ = data.try_update(|d| {
                        d.helped.retain(|p| *p != answer.post_id);
                        if answer.helpful {
                            d.helped.push(answer.post_id);
                        }
                        if let Some(p) = d.posts.iter_mut().find(|p| p.id == answer.post_id) {
                            p.helpful_count = answer.helpful_count;
                        }
                    });
                }
                Err(e) => report(e, "Could not change that."),
            }
        });
    };

    let toggle_answer = move |_| {
        if busy.get_untracked() {
            return;
        }
        let was = is_answer.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::set_answer(thread_id, (!was).then_some(id)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = data.try_set(view);
                    let _ = status.try_set(Some(
                        if was {
                            "That post is no longer marked as the answer."
                        } else {
                            "Marked as the answer."
                        }
                        .to_owned(),
                    ));
                }
                Err(e) => report(e, "Could not change the answer."),
            }
        });
    };

    let start_edit = {
        let editor_id = editor_id.clone();
        move |_: leptos::ev::MouseEvent| {
            if opening {
                if let Some(edit_thread) = on_edit_opening {
                    edit_thread.run(());
                }
                return;
            }
            draft.set(
                post.with_untracked(|p| p.as_ref().map(|p| p.body.clone()).unwrap_or_default()),
            );
            draft_error.set(None);
            error.set(None);
            mode.set(Mode::Editing);
            focus_later(editor_id.clone());
        }
    };
    let cancel_edit = {
        let edit_button = edit_button.clone();
        move |_| {
            mode.set(Mode::Reading);
            draft_error.set(None);
            focus_later(edit_button.clone());
        }
    };
    let save_edit = {
        let edit_button = edit_button.clone();
        let editor_id = editor_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let text = draft.get_untracked();
            let when_empty = if opening {
                "The opening post cannot be empty."
            } else {
                "Write something, or delete the post instead."
            };
            if let Some(problem) = body_problem(&text, when_empty) {
                draft_error.set(Some(problem));
                focus_later(editor_id.clone());
                return;
            }
            busy.set(true);
            draft_error.set(None);
            let edit_button = edit_button.clone();
            let editor_id = editor_id.clone();
            spawn_local(async move {
                let body = EditPost {
                    body: text.trim().to_owned(),
                };
                let result = api::edit_post(id, &body).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(saved) => {
                        let _ = data.try_update(|d| upsert_post(&mut d.posts, saved));
                        let _ = mode.try_set(Mode::Reading);
                        let _ = status.try_set(Some("Your post is saved.".to_owned()));
                        focus_later(edit_button);
                    }
                    Err(e) => {
                        if !session.auth.check(&e) {
                            let _ = draft_error.try_set(Some(e.message));
                            focus_later(editor_id);
                        }
                    }
                }
            });
        }
    };

    let start_delete = {
        let cancel_delete_id = cancel_delete_id.clone();
        move |_| {
            error.set(None);
            mode.set(Mode::ConfirmingDelete);
            // Cancel first: a second tap or Enter must not delete by accident.
            focus_later(cancel_delete_id.clone());
        }
    };
    let cancel_delete = {
        let delete_button = delete_button.clone();
        move || {
            mode.set(Mode::Reading);
            error.set(None);
            focus_later(delete_button.clone());
        }
    };
    let confirm_delete = {
        let article_id = article_id.clone();
        move |()| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            error.set(None);
            let article_id = article_id.clone();
            spawn_local(async move {
                let result = api::delete_post(id).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(tombstone) => {
                        let _ = data.try_update(|d| upsert_post(&mut d.posts, tombstone));
                        let _ = mode.try_set(Mode::Reading);
                        let _ = status.try_set(Some("Your post was deleted.".to_owned()));
                        focus_later(article_id);
                    }
                    // Already gone: show it as it is now.
                    Err(e) if e.kind == ErrorKind::NotFound => {
                        let _ = mode.try_set(Mode::Reading);
                        report(e, "Could not delete the post.");
                    }
                    Err(e) => report(e, "Could not delete the post."),
                }
            });
        }
    };

    let meta = move || {
        post.with(|p| {
            let p = p.as_ref()?;
            let iso = p.created_at.to_rfc3339();
            let when = format_time(&p.created_at);
            let org = p.organisation.clone();
            let edited = p.edited_at.is_some() && !p.deleted && !p.hidden;
            Some(view! {
                <span class="post-author">{p.author.display_name.clone()}</span>
                {org.map(|o| view! { <span class="post-org">" for " {o}</span> })}
                " · "
                <time class="post-time" datetime=iso>
                    {when}
                </time>
                {edited.then(|| view! { " " <span class="post-edited">"(edited)"</span> })}
            })
        })
    };

    let quote = move || {
        post.with(|p| {
            // A tombstone keeps nothing of what it said, its quote included.
            let q = p
                .as_ref()
                .filter(|p| !p.deleted && !p.hidden)?
                .quote
                .clone()?;
            let excerpt = if q.excerpt.is_empty() {
                view! { <p class="quote-excerpt muted">"The quoted post was deleted."</p> }
                    .into_any()
            } else {
                view! { <p class="quote-excerpt">{q.excerpt}</p> }.into_any()
            };
            Some(view! {
                <blockquote class="quote">
                    <p class="quote-author">
                        <a href=format!("#post-{}", q.post_id)>
                            {q.author.display_name} " wrote:"
                        </a>
                    </p>
                    {excerpt}
                </blockquote>
            })
        })
    };

    let html = move || post.with(|p| p.as_ref().map(|p| p.html.clone()).unwrap_or_default());

    // The count changes inside the button, so focus stays on it.
    let helpful_control = move || {
        if !mine && !locked.get() {
            view! {
                <button
                    type="button"
                    class="helpful button secondary small"
                    aria-pressed=move || if helped.get() { "true" } else { "false" }
                    on:click=toggle_helpful
                >
                    "This helped me"
                    {move || {
                        let n = helpful_count.get();
                        (n > 0).then(|| view! { <span class="helpful-count">" · Helped " {n}</span> })
                    }}
                </button>
            }
            .into_any()
        } else {
            (move || {
                let n = helpful_count.get();
                let people = if n == 1 { "person" } else { "people" };
                (n > 0).then(|| {
                    view! { <span class="helpful-count">{format!("Helped {n} {people}")}</span> }
                })
            })
            .into_any()
        }
    };

    let actions = {
        let edit_button = edit_button.clone();
        let delete_button = delete_button.clone();
        let author_name = author_name.clone();
        move || {
            if gone.get() {
                return ().into_any();
            }
            let frozen = locked.get();
            let quote_button = can_reply.get().then(|| {
                view! {
                    <button
                        type="button"
                        class="link-button quote-reply"
                        on:click=move |_| on_quote.run(id)
                    >
                        "Quote"
                        <span class="visually-hidden">{format!(" {author_name}")}</span>
                    </button>
                }
            });
            let answer_button = (can_moderate.get() && !opening && !frozen).then(|| {
                view! {
                    <button type="button" class="link-button mark-answer" on:click=toggle_answer>
                        {move || {
                            if is_answer.get() { "Unmark as answer" } else { "Mark as answer" }
                        }}
                    </button>
                }
            });
            let own_buttons = (mine && !frozen).then(|| {
                view! {
                    <button
                        type="button"
                        id=edit_button.clone()
                        class="link-button post-edit"
                        on:click=start_edit.clone()
                    >
                        "Edit"
                        <span class="visually-hidden">" your post"</span>
                    </button>
                    // The opening post goes with its thread ("Delete thread").
                    {(!opening)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    id=delete_button.clone()
                                    class="link-button post-delete"
                                    on:click=start_delete.clone()
                                >
                                    "Delete"
                                    <span class="visually-hidden">" your post"</span>
                                </button>
                            }
                        })}
                }
            });
            view! {
                <div class="post-actions">
                    {helpful_control} {quote_button} {answer_button} {own_buttons}
                    <ContentMenu actions=content_actions />
                </div>
                <ReportPanel actions=content_actions />
            }
            .into_any()
        }
    };

    let body = move || {
        if deleted.get() {
            return view! { <p class="post-deleted">"This post was deleted."</p> }.into_any();
        }
        if hidden.get() {
            return view! { <p class="post-deleted post-hidden">"Hidden by a moderator."</p> }
                .into_any();
        }
        match mode.get() {
            Mode::Editing => {
                let cancel_edit = cancel_edit.clone();
                view! {
                    <form class="post-edit-form" novalidate on:submit=save_edit.clone()>
                        <MarkdownEditor
                            id=editor_id.clone()
                            label="Edit your post"
                            value=draft
                            error=draft_error
                        />
                        <div class="inline-actions">
                            <button
                                type="submit"
                                class="button primary small"
                                aria-busy=move || busy.get().then_some("true")
                            >
                                {move || if busy.get() { "Saving…" } else { "Save" }}
                            </button>
                            <button type="button" class="button secondary small" on:click=cancel_edit>
                                "Cancel"
                            </button>
                        </div>
                    </form>
                }
                .into_any()
            }
            Mode::ConfirmingDelete => {
                let cancel = cancel_delete.clone();
                view! {
                    <div class="post-body" inner_html=html></div>
                    <DeleteConfirm
                        question_id=question_id.clone()
                        question="Delete this post? This cannot be undone."
                        cancel_id=cancel_delete_id.clone()
                        confirm_class="post-delete-confirm"
                        busy=busy
                        on_confirm=Callback::new(confirm_delete.clone())
                        on_cancel=Callback::new(move |()| cancel())
                    />
                }
                .into_any()
            }
            Mode::Reading => view! {
                <div class="post-body" inner_html=html></div>
                {actions.clone()}
            }
            .into_any(),
        }
    };

    view! {
        <article
            class="post"
            class:opening=opening
            class:mine=mine
            class:new=is_new
            class:answer=move || is_answer.get()
            class:deleted=move || gone.get()
            class:hidden-by-moderator=move || hidden.get()
            id=article_id
            data-post-id=id
            tabindex="-1"
            aria-labelledby=meta_id.clone()
        >
            <header class="post-meta">
                <p id=meta_id.clone()>{meta}</p>
                {is_new.then(|| view! { <span class="label-tag new-tag">"New"</span> })}
                {move || {
                    is_answer
                        .get()
                        .then(|| view! { <span class="label-tag answer-badge">"Answer"</span> })
                }}
            </header>
            {quote}
            {body}
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </article>
    }
    .into_any()
}

fn focus_was_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.as_ref(),
        (Some(_), None) => false,
    }
}
