//! One practice thread: its head (title, topics, state, following, and the
//! author's or an admin's controls), its posts and the reply box. While it
//! is open the socket watches it, so new posts, edits and marks appear live.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use shared::api::threads::{CreatePost, EditThread, SetThreadState, ThreadResponse};
use shared::limits::THREAD_TOPICS_MAX;
use shared::{ErrorKind, PostId, ThreadId};
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::markdown_editor::MarkdownEditor;
use crate::components::message_item::format_time;
use crate::components::org_text_field::InputField;
use crate::components::post_item::{PostItem, body_problem, upsert_post};
use crate::components::taxonomy_checkboxes::TaxonomyCheckboxes;
use crate::components::thread_badges::ThreadBadges;
use crate::page_load::{LoadedPage, load_by_id};
use crate::pages::thread_new::check_head;

#[component]
pub fn ThreadPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<ThreadId>().ok())
    });
    let watched = StoredValue::new(None::<ThreadId>);

    // Watch before loading, so what is posted while the thread loads still
    // arrives; stop when the page goes or shows another thread.
    Effect::new(move |_| {
        let now = id.get();
        let before = watched.get_value();
        if before != now {
            if let Some(before) = before {
                session.ws.watch_thread(before, false);
            }
            if let Some(now) = now {
                session.ws.watch_thread(now, true);
            }
            watched.set_value(now);
        }
    });
    on_cleanup(move || {
        if let Some(Some(id)) = watched.try_get_value() {
            session.ws.watch_thread(id, false);
        }
    });

    let (load, retry) = load_by_id(id, api::thread);

    view! {
        <main id="main" class="page thread-page">
            <LoadedPage
                load=load
                retry=retry
                title="Practice thread"
                loading="Loading the thread…"
                missing_title="Thread not found"
                missing_id="thread-missing"
                missing_text="This thread does not exist, or you cannot see it. "
                back_href="/threads"
                back_text="Go to the practice threads"
                ready=|subject| view! { <ThreadBody initial=subject /> }.into_any()
            />
        </main>
    }
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

/// The post named by the address's `#post-{id}`, if it is shown: brought
/// into view and focused, so a screen reader starts there.
fn show_linked(hash: &str) {
    let Some(id) = hash.strip_prefix("#post-").filter(|id| !id.is_empty()) else {
        return;
    };
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("post-{id}")))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let _ = el.set_attribute("data-linked", "true");
    let _ = el.focus();
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
}

fn scroll_to_post(id: PostId) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("post-{id}")))
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

#[component]
fn ThreadBody(initial: ThreadResponse) -> impl IntoView {
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let thread_id = initial.thread.id;
    // Posts after this were new when the page opened (0: everything is new,
    // so nothing is marked as such).
    let read_before = initial.last_read_post_id;
    let read_sent = StoredValue::new(initial.last_read_post_id);
    let data = RwSignal::new(initial);

    let title = Memo::new(move |_| data.with(|d| d.thread.title.clone()));
    Effect::new(move |_| set_page_title(&title.get()));
    let summary = Memo::new(move |_| data.with(|d| d.thread.clone()));
    let post_ids =
        Memo::new(move |_| data.with(|d| d.posts.iter().map(|p| p.id).collect::<Vec<_>>()));
    let can_moderate = Memo::new(move |_| data.with(|d| d.can.moderate));
    let can_reply = Memo::new(move |_| data.with(|d| d.can.reply));
    let pinned = Memo::new(move |_| data.with(|d| d.thread.pinned));
    let closed = Memo::new(move |_| data.with(|d| d.thread.closed));
    let locked = Memo::new(move |_| data.with(|d| d.thread.locked));
    let following = Memo::new(move |_| data.with(|d| d.thread.following));
    let answer = Memo::new(move |_| data.with(|d| d.thread.answer_post_id));
    let my_id = untrack(|| session.auth.user()).map(|u| u.id);

    let status = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let gone = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let is_author = Memo::new(move |_| data.with(|d| Some(d.thread.author.id) == my_id));
    let editing_head = RwSignal::new(false);
    let edit_opening = Callback::new(move |()| {
        editing_head.set(true);
        focus_later("edit-thread-title");
    });

    // The read marker: on opening, on each new post while the page is
    // seen, and when the page is seen again.
    let mark_read = move || {
        if !page_visible() {
            return;
        }
        // May run after the page has gone (a reload answering late).
        let Some(newest) = data
            .try_with_untracked(|d| d.posts.iter().map(|p| p.id).max())
            .flatten()
        else {
            return;
        };
        let Some(before) = read_sent.try_get_value().filter(|sent| *sent < newest) else {
            return;
        };
        read_sent.set_value(newest);
        spawn_local(async move {
            if let Err(e) = api::mark_thread_read(thread_id, newest).await
                && !session.auth.check(&e)
            {
                // Try again next time.
                read_sent.try_update_value(|sent| {
                    if *sent == newest {
                        *sent = before;
                    }
                });
            }
        });
    };
    mark_read();
    let visibility = window_event_listener_untyped("visibilitychange", move |_| mark_read());
    on_cleanup(move || visibility.remove());

    let reload = move || {
        spawn_local(async move {
            match api::thread(thread_id).await {
                Ok(view) => {
                    let _ = data.try_set(view);
                    mark_read();
                }
                Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => {
                    let _ = gone.try_set(true);
                }
                Err(e) => {
                    session.auth.check(&e);
                }
            }
        });
    };

    // Live: posts replace theirs by id (new ones go last); other changes, and
    // a reconnect (which may have missed anything), reload the thread quietly.
    Effect::new(move |seen: Option<()>| {
        let post = session.ws.thread_post(thread_id);
        let (Some(()), Some(post)) = (seen, post) else {
            return;
        };
        let from_me = my_id == Some(post.author.id);
        let author = post.author.display_name.clone();
        let is_new = data
            .try_update(|d| upsert_post(&mut d.posts, post))
            .unwrap_or(false);
        if is_new {
            if !from_me {
                session.chat.announce(format!("New reply from {author}"));
            }
            mark_read();
        }
    });
    Effect::new(move |seen: Option<()>| {
        let hit = session.ws.thread_changed(thread_id);
        if seen.is_some() && hit {
            reload();
        }
    });

    // `#post-12` in the address, now or after following a link on the page.
    let hash = use_location().hash;
    Effect::new(move |_| {
        let linked = hash.get();
        if linked.starts_with("#post-") {
            request_animation_frame(move || show_linked(&linked));
        }
    });

    let report = move |e: shared::ApiError, what: &str| {
        if !session.auth.check(&e) {
            let _ = action_error.try_set(Some(format!("{what} {}", e.message)));
        }
    };

    let set_state = move |change: SetThreadState, done: &'static str| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        action_error.set(None);
        spawn_local(async move {
            let result = api::set_thread_state(thread_id, &change).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = data.try_set(view);
                    let _ = status.try_set(Some(done.to_owned()));
                }
                Err(e) => report(e, "Could not change the thread."),
            }
        });
    };
    let toggle_pin = move |_| {
        let pin = !pinned.get_untracked();
        let change = SetThreadState {
            pinned: Some(pin),
            ..Default::default()
        };
        set_state(
            change,
            if pin {
                "Pinned: the thread stays at the top of the list."
            } else {
                "Unpinned."
            },
        );
    };
    let toggle_close = move |_| {
        let close = !closed.get_untracked();
        let change = SetThreadState {
            closed: Some(close),
            ..Default::default()
        };
        set_state(
            change,
            if close {
                "Closed: the thread takes no new replies."
            } else {
                "Reopened: replies are welcome again."
            },
        );
    };
    let toggle_lock = move |_| {
        let lock = !locked.get_untracked();
        let change = SetThreadState {
            locked: Some(lock),
            ..Default::default()
        };
        set_state(
            change,
            if lock {
                "Locked: no replies, edits or marks."
            } else {
                "Unlocked."
            },
        );
    };

    let toggle_follow = move |_| {
        if busy.get_untracked() {
            return;
        }
        let want = !following.get_untracked();
        busy.set(true);
        action_error.set(None);
        spawn_local(async move {
            let result = api::follow_thread(thread_id, want).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = data.try_update(|d| d.thread.following = want);
                    let _ = status.try_set(Some(
                        if want {
                            "You are following this thread."
                        } else {
                            "You no longer follow this thread."
                        }
                        .to_owned(),
                    ));
                }
                Err(e) => report(e, "Could not change that."),
            }
        });
    };

    let start_delete = move |_| {
        action_error.set(None);
        confirming_delete.set(true);
        // Cancel first: a second tap or Enter must not delete by accident.
        focus_later("thread-delete-cancel");
    };
    let cancel_delete = move || {
        confirming_delete.set(false);
        focus_later("thread-delete");
    };
    let confirm_delete = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        action_error.set(None);
        spawn_local(async move {
            let result = api::delete_thread(thread_id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    session.chat.announce("The thread was deleted.".to_owned());
                    navigate.try_with_value(|navigate| navigate("/threads", Default::default()));
                }
                Err(e) => report(e, "Could not delete the thread."),
            }
        });
    };

    // The reply box.
    let reply = RwSignal::new(String::new());
    let reply_error = RwSignal::new(None::<String>);
    let reply_preview = RwSignal::new(false);
    let quoting = RwSignal::new(None::<(PostId, String)>);
    let posting = RwSignal::new(false);

    let on_quote = Callback::new(move |post_id: PostId| {
        let name = data.with_untracked(|d| {
            d.posts
                .iter()
                .find(|p| p.id == post_id)
                .map(|p| p.author.display_name.clone())
        });
        if let Some(name) = name {
            quoting.set(Some((post_id, name)));
            reply_preview.set(false);
            focus_later("reply-body");
        }
    });
    let remove_quote = move |_| {
        quoting.set(None);
        focus_later("reply-body");
    };

    let submit_reply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if posting.get_untracked() {
            return;
        }
        let text = reply.get_untracked();
        if let Some(problem) = body_problem(&text, "Write your reply first.") {
            reply_error.set(Some(problem));
            reply_preview.set(false);
            focus_later("reply-body");
            return;
        }
        posting.set(true);
        reply_error.set(None);
        action_error.set(None);
        let body = CreatePost {
            body: text.trim().to_owned(),
            quote_post_id: quoting.get_untracked().map(|(id, _)| id),
        };
        spawn_local(async move {
            let result = api::create_post(thread_id, &body).await;
            let _ = posting.try_set(false);
            match result {
                Ok(post) => {
                    let new_id = post.id;
                    let _ = data.try_update(|d| upsert_post(&mut d.posts, post));
                    let _ = reply.try_set(String::new());
                    let _ = quoting.try_set(None);
                    let _ = reply_preview.try_set(false);
                    let _ = status.try_set(Some("Your reply is posted.".to_owned()));
                    mark_read();
                    scroll_to_post(new_id);
                }
                Err(e) if session.auth.check(&e) => {}
                // Closed or locked meanwhile: the reload shows why; the draft is kept.
                Err(e) if e.kind == ErrorKind::Conflict => {
                    let _ = action_error.try_set(Some(format!(
                        "Your reply was not posted. {} Your text is kept.",
                        e.message
                    )));
                    focus_later("thread-error");
                    reload();
                }
                Err(e) => {
                    let _ = reply_error.try_set(Some(e.message));
                    focus_later("reply-body");
                }
            }
        });
    };

    let topics = move || {
        summary.with(|t| {
            t.topics
                .iter()
                .enumerate()
                .map(|(i, topic)| {
                    view! {
                        {(i > 0).then_some(", ")}
                        <a href=format!("/threads?topic={}", topic.slug())>{topic.label()}</a>
                    }
                })
                .collect_view()
        })
    };
    let started = move || {
        summary.with(|t| {
            let by = match &t.organisation {
                Some(org) => format!("{} for {org}", t.author.display_name),
                None => t.author.display_name.clone(),
            };
            view! {
                "Started by "
                <span class="thread-author">{by}</span>
                " · "
                <time datetime=t.created_at.to_rfc3339()>{format_time(&t.created_at)}</time>
            }
        })
    };
    let why_no_reply = move || {
        if gone.get() {
            "This thread has been deleted, or you can no longer see it."
        } else if locked.get() {
            "This thread is locked: it takes no new replies, edits or marks."
        } else if closed.get() {
            "This thread is closed, so it takes no new replies."
        } else {
            "You cannot reply to this thread."
        }
    };

    view! {
        <p class="back-link">
            <a href="/threads">"All practice threads"</a>
        </p>
        <h1 id="thread-title">{title}</h1>
        <ThreadBadges thread=summary />
        <p class="thread-topics">"Topics: " {topics}</p>
        <p class="thread-meta muted">{started}</p>
        {move || {
            answer
                .get()
                .map(|post_id| {
                    view! {
                        <p class="answer-link">
                            <a id="answer-link" href=format!("#post-{post_id}")>
                                "Go to the answer"
                            </a>
                        </p>
                    }
                })
        }}
        <div class="thread-controls">
            <button
                type="button"
                id="follow-thread"
                class="button secondary small"
                aria-pressed=move || if following.get() { "true" } else { "false" }
                on:click=toggle_follow
            >
                {move || if following.get() { "Following" } else { "Follow this thread" }}
            </button>
            <Show when=move || is_author.get() && !locked.get()>
                <button
                    type="button"
                    id="thread-edit"
                    class="button secondary small"
                    aria-expanded=move || if editing_head.get() { "true" } else { "false" }
                    on:click=move |_| {
                        let open = !editing_head.get_untracked();
                        editing_head.set(open);
                        if open {
                            focus_later("edit-thread-title");
                        }
                    }
                >
                    "Edit thread"
                </button>
            </Show>
            <Show when=move || can_moderate.get()>
                <div class="thread-moderation" role="group" aria-label="Moderate this thread">
                    <button type="button" id="thread-pin" class="button secondary small" on:click=toggle_pin>
                        {move || if pinned.get() { "Unpin" } else { "Pin" }}
                    </button>
                    <button
                        type="button"
                        id="thread-close"
                        class="button secondary small"
                        on:click=toggle_close
                    >
                        {move || if closed.get() { "Reopen" } else { "Close" }}
                    </button>
                    <button type="button" id="thread-lock" class="button secondary small" on:click=toggle_lock>
                        {move || if locked.get() { "Unlock" } else { "Lock" }}
                    </button>
                    <button
                        type="button"
                        id="thread-delete"
                        class="button secondary small"
                        on:click=start_delete
                    >
                        "Delete thread"
                    </button>
                </div>
            </Show>
        </div>
        <Show when=move || editing_head.get() && !locked.get()>
            <ThreadHeadForm data=data open=editing_head status=status />
        </Show>
        <Show when=move || confirming_delete.get()>
            <div
                class="delete-confirm"
                role="group"
                aria-labelledby="thread-delete-question"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        cancel_delete();
                    }
                }
            >
                <p id="thread-delete-question">
                    "Delete this thread and every post in it? This cannot be undone."
                </p>
                <div class="inline-actions">
                    <button
                        type="button"
                        id="thread-delete-confirm"
                        class="button danger small"
                        aria-busy=move || busy.get().then_some("true")
                        on:click=confirm_delete
                    >
                        "Yes, delete the thread"
                    </button>
                    <button
                        type="button"
                        id="thread-delete-cancel"
                        class="button secondary small"
                        on:click=move |_| cancel_delete()
                    >
                        "Cancel"
                    </button>
                </div>
            </div>
        </Show>
        <p id="thread-status" class="settings-status" role="status">
            {move || status.get()}
        </p>
        <p id="thread-error" class="field-error" role="alert" tabindex="-1">
            {move || action_error.get()}
        </p>

        <section class="thread-posts" aria-labelledby="posts-heading">
            <h2 id="posts-heading" class="visually-hidden">
                "Posts"
            </h2>
            <div id="posts" class="posts">
                <For
                    each=move || post_ids.get()
                    key=|id| *id
                    children=move |post_id| {
                        let is_new = read_before > 0 && post_id > read_before
                            && data.with_untracked(|d| {
                                d.posts.iter().any(|p| p.id == post_id && Some(p.author.id) != my_id)
                            });
                        view! {
                            <PostItem
                                post_id=post_id
                                data=data
                                on_quote=on_quote
                                on_edit_opening=edit_opening
                                status=status
                                is_new=is_new
                            />
                        }
                    }
                />
            </div>
        </section>

        <section class="reply-section" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            {move || {
                if !can_reply.get() || gone.get() {
                    return view! {
                        <p class="notice" id="reply-unavailable">
                            {why_no_reply}
                        </p>
                    }
                        .into_any();
                }
                view! {
                    <form id="reply-form" class="reply-form" novalidate on:submit=submit_reply>
                        {move || {
                            quoting
                                .get()
                                .map(|(post_id, name)| {
                                    view! {
                                        <div class="quoting" id="quoting">
                                            <p>
                                                "Quoting "
                                                <a href=format!("#post-{post_id}")>{name}</a>
                                            </p>
                                            <button
                                                type="button"
                                                id="quote-remove"
                                                class="link-button"
                                                on:click=remove_quote
                                            >
                                                "Remove quote"
                                            </button>
                                        </div>
                                    }
                                })
                        }}
                        <MarkdownEditor
                            id="reply-body"
                            label="Your reply"
                            value=reply
                            error=reply_error
                            previewing=reply_preview
                            rows=5
                        />
                        <button
                            type="submit"
                            id="post-reply"
                            class="button primary"
                            aria-busy=move || posting.get().then_some("true")
                        >
                            {move || if posting.get() { "Posting…" } else { "Post reply" }}
                        </button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}

/// API field name and DOM id (the one to focus) of the thread's edit form.
const HEAD_FIELDS: [(&str, &str); 4] = [
    ("title", "edit-thread-title"),
    ("topics", "edit-thread-topics-safeguarding"),
    ("activity_types", "edit-thread-activity-arts"),
    ("body", "edit-thread-body"),
];

/// The author changes the title, topics, activity types and opening post
/// together (the server edits the opening post only this way).
#[component]
fn ThreadHeadForm(
    data: RwSignal<ThreadResponse>,
    open: RwSignal<bool>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let (thread_id, start) = data.with_untracked(|d| {
        let opening = d.posts.iter().find(|p| p.opening);
        (
            d.thread.id,
            (
                d.thread.title.clone(),
                d.thread.topics.clone(),
                d.thread.activity_types.clone(),
                opening.map(|p| p.body.clone()).unwrap_or_default(),
            ),
        )
    });
    let title = RwSignal::new(start.0);
    let topics = RwSignal::new(start.1);
    let activity_types = RwSignal::new(start.2);
    let body = RwSignal::new(start.3);
    let previewing = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };
    let show = move |found: FormErrors| {
        if found.fields.contains_key("body") {
            previewing.set(false);
        }
        focus_later(found.focus_target(&HEAD_FIELDS));
        errors.set(found);
    };
    let close = move || {
        open.set(false);
        focus_later("thread-edit");
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = title.with_untracked(|t| check_head(t, topics.with_untracked(Vec::len)));
        if let Some(problem) =
            body.with_untracked(|b| body_problem(b, "The opening post cannot be empty."))
        {
            found.field("body", problem);
        }
        if !found.is_empty() {
            show(found);
            return;
        }
        errors.set(FormErrors::default());
        let request = EditThread {
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked().trim().to_owned(),
            topics: topics.get_untracked(),
            activity_types: activity_types.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let result = api::edit_thread(thread_id, &request).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = data.try_set(view);
                    let _ = status.try_set(Some("The thread is saved.".to_owned()));
                    close();
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let names: Vec<&str> = HEAD_FIELDS.iter().map(|(name, _)| *name).collect();
                        show(FormErrors::from_api(e, &names));
                    }
                }
            }
        });
    };

    view! {
        <form id="thread-edit-form" class="stack thread-edit-form" novalidate on:submit=on_submit>
            <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
            <InputField
                id="edit-thread-title"
                label="Title"
                value=title
                required=true
                autocomplete="off"
                error=field_error("title")
            />
            <TaxonomyCheckboxes
                id_prefix="edit-thread-topics"
                legend="Topics"
                value=topics
                hint=format!("Choose one to {THREAD_TOPICS_MAX}.")
                error=field_error("topics")
            />
            <TaxonomyCheckboxes
                id_prefix="edit-thread-activity"
                legend="Activity types (optional)"
                value=activity_types
                error=field_error("activity_types")
            />
            <MarkdownEditor
                id="edit-thread-body"
                label="Opening post"
                value=body
                error=field_error("body")
                previewing=previewing
                rows=8
            />
            <div class="inline-actions">
                <button
                    type="submit"
                    id="thread-edit-save"
                    class="button primary small"
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                </button>
                <button
                    type="button"
                    class="button secondary small"
                    on:click=move |_| close()
                >
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
