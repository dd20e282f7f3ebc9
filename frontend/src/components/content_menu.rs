//! The small menu on someone's chat message or thread post: "Report" (an
//! inline form: why, and anything the programme team should know) and
//! "Raise a concern" (the safeguarding form, with this message or post as
//! its context). One's own content has no "Report". "More" is a
//! disclosure button (`aria-expanded`); Escape closes what it opened and
//! the report form, and focus goes back to it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::moderation::{CreateReport, ReportReason};
use shared::limits::REPORT_DETAIL_MAX_CHARS;
use shared::{MessageId, PostId, RoomId, ThreadId};

use crate::api::trust;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

/// What the menu is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentRef {
    Message { id: MessageId, room_id: RoomId },
    Post { id: PostId, thread_id: ThreadId },
}

impl ContentRef {
    /// The DOM id prefix: `m12`, `p7`.
    fn key(self) -> String {
        match self {
            Self::Message { id, .. } => format!("m{id}"),
            Self::Post { id, .. } => format!("p{id}"),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Message { .. } => "message",
            Self::Post { .. } => "post",
        }
    }

    fn concern_href(self) -> String {
        match self {
            Self::Message { id, room_id } => {
                format!("/concerns/new?message_id={id}&room_id={room_id}")
            }
            Self::Post { id, thread_id } => {
                format!("/concerns/new?post_id={id}&thread_id={thread_id}")
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReportState {
    Closed,
    Open,
    Sent,
}

/// The menu and the report form it opens share this; the page puts the
/// menu among the item's buttons and the form under them.
#[derive(Clone, Copy)]
pub struct ContentActions {
    target: ContentRef,
    /// Whose it is: "Asha Patel" (read with the menu's name).
    author: StoredValue<String>,
    mine: bool,
    menu_open: RwSignal<bool>,
    report: RwSignal<ReportState>,
}

impl ContentActions {
    pub fn new(target: ContentRef, author: String, mine: bool) -> Self {
        Self {
            target,
            author: StoredValue::new(author),
            mine,
            menu_open: RwSignal::new(false),
            report: RwSignal::new(ReportState::Closed),
        }
    }
}

/// "More": a disclosure button that opens "Report" and "Raise a concern"
/// under the item (the items are in `ReportPanel`). Small enough to sit in
/// a message's author line without making every message taller.
#[component]
pub fn ContentMenu(actions: ContentActions) -> impl IntoView {
    let key = actions.target.key();
    let noun = actions.target.noun();
    let whose = if actions.mine {
        format!(" for your {noun}")
    } else {
        format!(
            " for the {noun} from {}",
            actions.author.with_value(String::clone)
        )
    };
    let first_item = if actions.mine {
        format!("{key}-concern")
    } else {
        format!("{key}-report")
    };
    view! {
        <button
            type="button"
            id=format!("{key}-menu")
            class="link-button item-menu-toggle"
            aria-expanded=move || if actions.menu_open.get() { "true" } else { "false" }
            on:click=move |_| {
                let open = !actions.menu_open.get_untracked();
                actions.menu_open.set(open);
                if open {
                    focus_later(first_item.clone());
                }
            }
        >
            "More"
            <span class="visually-hidden">{whose}</span>
        </button>
    }
}

/// The inline report form, and the thanks once it is sent.
#[component]
pub fn ReportPanel(actions: ContentActions) -> impl IntoView {
    let session = use_session();
    let key = actions.target.key();
    let noun = actions.target.noun();
    let reason = RwSignal::new(None::<ReportReason>);
    let detail = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let heading_id = format!("{key}-report-heading");
    let detail_id = format!("{key}-report-detail");
    let error_id = format!("{key}-report-error");
    let menu_id = format!("{key}-menu");

    let close = {
        let menu_id = menu_id.clone();
        move || {
            actions.report.set(ReportState::Closed);
            reason.set(None);
            detail.set(String::new());
            error.set(None);
            focus_later(menu_id.clone());
        }
    };

    let submit = {
        let key = key.clone();
        let menu_id = menu_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let Some(chosen) = reason.get_untracked() else {
                error.set(Some("Choose why you are reporting it.".to_owned()));
                focus_later(format!(
                    "{key}-report-reason-{}",
                    ReportReason::ALL[0].slug()
                ));
                return;
            };
            let text = detail.get_untracked().trim().to_owned();
            let n = text.chars().count();
            if n > REPORT_DETAIL_MAX_CHARS {
                error.set(Some(format!(
                    "Use at most {REPORT_DETAIL_MAX_CHARS} characters; this has {n}."
                )));
                focus_later(format!("{key}-report-detail"));
                return;
            }
            error.set(None);
            busy.set(true);
            let (message_id, post_id) = match actions.target {
                ContentRef::Message { id, .. } => (Some(id), None),
                ContentRef::Post { id, .. } => (None, Some(id)),
            };
            let body = CreateReport {
                message_id,
                post_id,
                reason: chosen,
                detail: text,
            };
            let menu_id = menu_id.clone();
            spawn_local(async move {
                let result = trust::create_report(&body).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(_) => {
                        let _ = actions.report.try_set(ReportState::Sent);
                        // The form is gone; the thanks is read out from the
                        // status line, and the reader stays at the item.
                        focus_later(menu_id);
                    }
                    Err(e) => {
                        if !session.auth.check(&e) {
                            let _ = error
                                .try_set(Some(format!("Could not send the report. {}", e.message)));
                        }
                    }
                }
            });
        }
    };

    let form = {
        let key = key.clone();
        let close = close.clone();
        move || {
            let close_button = close.clone();
            let close_on_escape = close.clone();
            let radios = ReportReason::ALL
                .iter()
                .copied()
                .map(|r| {
                    let id = format!("{key}-report-reason-{}", r.slug());
                    view! {
                        <div class="radio">
                            <input
                                type="radio"
                                id=id.clone()
                                name=format!("{key}-report-reason")
                                value=r.slug()
                                prop:checked=move || reason.get() == Some(r)
                                on:change=move |_| reason.set(Some(r))
                            />
                            <label for=id>{r.label()}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <form
                    class="record-form report-form"
                    aria-labelledby=heading_id.clone()
                    novalidate
                    on:submit=submit.clone()
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            close_on_escape();
                        }
                    }
                >
                    <p class="record-heading" id=heading_id.clone()>
                        {format!("Report this {noun} to the programme team")}
                    </p>
                    <fieldset class="record-kind report-reasons">
                        <legend>"Why are you reporting it?"</legend>
                        {radios}
                    </fieldset>
                    <div class="field">
                        <label for=detail_id.clone()>"Anything they should know (optional)"</label>
                        <textarea
                            id=detail_id.clone()
                            class="report-detail"
                            rows="3"
                            prop:value=move || detail.get()
                            on:input=move |ev| detail.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <p class="hint">
                        "The programme team reads a copy of it and decides what to do. If someone is in danger, raise a concern instead."
                    </p>
                    <div class="inline-actions">
                        <button
                            type="submit"
                            class="button primary small report-submit"
                            aria-busy=move || busy.get().then_some("true")
                        >
                            {move || if busy.get() { "Sending…" } else { "Send report" }}
                        </button>
                        <button
                            type="button"
                            class="button secondary small"
                            on:click=move |_| close_button()
                        >
                            "Cancel"
                        </button>
                    </div>
                    <p class="field-error" id=error_id.clone() role="alert">
                        {move || error.get()}
                    </p>
                </form>
            }
        }
    };

    let items = {
        let key = key.clone();
        let menu_id = menu_id.clone();
        move || {
            let key = key.clone();
            let menu_id = menu_id.clone();
            let open_report = {
                let key = key.clone();
                move |_| {
                    actions.menu_open.set(false);
                    actions.report.set(ReportState::Open);
                    focus_later(format!(
                        "{key}-report-reason-{}",
                        ReportReason::ALL[0].slug()
                    ));
                }
            };
            view! {
                <div
                    class="inline-actions item-menu-items"
                    id=format!("{key}-menu-items")
                    role="group"
                    aria-labelledby=menu_id.clone()
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            actions.menu_open.set(false);
                            focus_later(menu_id.clone());
                        }
                    }
                >
                    {(!actions.mine)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="link-button report-open"
                                    id=format!("{key}-report")
                                    on:click=open_report
                                >
                                    "Report"
                                    <span class="visually-hidden">{format!(" this {noun}")}</span>
                                </button>
                            }
                        })}
                    <a
                        class="link-button raise-concern"
                        id=format!("{key}-concern")
                        href=actions.target.concern_href()
                    >
                        "Raise a concern"
                    </a>
                </div>
            }
        }
    };

    view! {
        {move || actions.menu_open.get().then(items.clone())}
        <Show when=move || actions.report.get() != ReportState::Closed>
            <div class="record-panel report-panel">
                <p class="report-done" role="status">
                    {move || {
                        (actions.report.get() == ReportState::Sent)
                            .then_some("Thanks. The programme team will review it.")
                    }}
                </p>
                {
                    let form = form.clone();
                    move || (actions.report.get() == ReportState::Open).then(form.clone())
                }
            </div>
        </Show>
    }
}
