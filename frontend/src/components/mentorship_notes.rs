//! A mentorship's session notes, newest session first, and the form to add
//! one: the date of the session, what was covered, and the next steps agreed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::MentorshipId;
use shared::api::mentorships::{CreateSessionNote, SessionNoteView};
use shared::{ApiError, ErrorKind};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::mentorship_list::{Load, MemberList, member_list};
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;

/// Today in the reader's time zone, as a date input wants it.
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

fn newest_first(notes: &mut [SessionNoteView]) {
    notes.sort_by(|a, b| {
        b.session_date
            .cmp(&a.session_date)
            .then(b.created_at.cmp(&a.created_at))
    });
}

#[derive(Clone, Debug, Default, PartialEq)]
struct NoteErrors {
    date: Option<String>,
    summary: Option<String>,
    next_steps: Option<String>,
    top: Option<String>,
}

impl NoteErrors {
    fn from_api(e: ApiError) -> Self {
        let mut errors = Self::default();
        match (e.kind, e.field.as_deref()) {
            (ErrorKind::Validation, Some("session_date")) => errors.date = Some(e.message),
            (ErrorKind::Validation, Some("summary")) => errors.summary = Some(e.message),
            (ErrorKind::Validation, Some("next_steps")) => errors.next_steps = Some(e.message),
            _ => errors.top = Some(e.message),
        }
        errors
    }

    /// Where focus goes so the person lands on the problem.
    fn focus_target(&self) -> &'static str {
        if self.date.is_some() {
            "note-date"
        } else if self.summary.is_some() {
            "note-summary"
        } else if self.next_steps.is_some() {
            "note-next-steps"
        } else {
            "note-form-error"
        }
    }
}

fn described(
    hint: Option<&'static str>,
    error_id: &'static str,
    has_error: bool,
) -> Option<String> {
    let ids: Vec<&str> = hint
        .into_iter()
        .chain(has_error.then_some(error_id))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
pub fn MentorshipNotes(mentorship_id: MentorshipId) -> impl IntoView {
    let session = use_session();
    let MemberList {
        items: notes,
        load,
        retry,
    } = member_list(mentorship_id, move || async move {
        api::session_notes(mentorship_id).await.map(|list| {
            let mut list = list.notes;
            newest_first(&mut list);
            list
        })
    });
    let status = RwSignal::new(None::<String>);

    let date = RwSignal::new(today());
    let summary = RwSignal::new(String::new());
    let next_steps = RwSignal::new(String::new());
    let errors = RwSignal::new(NoteErrors::default());
    let saving = RwSignal::new(false);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut found = NoteErrors::default();
        let parsed = chrono::NaiveDate::parse_from_str(date.get_untracked().trim(), "%Y-%m-%d");
        if parsed.is_err() {
            found.date = Some("Give the date of the session.".to_owned());
        }
        let text = summary.get_untracked().trim().to_owned();
        if text.is_empty() {
            found.summary = Some("Write what the session covered.".to_owned());
        }
        let Ok(session_date) = parsed else {
            focus_later(found.focus_target());
            errors.set(found);
            return;
        };
        if found != NoteErrors::default() {
            focus_later(found.focus_target());
            errors.set(found);
            return;
        }
        errors.set(NoteErrors::default());
        saving.set(true);
        let body = CreateSessionNote {
            session_date,
            summary: text,
            next_steps: next_steps.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            let result = api::create_session_note(mentorship_id, &body).await;
            let _ = saving.try_set(false);
            match result {
                Ok(note) => {
                    let when = note.session_date.format("%-d %B %Y").to_string();
                    let _ = notes.try_update(|n| {
                        n.push(note);
                        newest_first(n);
                    });
                    let _ = summary.try_set(String::new());
                    let _ = next_steps.try_set(String::new());
                    let _ =
                        status.try_set(Some(format!("Saved the note of the session on {when}.")));
                }
                Err(e) => {
                    if session.auth.check(&e) {
                        return;
                    }
                    let found = NoteErrors::from_api(e);
                    focus_later(found.focus_target());
                    let _ = errors.try_set(found);
                }
            }
        });
    };

    let date_error = move || errors.with(|e| e.date.clone());
    let summary_error = move || errors.with(|e| e.summary.clone());
    let steps_error = move || errors.with(|e| e.next_steps.clone());

    view! {
        <section class="programme-section" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Session notes"</h2>
            <form class="note-form" novalidate on:submit=add>
                <fieldset>
                    <legend>"Add a session note"</legend>
                    <div id="note-form-error" class="form-error" role="alert" tabindex="-1">
                        {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
                    </div>
                    <div class="field">
                        <label for="note-date">"Date of the session"</label>
                        <input
                            id="note-date"
                            name="session_date"
                            type="date"
                            required
                            aria-invalid=move || date_error().is_some().then_some("true")
                            aria-describedby=move || described(None, "note-date-error", date_error().is_some())
                            prop:value=move || date.get()
                            on:input=move |ev| date.set(event_target_value(&ev))
                        />
                        <p class="field-error" id="note-date-error" role="alert">
                            {date_error}
                        </p>
                    </div>
                    <div class="field">
                        <label for="note-summary">"What you covered"</label>
                        <textarea
                            id="note-summary"
                            name="summary"
                            rows="4"
                            required
                            aria-invalid=move || summary_error().is_some().then_some("true")
                            aria-describedby=move || {
                                described(None, "note-summary-error", summary_error().is_some())
                            }
                            prop:value=move || summary.get()
                            on:input=move |ev| summary.set(event_target_value(&ev))
                        ></textarea>
                        <p class="field-error" id="note-summary-error" role="alert">
                            {summary_error}
                        </p>
                    </div>
                    <div class="field">
                        <label for="note-next-steps">"Next steps agreed"</label>
                        <textarea
                            id="note-next-steps"
                            name="next_steps"
                            rows="3"
                            aria-invalid=move || steps_error().is_some().then_some("true")
                            aria-describedby=move || {
                                described(
                                    Some("note-next-steps-hint"),
                                    "note-next-steps-error",
                                    steps_error().is_some(),
                                )
                            }
                            prop:value=move || next_steps.get()
                            on:input=move |ev| next_steps.set(event_target_value(&ev))
                        ></textarea>
                        <p class="hint" id="note-next-steps-hint">
                            "Optional. Who will do what before you next meet."
                        </p>
                        <p class="field-error" id="note-next-steps-error" role="alert">
                            {steps_error}
                        </p>
                    </div>
                    <button
                        type="submit"
                        id="note-add"
                        class="button primary"
                        aria-busy=move || saving.get().then_some("true")
                    >
                        "Save the note"
                    </button>
                </fieldset>
            </form>
            <p class="settings-status" id="notes-status" role="status">
                {move || status.get()}
            </p>
            {move || match load.get() {
                Load::Loading => view! { <p class="muted">"Loading notes…"</p> }.into_any(),
                Load::Failed(message) => {
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Load::Loaded if notes.with(Vec::is_empty) => {
                    view! {
                        <p class="empty-note" id="notes-empty">
                            "No session notes yet. After you meet, note what you covered and what you agreed."
                        </p>
                    }
                        .into_any()
                }
                Load::Loaded => ().into_any(),
            }}
            <ol class="session-notes" id="session-notes">
                <For
                    each=move || notes.get()
                    key=|n| n.id
                    children=move |n| view! { <NoteItem note=n /> }
                />
            </ol>
        </section>
    }
}

#[component]
fn NoteItem(note: SessionNoteView) -> impl IntoView {
    let date = note.session_date.format("%-d %B %Y").to_string();
    let iso = note.session_date.format("%Y-%m-%d").to_string();
    view! {
        <li class="session-note" id=format!("note-{}", note.id)>
            <h3 class="note-date">
                "Session on " <time datetime=iso>{date}</time>
            </h3>
            <p class="note-summary">{note.summary}</p>
            {(!note.next_steps.is_empty())
                .then(|| {
                    view! {
                        <p class="note-next-steps">
                            <strong>"Next steps: "</strong>
                            {note.next_steps}
                        </p>
                    }
                })}
            <p class="note-meta muted">
                {format!(
                    "Written by {} · {}",
                    note.author.display_name,
                    format_time(&note.created_at),
                )}
            </p>
        </li>
    }
}
