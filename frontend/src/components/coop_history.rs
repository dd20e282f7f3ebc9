//! A co-op's history, newest first, one sentence each ("Asha Patel admitted
//! Riverside Mind · 3 Mar"); and the short local date the co-op pages share.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::coops::{HistoryAction as A, HistoryEntry};
use wasm_bindgen::JsValue;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "3 Mar" this year, "3 Mar 2024" before; in the reader's own time zone.
pub fn short_date(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let now = js_sys::Date::new_0();
    let month = MONTHS
        .get(date.get_month() as usize)
        .copied()
        .unwrap_or_default();
    if date.get_full_year() == now.get_full_year() {
        format!("{} {month}", date.get_date())
    } else {
        format!("{} {month} {}", date.get_date(), date.get_full_year())
    }
}

/// What happened, as a sentence without the date.
pub fn history_sentence(e: &HistoryEntry) -> String {
    let who = &e.actor.display_name;
    let org = e
        .organisation
        .as_ref()
        .map_or("an organisation", |o| o.name.as_str());
    let person = e
        .person
        .as_ref()
        .map_or("someone", |p| p.display_name.as_str());
    let room = e.detail.as_deref().unwrap_or("a room");
    match e.action {
        A::Created => format!("{who} started the co-operative"),
        A::Edited => format!("{who} edited the details"),
        A::Requested => format!("{who} asked for {org} to join"),
        A::Invited => format!("{who} invited {org}"),
        A::Admitted => format!("{who} admitted {org}"),
        A::Declined => format!("{who} declined {org} joining"),
        A::Withdrawn => format!("{who} withdrew the request about {org}"),
        A::Left => format!("{who} took {org} out of the co-operative"),
        A::Removed => format!("{who} removed {org}"),
        A::CoordinatorAdded => format!("{who} made {person} a coordinator"),
        A::CoordinatorRemoved if e.person.as_ref().is_some_and(|p| p.id == e.actor.id) => {
            format!("{who} stepped down as coordinator")
        }
        A::CoordinatorRemoved => format!("{who} removed {person} as coordinator"),
        A::RoomCreated => format!("{who} opened the room “{room}”"),
        A::RoomRenamed => format!("{who} renamed a room to “{room}”"),
        A::RoomArchived => format!("{who} archived the room “{room}”"),
        A::RoomRestored => format!("{who} restored the room “{room}”"),
    }
}

/// The action's wire name (`admitted`), for the page's own markup.
fn action_slug(action: A) -> String {
    serde_json::to_string(&action)
        .map(|s| s.trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// The detail worth a second line: a reason, or what was edited (room
/// titles are already in the sentence).
fn detail_line(e: &HistoryEntry) -> Option<String> {
    let detail = e.detail.as_deref().filter(|d| !d.trim().is_empty())?;
    match e.action {
        A::Declined | A::Removed | A::Left | A::Withdrawn => Some(format!("Reason: {detail}")),
        A::Edited => Some(format!("Changed: {detail}")),
        _ => None,
    }
}

#[component]
pub fn CoopHistory(#[prop(into)] history: Signal<Vec<HistoryEntry>>) -> impl IntoView {
    view! {
        <section id="coop-history" class="coop-section" aria-labelledby="coop-history-heading">
            <h2 id="coop-history-heading">"History"</h2>
            <Show
                when=move || history.with(|h| !h.is_empty())
                fallback=|| view! { <p class="empty-note">"Nothing has happened yet."</p> }
            >
                <ol class="coop-history">
                    <For
                        each=move || history.get()
                        key=|e| e.id
                        children=|entry| {
                            let sentence = history_sentence(&entry);
                            let when = short_date(&entry.at);
                            let stamp = entry.at.to_rfc3339();
                            let detail = detail_line(&entry);
                            view! {
                                <li class="coop-history-entry" data-action=action_slug(entry.action)>
                                    <p>
                                        {sentence} " · " <time datetime=stamp>{when}</time>
                                    </p>
                                    {detail.map(|d| view! { <p class="coop-history-detail muted">{d}</p> })}
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </section>
    }
}
