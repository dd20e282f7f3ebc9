//! One safeguarding concern in a list: its priority and state as words
//! (never colour alone), the organisation, the first words of what
//! happened, when it was raised and by when it must be acknowledged, and
//! "Overdue" when that time has passed with nobody acknowledging it.

use leptos::prelude::*;
use shared::api::concerns::{ConcernPriority, ConcernStatus, ConcernSummary};

use crate::components::message_item::format_time;

/// The priority as a tag: `immediate`, `concern` or `information` in the class.
#[component]
pub fn PriorityTag(priority: ConcernPriority) -> impl IntoView {
    view! {
        <span class=format!("label-tag concern-priority {}", priority.slug())>
            {priority.label()}
        </span>
    }
}

/// The state as a tag.
#[component]
pub fn StatusTag(
    #[prop(into)] status: Signal<ConcernStatus>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span
            id=id
            class=move || format!("label-tag concern-status {}", status.get().slug())
            data-status=move || status.get().slug()
        >
            {move || status.get().label()}
        </span>
    }
}

/// "No organisation: programme team only" when none is named.
pub fn organisation_name(summary: &ConcernSummary) -> String {
    summary
        .organisation
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "No organisation: programme team only".to_owned())
}

#[component]
pub fn ConcernRow(concern: ConcernSummary) -> impl IntoView {
    let href = format!("/concerns/{}", concern.id);
    let org = organisation_name(&concern);
    let raised = format_time(&concern.created_at);
    let raised_iso = concern.created_at.to_rfc3339();
    let due = format_time(&concern.ack_due_at);
    let due_iso = concern.ack_due_at.to_rfc3339();
    let waiting = concern.status == ConcernStatus::New;
    let status = concern.status;
    let excerpt = if concern.excerpt.is_empty() {
        "(no description)".to_owned()
    } else {
        concern.excerpt.clone()
    };
    view! {
        <li
            class="concern-row"
            class:overdue=concern.overdue
            data-concern-id=concern.id
            data-status=status.slug()
        >
            <p class="concern-row-title">
                <a href=href class="concern-link">
                    {excerpt}
                </a>
            </p>
            <p class="concern-row-tags">
                {concern
                    .overdue
                    .then(|| view! { <span class="label-tag overdue concern-overdue">"Overdue"</span> " " })}
                <PriorityTag priority=concern.priority />
                " "
                <StatusTag status=status />
            </p>
            <p class="concern-row-meta muted">
                <span class="concern-row-org">{org}</span>
                " · raised by "
                {concern.raised_by.display_name.clone()}
                " "
                <time datetime=raised_iso>{raised}</time>
                {waiting
                    .then(|| {
                        view! {
                            " · acknowledge by "
                            <time class="concern-row-due" datetime=due_iso>
                                {due}
                            </time>
                        }
                    })}
            </p>
        </li>
    }
}
