//! The practice threads: the list (pinned first, then newest activity),
//! filtered by a topic that lives in the address (`?topic=slug`) so a
//! filtered list can be linked, following that topic, and starting a thread.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::threads::{ListThreads, ThreadSummary};
use shared::taxonomy::Topic;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::retry_notice::RetryNotice;
use crate::components::thread_row::ThreadRow;

/// "Loading threads…", "No threads under Safeguarding yet…", "3 threads."
fn count_sentence(count: Option<usize>, failed: bool, topic: Option<Topic>) -> String {
    match (count, topic) {
        (None, _) if !failed => "Loading threads…".to_owned(),
        (None, _) => String::new(),
        (Some(0), Some(t)) => format!(
            "No threads under {} yet. Start one with “New thread”.",
            t.label()
        ),
        (Some(0), None) => "No threads yet. Start the first one with “New thread”.".to_owned(),
        (Some(1), _) => "1 thread.".to_owned(),
        (Some(n), _) => format!("{n} threads."),
    }
}

#[component]
pub fn ThreadsPage() -> impl IntoView {
    set_page_title("Practice threads");
    let session = use_session();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let topic = Memo::new(move |_| {
        query
            .read()
            .get("topic")
            .and_then(|slug| Topic::from_slug(&slug))
    });

    let list = LocalResource::new(move || {
        let filter = ListThreads {
            topic: topic.get().map(|t| t.slug().to_owned()),
            coop: None,
        };
        async move { api::list_threads(&filter).await }
    });
    // The last list that loaded stays on screen while another loads.
    let threads = Memo::new(move |_| match list.get() {
        Some(Ok(found)) => Some(found.threads),
        _ => None,
    });
    let failure = Memo::new(move |_| match list.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let followed = RwSignal::new(Vec::<Topic>::new());
    Effect::new(move |_| {
        if let Some(Ok(found)) = list.get() {
            followed.set(found.followed_topics);
        }
    });
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });

    let choose_topic = move |ev: leptos::ev::Event| {
        let path = match Topic::from_slug(&event_target_value(&ev)) {
            Some(t) => format!("/threads?topic={}", t.slug()),
            None => "/threads".to_owned(),
        };
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&path, options));
    };

    let follow_status = RwSignal::new(None::<String>);
    let follow_error = RwSignal::new(None::<String>);
    let following_topic = move || {
        topic
            .get()
            .is_some_and(|t| followed.with(|f| f.contains(&t)))
    };
    let saving = RwSignal::new(false);
    let toggle_follow = move |_| {
        let Some(t) = topic.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        let want = !followed.with_untracked(|f| f.contains(&t));
        saving.set(true);
        follow_error.set(None);
        spawn_local(async move {
            let result = api::follow_topic(t, want).await;
            let _ = saving.try_set(false);
            match result {
                Ok(()) => {
                    let _ = followed.try_update(|f| {
                        f.retain(|x| *x != t);
                        if want {
                            f.push(t);
                        }
                    });
                    let _ = follow_status.try_set(Some(if want {
                        format!("You are following {}.", t.label())
                    } else {
                        format!("You no longer follow {}.", t.label())
                    }));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = follow_error
                            .try_set(Some(format!("Could not change that. {}", e.message)));
                    }
                }
            }
        });
    };
    // A status about another topic would mislead.
    Effect::new(move |_| {
        topic.track();
        follow_status.set(None);
        follow_error.set(None);
    });

    let new_thread_href = move || match topic.get() {
        Some(t) => format!("/threads/new?topic={}", t.slug()),
        None => "/threads/new".to_owned(),
    };
    let status_text = move || {
        count_sentence(
            threads.with(|t| t.as_ref().map(Vec::len)),
            failure.with(Option::is_some),
            topic.get(),
        )
    };
    let topic_options = Topic::ALL
        .iter()
        .copied()
        .map(|t| {
            view! {
                <option value=t.slug() prop:selected=move || topic.get() == Some(t)>
                    {t.label()}
                </option>
            }
        })
        .collect_view();

    view! {
        <main id="main" class="page threads-page">
            <h1>"Practice threads"</h1>
            <p>
                "Ask how other organisations handle something, and share what has worked for you. Every member can read and reply."
            </p>
            <div class="threads-toolbar">
                <form
                    class="thread-filter"
                    role="search"
                    aria-label="Filter threads"
                    novalidate
                    on:submit=move |ev| ev.prevent_default()
                >
                    <div class="field">
                        <label for="thread-topic">"Topic"</label>
                        <select id="thread-topic" name="topic" on:change=choose_topic>
                            <option value="" prop:selected=move || topic.with(Option::is_none)>
                                "All topics"
                            </option>
                            {topic_options}
                        </select>
                    </div>
                </form>
                <Show when=move || topic.with(Option::is_some)>
                    <button
                        type="button"
                        id="follow-topic"
                        class="button secondary"
                        aria-pressed=move || if following_topic() { "true" } else { "false" }
                        aria-busy=move || saving.get().then_some("true")
                        on:click=toggle_follow
                    >
                        {move || if following_topic() { "Following" } else { "Follow this topic" }}
                    </button>
                </Show>
                <a id="new-thread" class="button primary" href=new_thread_href>
                    "New thread"
                </a>
            </div>
            <p id="follow-topic-status" class="settings-status" role="status">
                {move || follow_status.get()}
            </p>
            <p id="follow-topic-error" class="field-error" role="alert">
                {move || follow_error.get()}
            </p>
            <p id="thread-list-status" class="directory-status" role="status">
                {status_text}
            </p>
            {move || {
                failure
                    .get()
                    .map(|e| {
                        view! {
                            <RetryNotice message=e.message on_retry=Callback::new(move |()| list.refetch()) />
                        }
                    })
            }}
            <ul id="thread-list" class="thread-list card-list">
                <For
                    each=move || threads.get().unwrap_or_default()
                    key=row_key
                    children=|thread| view! { <ThreadRow thread=thread /> }
                />
            </ul>
        </main>
    }
}

/// Everything a row shows, so a changed thread is drawn again.
fn row_key(t: &ThreadSummary) -> impl std::hash::Hash + Eq + use<> {
    (
        t.id,
        t.title.clone(),
        t.topics.clone(),
        t.organisation.clone(),
        t.reply_count,
        t.last_activity_at,
        (t.pinned, t.locked, t.closed, t.answer_post_id),
        t.unread_count,
    )
}
