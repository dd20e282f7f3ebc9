//! One message in a room's history, and the not-yet-acked version of one of
//! your own; plus the local-time formatting they use.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::api::rooms::MessageView;
use wasm_bindgen::JsValue;

use crate::chat::PendingSend;
use crate::ws::{ConnectionStatus, use_ws};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "14:05" today, "3 Mar 14:05" this year, "3 Mar 2024 14:05" before; in the
/// reader's own time zone, which only the browser's `Date` knows.
pub fn format_time(at: &DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let now = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    let month = MONTHS
        .get(date.get_month() as usize)
        .copied()
        .unwrap_or_default();
    let same_year = date.get_full_year() == now.get_full_year();
    let same_day =
        same_year && date.get_month() == now.get_month() && date.get_date() == now.get_date();
    if same_day {
        time
    } else if same_year {
        format!("{} {month} {time}", date.get_date())
    } else {
        format!(
            "{} {month} {} {time}",
            date.get_date(),
            date.get_full_year()
        )
    }
}

#[component]
pub fn MessageItem(message: MessageView, mine: bool) -> impl IntoView {
    let when = format_time(&message.created_at);
    let iso = message.created_at.to_rfc3339();
    view! {
        <li class="message" class:mine=mine data-seq=message.seq>
            <p class="message-meta">
                <span class="message-author">{message.author_name}</span>
                " "
                <time class="message-time" datetime=iso>
                    {when}
                </time>
            </p>
            <p class="message-body">{message.body}</p>
        </li>
    }
}

#[component]
pub fn PendingItem(pending: PendingSend, author: String) -> impl IntoView {
    let ws = use_ws();
    let state = move || {
        if ws.status() == ConnectionStatus::Connected {
            "Sending…"
        } else {
            "Waiting for the connection…"
        }
    };
    view! {
        <li class="message message-pending mine" data-client-msg-id=pending.client_msg_id>
            <p class="message-meta">
                <span class="message-author">{author}</span>
                " "
                <span class="message-time">{state}</span>
            </p>
            <p class="message-body">{pending.body}</p>
        </li>
    }
}
