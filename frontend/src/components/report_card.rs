//! One report in the moderation queue: why and by whom, a copy of the
//! content with its author and where it was said, and the moderator's
//! actions, each behind a short form with the reason: hide or restore the
//! content, dismiss the report, warn the author, suspend them (for some
//! days or until lifted) or lift a suspension. "Author's record" shows
//! their standing and earlier moderation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::moderation::{
    ModerationReason, ModerationUserView, ReportStatus, ReportView, SuspendUser,
};
use shared::limits::{MODERATION_REASON_MAX_CHARS, SUSPENSION_MAX_DAYS};

use crate::api::trust::{self, Content};
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Hide,
    Restore,
    Dismiss,
    Warn,
    Suspend,
    Unsuspend,
}

impl Action {
    fn slug(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Restore => "restore",
            Self::Dismiss => "dismiss",
            Self::Warn => "warn",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
        }
    }

    fn button(self, noun: &'static str) -> String {
        match self {
            Self::Hide => format!("Hide the {noun}"),
            Self::Restore => format!("Restore the {noun}"),
            Self::Dismiss => "Dismiss the report".to_owned(),
            Self::Warn => "Warn the author".to_owned(),
            Self::Suspend => "Suspend the author".to_owned(),
            Self::Unsuspend => "Lift the suspension".to_owned(),
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Self::Hide => {
                "Everyone then sees “Hidden by a moderator” in its place. The author is told, with this reason."
            }
            Self::Restore => "It shows again as it was. The author is told.",
            Self::Dismiss => "The content stays as it is. Say why, for the record.",
            Self::Warn => "The author receives this as a warning.",
            Self::Suspend => {
                "They are signed out everywhere and cannot log in until it ends. They are told this reason."
            }
            Self::Unsuspend => "They can log in again at once.",
        }
    }

    /// A reason the author reads must be given; the rest are for the record.
    fn needs_reason(self) -> bool {
        matches!(self, Self::Hide | Self::Warn | Self::Suspend)
    }

    fn done(self, noun: &'static str, author: &str) -> String {
        match self {
            Self::Hide => format!("The {noun} is hidden. {author} was told why."),
            Self::Restore => format!("The {noun} is shown again."),
            Self::Dismiss => "The report is dismissed.".to_owned(),
            Self::Warn => format!("{author} was warned."),
            Self::Suspend => format!("{author} is suspended."),
            Self::Unsuspend => format!("{author}’s suspension is lifted."),
        }
    }
}

fn status_label(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Open => "Open",
        ReportStatus::Actioned => "Actioned",
        ReportStatus::Dismissed => "Dismissed",
    }
}

#[component]
pub fn ReportCard(
    report: ReportView,
    /// An action succeeded: its sentence for the page's status line.
    on_done: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let id = report.id;
    let c = report.content.clone();
    let content = match (c.message_id, c.post_id) {
        (Some(m), _) => Some(Content::Message(m)),
        (None, Some(p)) => Some(Content::Post(p)),
        _ => None,
    };
    let noun = if c.post_id.is_some() {
        "post"
    } else {
        "message"
    };
    let author = c.author.clone();
    let author_name = author
        .as_ref()
        .map(|a| a.display_name.clone())
        .unwrap_or_else(|| "The author".to_owned());
    let hidden = c.hidden_reason.is_some();
    let suspended = c.author_suspended;
    let open = report.status == ReportStatus::Open;

    let mut available = Vec::new();
    if content.is_some() {
        available.push(if hidden {
            Action::Restore
        } else {
            Action::Hide
        });
    }
    if open {
        available.push(Action::Dismiss);
    }
    if author.is_some() {
        available.push(Action::Warn);
        available.push(if suspended {
            Action::Unsuspend
        } else {
            Action::Suspend
        });
    }

    let chosen = RwSignal::new(None::<Action>);
    let reason = RwSignal::new(String::new());
    let until_lifted = RwSignal::new(false);
    let days = RwSignal::new("7".to_owned());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let card_id = format!("report-{id}");
    let heading_id = format!("report-{id}-heading");
    let form_heading_id = format!("report-{id}-action-heading");
    let reason_id = format!("report-{id}-reason");
    let reason_hint_id = format!("report-{id}-reason-hint");
    let error_id = format!("report-{id}-error");
    let days_id = format!("report-{id}-days");

    let where_said = match (c.thread_id, c.post_id, c.room_id) {
        (Some(thread), post, _) => {
            let href = match post {
                Some(p) => format!("/threads/{thread}#post-{p}"),
                None => format!("/threads/{thread}"),
            };
            view! { <a href=href class="report-where">"In a practice thread"</a> }.into_any()
        }
        // Moderators are not in others' rooms; link only to one they are in.
        (None, _, Some(room)) if session.chat.has_room_untracked(room) => {
            let href = match c.message_id {
                Some(m) => format!("/rooms/{room}#message-{m}"),
                None => format!("/rooms/{room}"),
            };
            view! { <a href=href class="report-where">"In a conversation you are in"</a> }
                .into_any()
        }
        (None, _, Some(_)) => "In a conversation (you cannot open it)".into_any(),
        _ => "Unknown".into_any(),
    };

    let submit = {
        let reason_id = reason_id.clone();
        let days_id = days_id.clone();
        let author_name = author_name.clone();
        let author_id = author.as_ref().map(|a| a.id);
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let Some(action) = chosen.get_untracked() else {
                return;
            };
            let text = reason.get_untracked().trim().to_owned();
            let n = text.chars().count();
            if action.needs_reason() && n == 0 {
                error.set(Some("Give a reason: the author reads it.".to_owned()));
                focus_later(reason_id.clone());
                return;
            }
            if n > MODERATION_REASON_MAX_CHARS {
                error.set(Some(format!(
                    "Use at most {MODERATION_REASON_MAX_CHARS} characters; this has {n}."
                )));
                focus_later(reason_id.clone());
                return;
            }
            let suspend_days = if action == Action::Suspend && !until_lifted.get_untracked() {
                match days.get_untracked().trim().parse::<u32>() {
                    Ok(d) if (1..=SUSPENSION_MAX_DAYS).contains(&d) => Some(d),
                    _ => {
                        error.set(Some(format!(
                            "Give a number of days from 1 to {SUSPENSION_MAX_DAYS}, or choose “Until lifted”."
                        )));
                        focus_later(days_id.clone());
                        return;
                    }
                }
            } else {
                None
            };
            error.set(None);
            busy.set(true);
            let done = action.done(noun, &author_name);
            spawn_local(async move {
                let why = ModerationReason {
                    reason: text.clone(),
                    report_id: Some(id),
                };
                let result = match (action, content, author_id) {
                    (Action::Hide, Some(c), _) => trust::hide(c, &why).await,
                    (Action::Restore, Some(c), _) => trust::restore(c, &why).await,
                    (Action::Dismiss, ..) => trust::dismiss_report(id, &why).await.map(|_| ()),
                    (Action::Warn, _, Some(user)) => trust::warn_user(user, &why).await,
                    (Action::Suspend, _, Some(user)) => {
                        let body = SuspendUser {
                            reason: text,
                            days: suspend_days,
                            report_id: Some(id),
                        };
                        trust::suspend_user(user, &body).await
                    }
                    (Action::Unsuspend, _, Some(user)) => trust::unsuspend_user(user, &why).await,
                    _ => Ok(()),
                };
                let _ = busy.try_set(false);
                match result {
                    Ok(()) => {
                        let _ = chosen.try_set(None);
                        let _ = reason.try_set(String::new());
                        focus_later("moderation-heading");
                        on_done.run(done);
                    }
                    Err(e) => {
                        if !session.auth.check(&e) {
                            let _ = error.try_set(Some(e.message));
                        }
                    }
                }
            });
        }
    };

    let buttons = available
        .iter()
        .copied()
        .map(|action| {
            let reason_id = reason_id.clone();
            view! {
                <button
                    type="button"
                    class=format!("button secondary small report-{}", action.slug())
                    aria-expanded=move || if chosen.get() == Some(action) { "true" } else { "false" }
                    on:click=move |_| {
                        error.set(None);
                        chosen.set(Some(action));
                        focus_later(reason_id.clone());
                    }
                >
                    {action.button(noun)}
                </button>
            }
        })
        .collect_view();

    let form = move || {
        let action = chosen.get()?;
        let submit = submit.clone();
        let reason_label = if action.needs_reason() {
            "Reason"
        } else {
            "Reason (optional)"
        };
        let suspend_fields = (action == Action::Suspend).then(|| {
            let days_id = days_id.clone();
            view! {
                <fieldset class="record-kind suspend-length">
                    <legend>"For how long"</legend>
                    <div class="radio">
                        <input
                            type="radio"
                            id=format!("report-{id}-for-days")
                            name=format!("report-{id}-length")
                            prop:checked=move || !until_lifted.get()
                            on:change=move |_| until_lifted.set(false)
                        />
                        <label for=format!("report-{id}-for-days")>"For a number of days"</label>
                    </div>
                    <div class="radio">
                        <input
                            type="radio"
                            id=format!("report-{id}-until-lifted")
                            name=format!("report-{id}-length")
                            prop:checked=move || until_lifted.get()
                            on:change=move |_| until_lifted.set(true)
                        />
                        <label for=format!("report-{id}-until-lifted")>"Until lifted"</label>
                    </div>
                </fieldset>
                <Show when=move || !until_lifted.get()>
                    <div class="field">
                        <label for=days_id.clone()>"Days"</label>
                        <input
                            id=days_id.clone()
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max=SUSPENSION_MAX_DAYS.to_string()
                            prop:value=move || days.get()
                            on:input=move |ev| days.set(event_target_value(&ev))
                        />
                    </div>
                </Show>
            }
        });
        Some(view! {
            <form
                class="record-panel record-form moderation-form"
                aria-labelledby=form_heading_id.clone()
                data-action=action.slug()
                novalidate
                on:submit=submit
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        chosen.set(None);
                    }
                }
            >
                <p class="record-heading" id=form_heading_id.clone()>
                    {action.button(noun)}
                </p>
                <div class="field">
                    <label for=reason_id.clone()>{reason_label}</label>
                    <textarea
                        id=reason_id.clone()
                        class="moderation-reason"
                        rows="2"
                        aria-describedby=format!("{reason_hint_id} {error_id}")
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint" id=reason_hint_id.clone()>
                        {action.hint()}
                    </p>
                </div>
                {suspend_fields}
                <div class="inline-actions">
                    <button
                        type="submit"
                        id=format!("report-{id}-confirm")
                        class=if matches!(action, Action::Hide | Action::Suspend) {
                            "button danger small report-confirm"
                        } else {
                            "button primary small report-confirm"
                        }
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {action.button(noun)}
                    </button>
                    <button
                        type="button"
                        class="button secondary small"
                        on:click=move |_| {
                            chosen.set(None);
                            error.set(None);
                        }
                    >
                        "Cancel"
                    </button>
                </div>
                <p class="field-error" id=error_id.clone() role="alert">
                    {move || error.get()}
                </p>
            </form>
        })
    };

    let when = format_time(&report.created_at);
    let when_iso = report.created_at.to_rfc3339();
    let reporter = report
        .reporter
        .as_ref()
        .map(|r| r.display_name.clone())
        .unwrap_or_else(|| "A former member".to_owned());
    let resolved = report.resolved_at.map(|at| {
        let by = report
            .resolved_by
            .as_ref()
            .map(|u| format!(" by {}", u.display_name))
            .unwrap_or_default();
        format!("{}{by}, {}", status_label(report.status), format_time(&at))
    });
    let text = if c.text.is_empty() {
        "(no text)".to_owned()
    } else {
        c.text.clone()
    };

    view! {
        <li class="report-card" id=card_id data-report-id=id data-status=report.status.slug()>
            <article aria-labelledby=heading_id.clone()>
                <h2 class="report-reason" id=heading_id.clone()>
                    {report.reason.label()}
                </h2>
                <p class="report-tags">
                    <span class="label-tag report-status">{status_label(report.status)}</span>
                    {hidden
                        .then(|| {
                            view! { " " <span class="label-tag report-hidden">"Hidden"</span> }
                        })}
                    {suspended
                        .then(|| {
                            view! {
                                " "
                                <span class="label-tag overdue report-suspended">"Author suspended"</span>
                            }
                        })}
                </p>
                <dl class="facts compact">
                    <div>
                        <dt>"Reported by"</dt>
                        <dd class="report-reporter">
                            {reporter} ", " <time datetime=when_iso>{when}</time>
                        </dd>
                    </div>
                    <div>
                        <dt>"Author"</dt>
                        <dd class="report-author">{author_name.clone()}</dd>
                    </div>
                    <div>
                        <dt>"Where"</dt>
                        <dd>{where_said}</dd>
                    </div>
                    {resolved
                        .map(|r| {
                            view! {
                                <div>
                                    <dt>"Resolved"</dt>
                                    <dd>{r}</dd>
                                </div>
                            }
                        })}
                </dl>
                {(!report.detail.is_empty())
                    .then(|| {
                        view! {
                            <p class="report-detail-text">
                                <span class="visually-hidden">"The reporter added: "</span>
                                "“"
                                {report.detail.clone()}
                                "”"
                            </p>
                        }
                    })}
                <blockquote class="quote report-content">
                    <p class="quote-author">{format!("{author_name} wrote:")}</p>
                    <p class="quote-excerpt">{text}</p>
                </blockquote>
                {c
                    .hidden_reason
                    .clone()
                    .map(|r| view! { <p class="hint report-hidden-reason">"Hidden: " {r}</p> })}
                <div class="inline-actions report-actions">{buttons}</div>
                {form}
                {author.map(|a| view! { <AuthorRecord user_id=a.id report_id=id /> })}
            </article>
        </li>
    }
}

/// The author's standing and earlier moderation, loaded when opened.
#[component]
fn AuthorRecord(user_id: shared::UserId, report_id: i64) -> impl IntoView {
    let session = use_session();
    let record = RwSignal::new(None::<Result<ModerationUserView, String>>);
    let requested = StoredValue::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        if !open || requested.get_value() {
            return;
        }
        requested.set_value(true);
        spawn_local(async move {
            let result = trust::moderation_user(user_id).await;
            match result {
                Ok(view) => {
                    let _ = record.try_set(Some(Ok(view)));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        requested.set_value(false);
                        let _ = record.try_set(Some(Err(e.message)));
                    }
                }
            }
        });
    };
    view! {
        <details class="room-options author-record" on:toggle=on_toggle>
            <summary id=format!("report-{report_id}-author-record")>"Author’s record"</summary>
            {move || match record.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(m)) => view! { <p class="form-error">{m}</p> }.into_any(),
                Some(Ok(view)) => {
                    let standing = if view.suspended {
                        match view.suspended_until {
                            Some(until) => format!("Suspended until {}.", format_time(&until)),
                            None => "Suspended until a moderator lifts it.".to_owned(),
                        }
                    } else {
                        "Not suspended.".to_owned()
                    };
                    let reports = match view.reports_against {
                        1 => "1 report about their content.".to_owned(),
                        n => format!("{n} reports about their content."),
                    };
                    view! {
                        <p>{standing} " " {reports}</p>
                        <ul>
                            {view
                                .actions
                                .into_iter()
                                .map(|a| {
                                    let by = a
                                        .moderator
                                        .map(|m| format!(" by {}", m.display_name))
                                        .unwrap_or_default();
                                    view! {
                                        <li>
                                            {format!("{}{by}, {}: {}", a.action, format_time(&a.at), a.reason)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </details>
    }
}
