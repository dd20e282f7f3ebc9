//! One safeguarding concern: how urgent and where it stands, who raised it
//! and for which organisation, who is at risk and what happened, what it
//! was raised from, who handles it, its history (oldest first), the next
//! steps for its handlers and a note for anyone who reads it. It reloads
//! quietly whenever the server says it changed (`concern_changed`), so
//! the person who raised it sees it acknowledged without reloading.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::ErrorKind;
use shared::api::concerns::{ConcernContext, ConcernId, ConcernStatus, ConcernView};

use crate::api::trust;
use crate::app::{set_page_title, use_session};
use crate::components::concern_history::ConcernHistory;
use crate::components::concern_row::{PriorityTag, StatusTag, organisation_name};
use crate::components::concern_steps::{ConcernNote, ConcernSteps};
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;
use crate::page_load::{LoadedPage, load_by_id};

#[component]
pub fn ConcernPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<ConcernId>().ok())
    });
    let (load, retry) = load_by_id(id, trust::concern);

    view! {
        <main id="main" class="page concern-page">
            <p class="back-link">
                <a href="/concerns">"Safeguarding concerns"</a>
            </p>
            <LoadedPage
                load=load
                retry=retry
                title="Safeguarding concern"
                loading="Loading the concern…"
                missing_title="Concern not found"
                missing_id="concern-missing"
                missing_text="There is no concern at this address, or it is not yours to see. "
                back_href="/concerns"
                back_text="Go to your concerns"
                ready=|subject| view! { <ConcernBody initial=subject /> }.into_any()
            />
        </main>
    }
}

/// "Priya Shah and the programme team", for the confirmation.
fn recipients(view: &ConcernView) -> String {
    let names: Vec<String> = view
        .handlers
        .iter()
        .map(|h| h.display_name.clone())
        .collect();
    match names.as_slice() {
        [] => "the programme team".to_owned(),
        [one] => format!("{one} (the safeguarding lead) and the programme team"),
        [rest @ .., last] => format!(
            "{} and {last} (the safeguarding leads) and the programme team",
            rest.join(", ")
        ),
    }
}

/// Where the message or post it was raised from can be read.
fn context_link(c: &ConcernContext) -> Option<(String, &'static str)> {
    match (c.thread_id, c.post_id, c.room_id, c.message_id) {
        (Some(thread), Some(post), ..) => {
            Some((format!("/threads/{thread}#post-{post}"), "Open the post"))
        }
        (Some(thread), None, ..) => Some((format!("/threads/{thread}"), "Open the thread")),
        (None, _, Some(room), Some(message)) => Some((
            format!("/rooms/{room}#message-{message}"),
            "Open the conversation",
        )),
        (None, _, Some(room), None) => Some((format!("/rooms/{room}"), "Open the conversation")),
        _ => None,
    }
}

#[component]
fn ConcernBody(initial: ConcernView) -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let concern_id = initial.summary.id;
    let just_raised = query.with_untracked(|q| q.get("raised").is_some()) && initial.role.raiser;
    let sent_to = recipients(&initial);
    let concern = RwSignal::new(initial);
    let status = RwSignal::new(None::<String>);
    let gone = RwSignal::new(false);
    let summary = Memo::new(move |_| concern.with(|c| c.summary.clone()));
    let current = Memo::new(move |_| summary.with(|s| s.status));
    let may_handle = Memo::new(move |_| concern.with(|c| c.role.handler || c.role.admin));
    Effect::new(move |_| {
        set_page_title(&format!(
            "{} concern ({})",
            summary.with(|s| s.priority.label()),
            current.get().label()
        ))
    });
    if just_raised {
        focus_later("concern-raised");
    }

    // Live: reload quietly; say what changed when someone else changed it.
    let latest = StoredValue::new(0u64);
    let reload = move || {
        let Some(ticket) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        spawn_local(async move {
            let result = trust::concern(concern_id).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(view) => {
                    let before = concern.try_with_untracked(|c| c.summary.status);
                    let after = view.summary.status;
                    let _ = concern.try_set(view);
                    if before.is_some_and(|b| b != after) {
                        let _ = status.try_set(Some(format!(
                            "This concern is now {}.",
                            after.label().to_lowercase()
                        )));
                    }
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
    Effect::new(move |seen: Option<()>| {
        let hit = session.ws.concern_changed(Some(concern_id));
        if seen.is_some() && hit {
            reload();
        }
    });

    let facts = move || {
        let c = concern.get();
        let s = &c.summary;
        let org = organisation_name(s);
        let raised = format_time(&s.created_at);
        let raised_iso = s.created_at.to_rfc3339();
        let due = format_time(&s.ack_due_at);
        let due_iso = s.ack_due_at.to_rfc3339();
        let acknowledged = c
            .acknowledged_at
            .map(|at| (format_time(&at), at.to_rfc3339()));
        let closed = c.closed_at.map(|at| (format_time(&at), at.to_rfc3339()));
        let overdue = s.overdue;
        view! {
            <dl class="facts concern-facts">
                <div>
                    <dt>"Organisation"</dt>
                    <dd id="concern-organisation-name">{org}</dd>
                </div>
                <div>
                    <dt>"Raised by"</dt>
                    <dd id="concern-raised-by">
                        {s.raised_by.display_name.clone()} ", "
                        <time datetime=raised_iso>{raised}</time>
                    </dd>
                </div>
                {match acknowledged {
                    Some((when, iso)) => view! {
                        <div>
                            <dt>"Acknowledged"</dt>
                            <dd><time datetime=iso>{when}</time></dd>
                        </div>
                    }
                        .into_any(),
                    None => view! {
                        <div>
                            <dt>"Acknowledge by"</dt>
                            <dd id="concern-due">
                                <time datetime=due_iso>{due}</time>
                                {overdue
                                    .then(|| view! { " " <span class="label-tag overdue">"Overdue"</span> })}
                            </dd>
                        </div>
                    }
                        .into_any(),
                }}
                {closed
                    .map(|(when, iso)| {
                        view! {
                            <div>
                                <dt>"Closed"</dt>
                                <dd><time datetime=iso>{when}</time></dd>
                            </div>
                        }
                    })}
            </dl>
        }
    };

    let context = move || {
        concern.with(|c| c.context.clone()).map(|ctx| {
            let link = context_link(&ctx);
            let author = ctx.author.map(|a| a.display_name);
            let text = if ctx.text.is_empty() {
                "(It had no text.)".to_owned()
            } else {
                ctx.text
            };
            view! {
                <section class="concern-section" aria-labelledby="concern-context-heading">
                    <h2 id="concern-context-heading">"Raised from"</h2>
                    <blockquote class="quote" id="concern-context">
                        {author.map(|a| view! { <p class="quote-author">{a} " wrote:"</p> })}
                        <p class="quote-excerpt">{text}</p>
                    </blockquote>
                    <p class="hint">"A copy, as it was when the concern was raised."</p>
                    {link.map(|(href, words)| view! { <p><a href=href>{words}</a></p> })}
                </section>
            }
        })
    };

    let handlers = move || {
        let names: Vec<String> =
            concern.with(|c| c.handlers.iter().map(|h| h.display_name.clone()).collect());
        if names.is_empty() {
            view! {
                <p id="concern-handlers">"The programme team handles this concern."</p>
            }
            .into_any()
        } else {
            view! {
                <ul id="concern-handlers" class="plain-list">
                    {names
                        .into_iter()
                        .map(|n| view! { <li>{n} " (safeguarding lead)"</li> })
                        .collect_view()}
                    <li>"The programme team"</li>
                </ul>
            }
            .into_any()
        }
    };

    view! {
        <h1 id="concern-title">
            {move || format!("{} concern", summary.with(|s| s.priority.label()))}
        </h1>
        <p class="concern-tags">
            <PriorityTag priority=summary.with_untracked(|s| s.priority) />
            " "
            <StatusTag status=Signal::derive(move || current.get()) id="concern-status" />
        </p>
        {just_raised
            .then(|| {
                view! {
                    <div id="concern-raised" class="notice" role="status" tabindex="-1">
                        <p>
                            {format!("Your concern has been raised. It went to {sent_to}.")}
                        </p>
                    </div>
                }
            })}
        <Show when=move || gone.get()>
            <p class="notice" role="alert" id="concern-gone">
                "This concern is no longer open to you. "
                <a href="/concerns">"Go to your concerns"</a>
            </p>
        </Show>
        <p id="concern-status-message" class="form-status" role="status">
            {move || status.get()}
        </p>
        {facts}
        <section class="concern-section" aria-labelledby="concern-at-risk-heading">
            <h2 id="concern-at-risk-heading">"Who is at risk"</h2>
            <p id="concern-at-risk-text" class="concern-text">
                {move || concern.with(|c| c.at_risk.clone())}
            </p>
            <h2 id="concern-what-heading">"What happened"</h2>
            <p id="concern-what-text" class="concern-text">
                {move || concern.with(|c| c.what_happened.clone())}
            </p>
        </section>
        {context}
        <section class="concern-section" aria-labelledby="concern-handlers-heading">
            <h2 id="concern-handlers-heading">"Who handles it"</h2>
            {handlers}
        </section>
        <Show when=move || may_handle.get()>
            <ConcernSteps concern=concern status=status />
        </Show>
        <ConcernHistory history=Signal::derive(move || concern.with(|c| c.history.clone())) />
        <ConcernNote concern=concern status=status />
        <p class="hint">
            {move || {
                (current.get() == ConcernStatus::Closed)
                    .then_some("This concern is closed. Notes can still be added.")
            }}
        </p>
    }
}
