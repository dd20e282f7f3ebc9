//! A thread's state in words (Co-op only, Pinned, Answered, Closed,
//! Locked), for the thread list and the thread's own head.

use leptos::prelude::*;
use shared::api::threads::{ThreadSummary, Visibility};

/// The class and word of each badge that applies, in reading order.
pub fn badges(t: &ThreadSummary) -> Vec<(&'static str, &'static str)> {
    [
        // Who can read it comes first: it changes what one may repeat elsewhere.
        (
            matches!(t.visibility, Visibility::Coop { .. }),
            "coop-only",
            "Co-op only",
        ),
        (t.pinned, "pinned", "Pinned"),
        (t.answer_post_id.is_some(), "answered", "Answered"),
        (t.closed, "closed", "Closed"),
        (t.locked, "locked", "Locked"),
    ]
    .into_iter()
    .filter(|(on, ..)| *on)
    .map(|(_, class, word)| (class, word))
    .collect()
}

#[component]
pub fn ThreadBadges(#[prop(into)] thread: Signal<ThreadSummary>) -> impl IntoView {
    let shown = Memo::new(move |_| thread.with(badges));
    move || {
        let list = shown.get();
        (!list.is_empty()).then(|| {
            view! {
                <ul class="thread-badges" aria-label="Thread state">
                    {list
                        .into_iter()
                        .map(|(class, word)| {
                            view! {
                                <li class=format!("label-tag thread-badge {class}")>{word}</li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}
