//! The moderation queue, for the programme team: reports of messages and
//! posts, oldest open first, filtered by state in the address
//! (`?status=actioned`). Each report shows why it was made, by whom, a copy
//! of the content and its author, and the moderator's actions. The queue
//! reloads quietly whenever a report comes in or is resolved
//! (`reports_changed`), and after each action here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::moderation::{ListReportsResponse, ReportStatus};

use crate::api::trust;
use crate::app::{set_page_title, use_session};
use crate::components::admin_only::AdminOnly;
use crate::components::report_card::ReportCard;
use crate::components::retry_notice::RetryNotice;

const STATUSES: [(ReportStatus, &str); 3] = [
    (ReportStatus::Open, "Open"),
    (ReportStatus::Actioned, "Actioned"),
    (ReportStatus::Dismissed, "Dismissed"),
];

#[derive(Clone, Debug, PartialEq)]
enum QueueLoad {
    Loading,
    Ready(ListReportsResponse),
    Failed(String),
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    set_page_title("Moderation");
    view! {
        <main id="main" class="page moderation-page">
            <h1 id="moderation-heading" tabindex="-1">
                "Moderation"
            </h1>
            <AdminOnly>
                <Queue />
            </AdminOnly>
        </main>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let status = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .and_then(|s| ReportStatus::from_slug(&s))
            .unwrap_or(ReportStatus::Open)
    });
    let load = RwSignal::new(QueueLoad::Loading);
    let message = RwSignal::new(None::<String>);
    let latest = StoredValue::new(0u64);
    let fetch = move |quiet: bool| {
        let Some(ticket) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        if !quiet {
            load.set(QueueLoad::Loading);
        }
        let filter = status.get_untracked();
        spawn_local(async move {
            let result = trust::list_reports(Some(filter)).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(list) => {
                    session.ws.set_open_reports(list.open_count);
                    let _ = load.try_set(QueueLoad::Ready(list));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(_) if quiet && load.with_untracked(|l| matches!(l, QueueLoad::Ready(_))) => {}
                Err(e) => {
                    let _ = load.try_set(QueueLoad::Failed(e.message));
                }
            }
        });
    };
    Effect::new(move |_| {
        status.track();
        message.set(None);
        fetch(false);
    });
    Effect::new(move |seen: Option<u64>| {
        let count = session.ws.reports_changed();
        if seen.is_some_and(|s| s != count) {
            fetch(true);
        }
        count
    });
    let on_done = Callback::new(move |sentence: String| {
        message.set(Some(sentence));
        fetch(true);
    });

    let choose_status = move |ev: leptos::ev::Event| {
        let path = match ReportStatus::from_slug(&event_target_value(&ev)) {
            Some(ReportStatus::Open) | None => "/moderation".to_owned(),
            Some(s) => format!("/moderation?status={}", s.slug()),
        };
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&path, options));
    };
    let options = STATUSES
        .iter()
        .copied()
        .map(|(s, label)| {
            view! {
                <option value=s.slug() prop:selected=move || status.get() == s>
                    {label}
                </option>
            }
        })
        .collect_view();

    let reports = Memo::new(move |_| match load.get() {
        QueueLoad::Ready(list) => Some(list.reports),
        _ => None,
    });
    let summary = move || {
        let open = match load.get() {
            QueueLoad::Ready(list) => list.open_count,
            _ => return String::new(),
        };
        let shown = reports.with(|r| r.as_ref().map_or(0, Vec::len));
        match (status.get(), shown) {
            (ReportStatus::Open, 0) => "No open reports. Nothing needs you now.".to_owned(),
            (ReportStatus::Open, 1) => "1 open report.".to_owned(),
            (ReportStatus::Open, n) => format!("{n} open reports."),
            (_, 0) => format!("None here. {open} open."),
            (_, 1) => "1 report.".to_owned(),
            (_, n) => format!("{n} reports."),
        }
    };

    view! {
        <p>
            "Members report messages and posts they think break the rules. Each report carries a copy of what was said: hide it if it should not stay, or dismiss the report. Warnings and suspensions reach the author."
        </p>
        <form
            class="thread-filter"
            role="search"
            aria-label="Filter reports"
            novalidate
            on:submit=move |ev| ev.prevent_default()
        >
            <div class="field">
                <label for="report-status-filter">"Show reports that are"</label>
                <select id="report-status-filter" name="status" on:change=choose_status>
                    {options}
                </select>
            </div>
        </form>
        <p id="moderation-status" class="form-status" role="status">
            {move || message.get()}
        </p>
        {move || match load.get() {
            QueueLoad::Loading => {
                view! { <p class="muted" role="status">"Loading reports…"</p> }.into_any()
            }
            QueueLoad::Failed(m) => {
                view! { <RetryNotice message=m on_retry=Callback::new(move |()| fetch(false)) /> }
                    .into_any()
            }
            QueueLoad::Ready(_) => view! { <p id="report-count" class="muted">{summary}</p> }.into_any(),
        }}
        <ol id="report-list" class="report-list">
            <For
                each=move || reports.get().unwrap_or_default()
                key=|r| (r.id, r.status, r.content.hidden_reason.clone(), r.content.author_suspended)
                children=move |r| view! { <ReportCard report=r on_done=on_done /> }
            />
        </ol>
    }
}
