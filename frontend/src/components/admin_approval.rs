//! Approve or decline one organisation, mentor application or suggested
//! glossary term. Declining first asks why, in a text box: the applicant
//! reads the reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::glossary::DecideTerm;
use shared::api::organisations::Decide;
use shared::{ErrorKind, OrganisationId, UserId};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicant {
    Organisation(OrganisationId),
    Mentor(UserId),
    /// A glossary term someone suggested (its id).
    Term(i64),
}

impl Applicant {
    /// The part of the DOM ids that names this applicant: `org-7`, `mentor-3`.
    pub fn key(self) -> String {
        match self {
            Self::Organisation(id) => format!("org-{id}"),
            Self::Mentor(id) => format!("mentor-{id}"),
            Self::Term(id) => format!("term-{id}"),
        }
    }
}

#[component]
pub fn ApprovalActions(
    applicant: Applicant,
    /// The organisation's or the person's name, for the buttons' names.
    name: String,
    /// Called with a sentence saying what was decided, once the server agrees.
    on_decided: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let key = applicant.key();
    let declining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let approve_id = format!("approve-{key}");
    let decline_id = format!("decline-{key}");
    let reason_id = format!("decline-{key}-reason");
    let reason_error_id = format!("decline-{key}-reason-error");
    let error_id = format!("decision-{key}-error");

    let decide = {
        let name = name.clone();
        let reason_id = reason_id.clone();
        move |approve: bool| {
            if busy.get_untracked() {
                return;
            }
            let why = reason.get_untracked().trim().to_owned();
            if !approve && why.is_empty() {
                reason_error.set(Some(
                    "Write a reason: the applicant will read it.".to_owned(),
                ));
                focus_later(reason_id.clone());
                return;
            }
            busy.set(true);
            error.set(None);
            reason_error.set(None);
            let body = Decide {
                approve,
                reason: (!approve).then_some(why),
            };
            let name = name.clone();
            let reason_id = reason_id.clone();
            spawn_local(async move {
                let result = match applicant {
                    Applicant::Organisation(id) => {
                        api::decide_organisation(id, &body).await.map(|_| ())
                    }
                    Applicant::Mentor(id) => api::decide_mentor(id, &body).await.map(|_| ()),
                    Applicant::Term(id) => {
                        let body = DecideTerm {
                            approve: body.approve,
                            reason: body.reason,
                        };
                        api::decide_term(id, &body).await.map(|_| ())
                    }
                };
                let _ = busy.try_set(false);
                match result {
                    Ok(()) => {
                        let done = if approve { "Approved" } else { "Declined" };
                        on_decided.run(format!("{done} {name}."));
                    }
                    Err(e) if session.auth.check(&e) => {}
                    Err(e) if e.kind == ErrorKind::Validation && !approve => {
                        let _ = reason_error.try_set(Some(e.message));
                        focus_later(reason_id);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e.message));
                    }
                }
            });
        }
    };
    let approve = {
        let decide = decide.clone();
        move |_| decide(true)
    };
    let confirm_decline = {
        let decide = decide.clone();
        move |_| decide(false)
    };

    let open_decline = {
        let reason_id = reason_id.clone();
        move |_| {
            declining.set(true);
            focus_later(reason_id.clone());
        }
    };
    let cancel = {
        let decline_id = decline_id.clone();
        move |_| {
            declining.set(false);
            reason_error.set(None);
            focus_later(decline_id.clone());
        }
    };

    let hidden_name = name.clone();
    let reason_label = format!("Why decline {name}? They will read this.");
    let described_by = {
        let reason_error_id = reason_error_id.clone();
        move || {
            reason_error
                .with(Option::is_some)
                .then(|| reason_error_id.clone())
        }
    };

    view! {
        <div class="approval-actions">
            <Show
                when=move || declining.get()
                fallback={
                    let hidden_name = hidden_name.clone();
                    let approve_id = approve_id.clone();
                    let decline_id = decline_id.clone();
                    let approve = approve.clone();
                    let open_decline = open_decline.clone();
                    move || {
                        view! {
                            <div class="inline-actions">
                                <button
                                    type="button"
                                    id=approve_id.clone()
                                    class="button primary small"
                                    aria-busy=move || busy.get().then_some("true")
                                    on:click=approve.clone()
                                >
                                    "Approve"
                                    <span class="visually-hidden">" " {hidden_name.clone()}</span>
                                </button>
                                <button
                                    type="button"
                                    id=decline_id.clone()
                                    class="button secondary small"
                                    on:click=open_decline.clone()
                                >
                                    "Decline"
                                    <span class="visually-hidden">" " {hidden_name.clone()}</span>
                                </button>
                            </div>
                        }
                    }
                }
            >
                <div class="decline-form">
                    <label for=reason_id.clone()>{reason_label.clone()}</label>
                    <textarea
                        id=reason_id.clone()
                        rows="3"
                        required
                        aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                        aria-describedby=described_by.clone()
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <p class="field-error" id=reason_error_id.clone() role="alert">
                        {move || reason_error.get()}
                    </p>
                    <div class="inline-actions">
                        <button
                            type="button"
                            id=format!("decline-{}-confirm", applicant.key())
                            class="button danger small"
                            aria-busy=move || busy.get().then_some("true")
                            on:click=confirm_decline.clone()
                        >
                            "Decline"
                            <span class="visually-hidden">" " {name.clone()}</span>
                        </button>
                        <button type="button" class="button secondary small" on:click=cancel.clone()>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
