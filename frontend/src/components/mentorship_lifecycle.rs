//! The steps the viewer may take on a mentorship now (the server lists
//! them), one button each. Declining and withdrawing first ask why: the
//! reason is kept in the history that everyone in the mentorship reads.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::mentorships::{MentorshipView, Transition};
use shared::taxonomy::LifecycleAction;
use shared::{ErrorKind, MentorshipId};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

fn needs_reason(action: LifecycleAction) -> bool {
    matches!(action, LifecycleAction::Decline | LifecycleAction::Withdraw)
}

/// Steps that end something ask before they are sent; completing does not
/// need a reason, but cannot be undone.
fn asks_first(action: LifecycleAction) -> bool {
    needs_reason(action) || action == LifecycleAction::Complete
}

fn reason_prompt(action: LifecycleAction) -> &'static str {
    match action {
        LifecycleAction::Decline => "Why are you declining?",
        LifecycleAction::Withdraw => "Why are you withdrawing?",
        _ => "Anything to say about how it went? (optional)",
    }
}

fn reason_hint(action: LifecycleAction) -> &'static str {
    if action == LifecycleAction::Complete {
        "Completing ends the mentorship. Each side can then write a closing reflection."
    } else {
        "Everyone in the mentorship and the programme team will read this."
    }
}

fn button_class(action: LifecycleAction) -> &'static str {
    match action {
        LifecycleAction::Accept | LifecycleAction::Approve | LifecycleAction::Resume => {
            "button primary"
        }
        _ => "button secondary",
    }
}

#[component]
pub fn LifecycleActions(
    mentorship_id: MentorshipId,
    #[prop(into)] actions: Signal<Vec<LifecycleAction>>,
    /// The step taken and the mentorship as it is after it.
    on_changed: Callback<(LifecycleAction, MentorshipView)>,
) -> impl IntoView {
    let session = use_session();
    let confirming = RwSignal::new(None::<LifecycleAction>);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<LifecycleAction>);

    let run = move |action: LifecycleAction| {
        if busy.get_untracked().is_some() {
            return;
        }
        let why = reason.get_untracked().trim().to_owned();
        if needs_reason(action) && why.is_empty() {
            reason_error.set(Some(
                "Write a reason: everyone in the mentorship will read it.".to_owned(),
            ));
            focus_later("lifecycle-reason");
            return;
        }
        busy.set(Some(action));
        error.set(None);
        reason_error.set(None);
        let body = Transition {
            action,
            reason: (!why.is_empty()).then_some(why),
        };
        spawn_local(async move {
            let result = api::transition(mentorship_id, &body).await;
            let _ = busy.try_set(None);
            match result {
                Ok(view) => {
                    let _ = confirming.try_set(None);
                    let _ = reason.try_set(String::new());
                    on_changed.run((action, view));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e)
                    if e.kind == ErrorKind::Validation
                        && e.field.as_deref() == Some("reason")
                        && needs_reason(action) =>
                {
                    let _ = reason_error.try_set(Some(e.message));
                    focus_later("lifecycle-reason");
                }
                Err(e) => {
                    let _ = error.try_set(Some(format!("Could not do that. {}", e.message)));
                }
            }
        });
    };

    let press = move |action: LifecycleAction| {
        if asks_first(action) {
            confirming.set(Some(action));
            reason_error.set(None);
            error.set(None);
            focus_later("lifecycle-reason");
        } else {
            run(action);
        }
    };

    let cancel = move |_| {
        let was = confirming.get_untracked();
        confirming.set(None);
        reason_error.set(None);
        if let Some(action) = was {
            focus_later(format!("lifecycle-{}", action.slug()));
        }
    };

    view! {
        <Show when=move || actions.with(|a| !a.is_empty())>
            <section class="programme-section lifecycle" aria-labelledby="lifecycle-heading">
                <h2 id="lifecycle-heading">"What you can do"</h2>
                <div class="inline-actions">
                    <For
                        each=move || actions.get()
                        key=|a| *a
                        children=move |action| {
                            view! {
                                <button
                                    type="button"
                                    id=format!("lifecycle-{}", action.slug())
                                    class=button_class(action)
                                    aria-expanded=move || {
                                        asks_first(action)
                                            .then(|| if confirming.get() == Some(action) { "true" } else { "false" })
                                    }
                                    aria-busy=move || (busy.get() == Some(action)).then_some("true")
                                    on:click=move |_| press(action)
                                >
                                    {action.label()}
                                </button>
                            }
                        }
                    />
                </div>
                {move || {
                    confirming
                        .get()
                        .map(|action| {
                            view! {
                                <form
                                    class="reason-form"
                                    on:submit=move |ev| {
                                        ev.prevent_default();
                                        run(action);
                                    }
                                >
                                    <label for="lifecycle-reason">{reason_prompt(action)}</label>
                                    <textarea
                                        id="lifecycle-reason"
                                        name="reason"
                                        rows="3"
                                        required=needs_reason(action)
                                        aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                                        aria-describedby=move || {
                                            if reason_error.with(Option::is_some) {
                                                "lifecycle-reason-hint lifecycle-reason-error"
                                            } else {
                                                "lifecycle-reason-hint"
                                            }
                                        }
                                        prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))
                                    ></textarea>
                                    <p class="hint" id="lifecycle-reason-hint">
                                        {reason_hint(action)}
                                    </p>
                                    <p class="field-error" id="lifecycle-reason-error" role="alert">
                                        {move || reason_error.get()}
                                    </p>
                                    <div class="inline-actions">
                                        <button
                                            type="submit"
                                            id="lifecycle-confirm"
                                            class=if needs_reason(action) {
                                                "button danger"
                                            } else {
                                                "button primary"
                                            }
                                            aria-busy=move || busy.get().is_some().then_some("true")
                                        >
                                            {action.label()}
                                        </button>
                                        <button
                                            type="button"
                                            id="lifecycle-cancel"
                                            class="button secondary"
                                            on:click=cancel
                                        >
                                            "Cancel"
                                        </button>
                                    </div>
                                </form>
                            }
                        })
                }}
                <div class="form-error" id="lifecycle-error" role="alert">
                    {move || error.get().map(|m| view! { <p>{m}</p> })}
                </div>
            </section>
        </Show>
    }
}
