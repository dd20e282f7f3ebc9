//! One action in a co-op's log: what, who, by when ("Overdue" in words as
//! well as colour), the message it came from, its status (changed in place
//! with a select) and, for its author or a coordinator, delete.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{
    ActionStatus, OwnerView, RecordSource, RecordView, RecordsResponse, UpdateRecord,
};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_actions::{apply_record, remove_record};
use crate::components::coop_history::short_date;
use crate::components::delete_confirm::DeleteConfirm;
use crate::components::form_errors::focus_later;
use crate::pages::coop::Part;

/// "3 Mar 2025".
pub fn format_due(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

fn status_slug(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "open",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

fn status_label(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "Open",
        ActionStatus::Done => "Done",
        ActionStatus::Dropped => "Dropped",
    }
}

const STATUSES: [ActionStatus; 3] = [
    ActionStatus::Open,
    ActionStatus::Done,
    ActionStatus::Dropped,
];

pub fn owner_name(owner: &OwnerView) -> String {
    match owner {
        OwnerView::Organisation { organisation } => organisation.name.clone(),
        OwnerView::Person { user } => user.display_name.clone(),
    }
}

/// "From a message in Joint bid", linking to that message in its room.
pub fn source_link(source: &RecordSource) -> impl IntoView + use<> {
    let href = format!("/rooms/{}#message-{}", source.room_id, source.message_id);
    let title = format!("From a message in {}", source.room_title);
    let excerpt = source.excerpt.clone();
    let author = source.author.display_name.clone();
    view! {
        <p class="coop-record-source">
            <a href=href>{title}</a>
            {(!excerpt.is_empty())
                .then(|| {
                    view! {
                        <span class="coop-record-excerpt muted">
                            {format!(" · {author}: “{excerpt}”")}
                        </span>
                    }
                })}
        </p>
    }
}

/// The record by id in whichever list holds it.
pub fn find_record(records: &Part<RecordsResponse>, id: i64) -> Option<RecordView> {
    let Part::Ready(log) = records else {
        return None;
    };
    log.open_actions
        .iter()
        .chain(&log.closed_actions)
        .chain(&log.decisions)
        .find(|r| r.id == id)
        .cloned()
}

#[component]
pub fn CoopActionItem(
    record_id: i64,
    records: RwSignal<Part<RecordsResponse>>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let record = Memo::new(move |_| records.with(|r| find_record(r, record_id)));
    let text = move || record.with(|r| r.as_ref().map(|r| r.text.clone()).unwrap_or_default());
    let current = move || record.with(|r| r.as_ref().map(|r| r.status));
    let overdue = move || record.with(|r| r.as_ref().is_some_and(|r| r.overdue));
    let owner = move || record.with(|r| r.as_ref().and_then(|r| r.owner.as_ref()).map(owner_name));
    let due = move || record.with(|r| r.as_ref().and_then(|r| r.due_on));
    let may_delete = move || record.with(|r| r.as_ref().is_some_and(|r| r.may_delete));
    let source =
        move || record.with(|r| r.as_ref().and_then(|r| r.source.as_ref()).map(source_link));
    let meta = move || {
        record.with(|r| {
            r.as_ref().map(|r| {
                format!(
                    "Added by {} · {}",
                    r.created_by.display_name,
                    short_date(&r.created_at)
                )
            })
        })
    };
    let error = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let select_id = format!("coop-action-status-{record_id}");
    let error_id = format!("coop-action-{record_id}-error");
    let delete_id = format!("coop-action-delete-{record_id}");

    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let Some(next) = STATUSES.iter().copied().find(|s| status_slug(*s) == value) else {
            return;
        };
        let select: Option<wasm_bindgen::JsValue> = ev.target().map(Into::into);
        let saved = current();
        error.set(None);
        spawn_local(async move {
            let body = UpdateRecord {
                status: Some(next),
                ..Default::default()
            };
            match coops::update_record(record_id, &body).await {
                Ok(updated) => {
                    let said = format!(
                        "“{}” is now {}.",
                        updated.text,
                        status_label(updated.status).to_lowercase()
                    );
                    let _ = status.try_set(Some(said));
                    let _ = records.try_update(|r| {
                        if let Part::Ready(log) = r {
                            apply_record(log, updated);
                        }
                    });
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let _ = error.try_set(Some(format!("Could not change it. {}", e.message)));
                    // Put the select back to what is saved.
                    if let (Some(select), Some(saved)) = (select, saved) {
                        let _ = js_sys::Reflect::set(
                            &select,
                            &"value".into(),
                            &status_slug(saved).into(),
                        );
                    }
                }
            }
        });
    };

    let delete = Callback::new(move |()| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = coops::delete_record(record_id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    let said = record
                        .try_get_untracked()
                        .flatten()
                        .map(|r| format!("Deleted the action “{}”.", r.text))
                        .unwrap_or_else(|| "Deleted the action.".to_owned());
                    let _ = status.try_set(Some(said));
                    focus_later("coop-actions-heading");
                    let _ = records.try_update(|r| {
                        if let Part::Ready(log) = r {
                            remove_record(log, record_id);
                        }
                    });
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let _ = error.try_set(Some(format!("Could not delete it. {}", e.message)));
                }
            }
        });
    });
    let cancel_delete = {
        let delete_id = delete_id.clone();
        Callback::new(move |()| {
            deleting.set(false);
            focus_later(delete_id.clone());
        })
    };

    view! {
        <li
            class="coop-action coop-record"
            class:overdue=overdue
            data-record-id=record_id
            data-status=move || current().map(status_slug)
        >
            <p class="coop-action-text">{text}</p>
            <p class="coop-action-facts">
                <span class="coop-action-owner">
                    {move || match owner() {
                        Some(name) => format!("Owner: {name}"),
                        None => "No owner yet".to_owned(),
                    }}
                </span>
                " · "
                <span class="coop-action-due">
                    {move || match due() {
                        Some(d) => {
                            view! {
                                "Due "
                                <time datetime=d.format("%Y-%m-%d").to_string()>{format_due(d)}</time>
                            }
                                .into_any()
                        }
                        None => "No due date".into_any(),
                    }}
                    <Show when=overdue>
                        " " <span class="label-tag overdue">"Overdue"</span>
                    </Show>
                </span>
            </p>
            {source}
            <p class="coop-record-meta muted">{meta}</p>
            <div class="coop-action-controls">
                <label for=select_id.clone() class="coop-action-status-label">
                    "Status" <span class="visually-hidden">" of “" {text} "”"</span>
                </label>
                <select
                    id=select_id
                    class="coop-action-status"
                    aria-describedby={
                        let error_id = error_id.clone();
                        move || error.with(Option::is_some).then(|| error_id.clone())
                    }
                    on:change=on_change
                >
                    {STATUSES
                        .iter()
                        .map(|&s| {
                            view! {
                                <option value=status_slug(s) prop:selected=move || current() == Some(s)>
                                    {status_label(s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <Show when=move || may_delete() && !deleting.get()>
                    <button
                        type="button"
                        id=delete_id.clone()
                        class="link-button coop-action-delete"
                        on:click=move |_| {
                            deleting.set(true);
                            focus_later(format!("coop-action-delete-cancel-{record_id}"));
                        }
                    >
                        "Delete" <span class="visually-hidden">" “" {text} "”"</span>
                    </button>
                </Show>
            </div>
            <Show when=move || deleting.get()>
                <DeleteConfirm
                    question_id=format!("coop-action-delete-question-{record_id}")
                    question="Delete this action? This cannot be undone."
                    cancel_id=format!("coop-action-delete-cancel-{record_id}")
                    confirm_class="coop-action-delete-confirm"
                    busy=busy
                    on_confirm=delete
                    on_cancel=cancel_delete
                />
            </Show>
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </li>
    }
}
