//! A co-op's practice threads (members only), and the way to start one
//! that only its members can read.

use leptos::prelude::*;
use shared::api::coops::CoopId;
use shared::api::threads::ListThreads;

use crate::api;
use crate::app::use_session;
use crate::components::retry_notice::RetryNotice;
use crate::components::thread_row::ThreadRow;

#[component]
pub fn CoopThreads(
    coop_id: CoopId,
    /// Bumped to load the list again (after a reconnect).
    #[prop(into)]
    refresh: Signal<u64>,
) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        refresh.track();
        let filter = ListThreads {
            topic: None,
            coop: Some(coop_id),
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
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });

    view! {
        <section id="coop-threads" class="coop-section" aria-labelledby="coop-threads-heading">
            <h2 id="coop-threads-heading">"Threads"</h2>
            <p>
                <a
                    id="coop-thread-new"
                    class="button secondary"
                    href=format!("/threads/new?coop={coop_id}")
                >
                    "Start a co-op thread"
                </a>
            </p>
            <p class="hint">"Only the co-op's members can read its threads."</p>
            {move || {
                failure
                    .get()
                    .map(|e| {
                        view! {
                            <RetryNotice message=e.message on_retry=Callback::new(move |()| list.refetch()) />
                        }
                    })
            }}
            {move || match threads.get() {
                None if failure.with(Option::is_none) => {
                    view! { <p class="muted">"Loading threads…"</p> }.into_any()
                }
                Some(found) if found.is_empty() => {
                    view! {
                        <p class="empty-note" id="coop-threads-empty">
                            "No co-op threads yet. Start the first one."
                        </p>
                    }
                        .into_any()
                }
                _ => ().into_any(),
            }}
            <ul class="thread-list coop-thread-list">
                <For
                    each=move || threads.get().unwrap_or_default()
                    key=|t| (t.id, t.last_activity_at, t.unread_count, t.reply_count)
                    children=|thread| view! { <ThreadRow thread=thread /> }
                />
            </ul>
        </section>
    }
}
