//! What a concern's handlers (its safeguarding lead, the programme team) can
//! do with it: only the next steps its state allows (acknowledge, mark
//! actioned, close, reopen), with a note that is required for actioned and
//! closed; and "Add a note", open to everyone who reads the concern.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::concerns::{AddConcernNote, ConcernStatus, ConcernView, SetConcernStatus};
use shared::limits::CONCERN_NOTE_MAX_CHARS;

use crate::api::trust;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::org_text_field::InputField;

/// A step from a state: where it goes, its button's words and id, and
/// whether it needs a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub to: ConcernStatus,
    pub label: &'static str,
    pub id: &'static str,
    pub needs_note: bool,
}

const ACKNOWLEDGE: Step = Step {
    to: ConcernStatus::Acknowledged,
    label: "Acknowledge",
    id: "concern-acknowledge",
    needs_note: false,
};
const ACTIONED: Step = Step {
    to: ConcernStatus::Actioned,
    label: "Mark actioned",
    id: "concern-actioned",
    needs_note: true,
};
const CLOSE: Step = Step {
    to: ConcernStatus::Closed,
    label: "Close",
    id: "concern-close",
    needs_note: true,
};
const REOPEN: Step = Step {
    to: ConcernStatus::Acknowledged,
    label: "Reopen",
    id: "concern-reopen",
    needs_note: false,
};

/// The server's rule: new → acknowledged → actioned → closed, new or
/// acknowledged → closed, closed → acknowledged (reopen).
pub fn next_steps(from: ConcernStatus) -> Vec<Step> {
    match from {
        ConcernStatus::New => vec![ACKNOWLEDGE, CLOSE],
        ConcernStatus::Acknowledged => vec![ACTIONED, CLOSE],
        ConcernStatus::Actioned => vec![CLOSE],
        ConcernStatus::Closed => vec![REOPEN],
    }
}

fn done_sentence(step: Step) -> &'static str {
    match (step.to, step.id) {
        (_, "concern-reopen") => "Reopened. The concern is acknowledged again.",
        (ConcernStatus::Acknowledged, _) => {
            "Acknowledged. The person who raised it can see that you have."
        }
        (ConcernStatus::Actioned, _) => "Marked actioned.",
        (ConcernStatus::Closed, _) => "Closed.",
        (ConcernStatus::New, _) => "Saved.",
    }
}

fn note_problem(note: &str) -> Option<String> {
    let n = note.trim().chars().count();
    (n > CONCERN_NOTE_MAX_CHARS).then(|| {
        format!("Use at most {CONCERN_NOTE_MAX_CHARS} characters for a note; this has {n}.")
    })
}

/// The status buttons and their note, for handlers and the programme team.
#[component]
pub fn ConcernSteps(
    concern: RwSignal<ConcernView>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let id = concern.with_untracked(|c| c.summary.id);
    let current = Memo::new(move |_| concern.with(|c| c.summary.status));
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<&'static str>);

    let take = move |step: Step| {
        if busy.get_untracked().is_some() {
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        error.set(None);
        if step.needs_note && text.is_empty() {
            note_error.set(Some(format!(
                "Say what was done: a note is needed to {}.",
                step.label.to_lowercase()
            )));
            focus_later("concern-status-note");
            return;
        }
        if let Some(problem) = note_problem(&text) {
            note_error.set(Some(problem));
            focus_later("concern-status-note");
            return;
        }
        note_error.set(None);
        busy.set(Some(step.id));
        status.set(None);
        spawn_local(async move {
            let body = SetConcernStatus {
                status: step.to,
                note: text,
            };
            let result = trust::set_concern_status(id, &body).await;
            let _ = busy.try_set(None);
            match result {
                Ok(view) => {
                    let _ = concern.try_set(view);
                    let _ = note.try_set(String::new());
                    let _ = status.try_set(Some(done_sentence(step).to_owned()));
                    focus_later("concern-steps-heading");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        if e.field.as_deref() == Some("note") {
                            let _ = note_error.try_set(Some(e.message));
                            focus_later("concern-status-note");
                        } else {
                            let _ =
                                error.try_set(Some(format!("Could not do that. {}", e.message)));
                        }
                    }
                }
            }
        });
    };

    view! {
        <section class="concern-section concern-steps" aria-labelledby="concern-steps-heading">
            <h2 id="concern-steps-heading" tabindex="-1">
                "Move it on"
            </h2>
            <InputField
                id="concern-status-note"
                label="Note on this step"
                value=note
                multiline=true
                hint="Needed to mark it actioned or to close it: say what was done. Everyone who reads the concern sees it."
                error=MaybeProp::derive(move || note_error.get())
            />
            <div class="inline-actions">
                <For
                    each=move || next_steps(current.get())
                    key=|s| s.id
                    children=move |step| {
                        let primary = !matches!(step.to, ConcernStatus::Closed);
                        view! {
                            <button
                                type="button"
                                id=step.id
                                class=if primary { "button primary" } else { "button secondary" }
                                aria-busy=move || (busy.get() == Some(step.id)).then_some("true")
                                on:click=move |_| take(step)
                            >
                                {step.label}
                            </button>
                        }
                    }
                />
            </div>
            <div id="concern-steps-error" class="form-error" role="alert">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
        </section>
    }
}

/// "Add a note": anyone who reads the concern adds to its history.
#[component]
pub fn ConcernNote(
    concern: RwSignal<ConcernView>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let id = concern.with_untracked(|c| c.summary.id);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        if text.is_empty() {
            note_error.set(Some("Write the note first.".to_owned()));
            focus_later("concern-note");
            return;
        }
        if let Some(problem) = note_problem(&text) {
            note_error.set(Some(problem));
            focus_later("concern-note");
            return;
        }
        note_error.set(None);
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = trust::add_concern_note(id, &AddConcernNote { note: text }).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = concern.try_set(view);
                    let _ = note.try_set(String::new());
                    let _ = status.try_set(Some("Your note is added to the history.".to_owned()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = note_error.try_set(Some(e.message));
                        focus_later("concern-note");
                    }
                }
            }
        });
    };

    view! {
        <section class="concern-section" aria-labelledby="concern-note-heading">
            <h2 id="concern-note-heading">"Add a note"</h2>
            <form class="stack" novalidate on:submit=submit>
                <InputField
                    id="concern-note"
                    label="Note"
                    value=note
                    required=true
                    multiline=true
                    hint="Something the others handling this should know. It joins the history and cannot be changed."
                    error=MaybeProp::derive(move || note_error.get())
                />
                <button
                    type="submit"
                    id="concern-note-submit"
                    class="button secondary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || if busy.get() { "Adding…" } else { "Add the note" }}
                </button>
            </form>
        </section>
    }
}
