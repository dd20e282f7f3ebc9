//! Closing reflections, once a mentorship is completed: what each side (the
//! mentor, and the organisation's staff) takes away. Each writes their own
//! side and reads the other's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::mentorships::{MentorshipView, SaveReflection};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

#[component]
pub fn MentorshipReflection(
    #[prop(into)] mentorship: Signal<MentorshipView>,
    /// The viewer is the mentor (else one of the organisation's staff).
    viewer_is_mentor: bool,
    on_saved: Callback<MentorshipView>,
) -> impl IntoView {
    let session = use_session();
    let id = mentorship.with_untracked(|m| m.id);
    let own = move |m: &MentorshipView| {
        if viewer_is_mentor {
            m.mentor_reflection.clone()
        } else {
            m.organisation_reflection.clone()
        }
    };
    let other = move || {
        mentorship.with(|m| {
            if viewer_is_mentor {
                (
                    format!("{}’s reflection", m.organisation.name),
                    m.organisation_reflection.clone(),
                )
            } else {
                (
                    format!("{}’s reflection", m.mentor.display_name),
                    m.mentor_reflection.clone(),
                )
            }
        })
    };
    let text = RwSignal::new(mentorship.with_untracked(|m| own(m)).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let body = text.get_untracked().trim().to_owned();
        if body.is_empty() {
            error.set(Some("Write your reflection first.".to_owned()));
            focus_later("reflection");
            return;
        }
        saving.set(true);
        error.set(None);
        saved.set(None);
        spawn_local(async move {
            let result = api::save_reflection(id, &SaveReflection { text: body }).await;
            let _ = saving.try_set(false);
            match result {
                Ok(view) => {
                    let _ = saved.try_set(Some("Saved your reflection.".to_owned()));
                    on_saved.run(view);
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = error.try_set(Some(e.message));
                        focus_later("reflection");
                    }
                }
            }
        });
    };

    let label = if viewer_is_mentor {
        "Your reflection as the mentor"
    } else {
        "Your organisation’s reflection"
    };

    view! {
        <section class="programme-section" aria-labelledby="reflection-heading">
            <h2 id="reflection-heading">"Closing reflections"</h2>
            <p class="hint">
                "What went well, what changed, what you would do differently. Both sides read both reflections; the programme team does not."
            </p>
            {move || {
                let (heading, body) = other();
                view! {
                    <h3>{heading}</h3>
                    {match body {
                        Some(b) => view! { <p class="reflection-text" id="other-reflection">{b}</p> }.into_any(),
                        None => view! { <p class="empty-note">"Not written yet."</p> }.into_any(),
                    }}
                }
            }}
            <form class="reflection-form" novalidate on:submit=save>
                <label for="reflection">{label}</label>
                <textarea
                    id="reflection"
                    name="text"
                    rows="5"
                    required
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then_some("reflection-error")
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="field-error" id="reflection-error" role="alert">
                    {move || error.get()}
                </p>
                <button
                    type="submit"
                    id="reflection-save"
                    class="button primary"
                    aria-busy=move || saving.get().then_some("true")
                >
                    "Save my reflection"
                </button>
                <p class="settings-status" id="reflection-status" role="status">
                    {move || saved.get()}
                </p>
            </form>
        </section>
    }
}
