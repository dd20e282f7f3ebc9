//! One thread in the list of practice threads: its title (the link), state,
//! topics, who started it, replies, last activity and what is new to the reader.

use leptos::prelude::*;
use shared::api::threads::ThreadSummary;

use crate::components::message_item::format_time;
use crate::components::thread_badges::ThreadBadges;

/// "No replies", "1 reply", "3 replies".
pub fn replies_text(n: i64) -> String {
    match n {
        0 => "No replies".to_owned(),
        1 => "1 reply".to_owned(),
        n => format!("{n} replies"),
    }
}

/// The topics' labels, in the vocabulary's order.
pub fn topics_text(t: &ThreadSummary) -> String {
    t.topics
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn ThreadRow(thread: ThreadSummary) -> impl IntoView {
    let id = thread.id;
    let unread = thread.unread_count;
    let topics = topics_text(&thread);
    let author = match &thread.organisation {
        Some(org) => format!("{} for {org}", thread.author.display_name),
        None => thread.author.display_name.clone(),
    };
    let replies = replies_text(thread.reply_count);
    let when = format_time(&thread.last_activity_at);
    let iso = thread.last_activity_at.to_rfc3339();
    let title = thread.title.clone();
    view! {
        <li class="thread-row card" class:has-unread=(unread > 0) data-thread-id=id>
            <h2 class="card-title thread-title">
                <a href=format!("/threads/{id}")>{title}</a>
            </h2>
            <ThreadBadges thread=thread />
            <p class="thread-topics">
                <span class="visually-hidden">"Topics: "</span>
                {topics}
            </p>
            <p class="thread-meta muted">
                "Started by "
                <span class="thread-author">{author}</span>
                " · "
                <span class="thread-replies">{replies}</span>
                " · last activity "
                <time datetime=iso>{when}</time>
            </p>
            {(unread > 0)
                .then(|| {
                    view! {
                        <p class="thread-unread">
                            <span class="unread">
                                {format!("{unread} new")}
                                <span class="visually-hidden">
                                    {if unread == 1 { " post" } else { " posts" }}
                                </span>
                            </span>
                        </p>
                    }
                })}
        </li>
    }
}
