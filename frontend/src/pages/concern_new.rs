//! "Raise a safeguarding concern": how urgent (with the emergency services
//! first when someone is in immediate danger), which organisation's
//! safeguarding lead should handle it (or the programme team alone), who is
//! at risk and what happened. Opened from a message (`?message_id=&room_id=`)
//! or a thread post (`?post_id=&thread_id=`), it shows what was said and
//! sends its id, so a copy goes with the concern.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::concerns::{ConcernPriority, RaiseConcern};
use shared::api::coops::OrgRef;
use shared::limits::{CONCERN_AT_RISK_MAX_CHARS, CONCERN_TEXT_MAX_CHARS};
use shared::{MessageId, OrganisationId, PostId, RoomId, ThreadId};

use crate::api;
use crate::api::trust;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::org_text_field::InputField;

/// API field name and DOM id (the one to focus), in the order they appear.
const FIELDS: [(&str, &str); 4] = [
    ("priority", "concern-priority-immediate"),
    ("organisation_id", "concern-organisation"),
    ("at_risk", "concern-at-risk"),
    ("what_happened", "concern-what-happened"),
];

/// The guidance shown as soon as "Immediate risk of harm" is chosen.
pub const EMERGENCY_GUIDANCE: &str = "If someone is in immediate danger, call 999 now: emergency services first. Then raise this concern so your safeguarding lead knows.";

fn priority_hint(p: ConcernPriority) -> &'static str {
    match p {
        ConcernPriority::Immediate => "Someone may come to harm now. Call 999 first.",
        ConcernPriority::Concern => "A worry about someone’s safety that needs action.",
        ConcernPriority::Information => {
            "Something the safeguarding lead should know; no action may be needed."
        }
    }
}

/// What the concern was raised from, as shown above the form.
#[derive(Clone, Debug, PartialEq)]
struct Source {
    /// "message" or "post", for the sentence.
    what: &'static str,
    author: Option<String>,
    text: Option<String>,
}

/// What is wrong with the form before asking the server.
fn check(priority: Option<ConcernPriority>, at_risk: &str, what_happened: &str) -> FormErrors {
    let mut found = FormErrors::default();
    if priority.is_none() {
        found.field("priority", "Choose how urgent this is.");
    }
    let n = at_risk.trim().chars().count();
    if n == 0 {
        found.field(
            "at_risk",
            "Say who is at risk, for example “a participant at the Tuesday session”.",
        );
    } else if n > CONCERN_AT_RISK_MAX_CHARS {
        found.field(
            "at_risk",
            format!("Use at most {CONCERN_AT_RISK_MAX_CHARS} characters here; this has {n}."),
        );
    }
    let n = what_happened.trim().chars().count();
    if n == 0 {
        found.field("what_happened", "Say what happened or what worries you.");
    } else if n > CONCERN_TEXT_MAX_CHARS {
        found.field(
            "what_happened",
            format!("Use at most {CONCERN_TEXT_MAX_CHARS} characters here; this has {n}."),
        );
    }
    found
}

#[component]
pub fn NewConcernPage() -> impl IntoView {
    set_page_title("Raise a safeguarding concern");
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let query = use_query_map();
    let number =
        |key: &str| query.with_untracked(|q| q.get(key).and_then(|v| v.parse::<i64>().ok()));
    let message_id: Option<MessageId> = number("message_id");
    // A concern comes from one place: a message wins over a post.
    let post_id: Option<PostId> = number("post_id").filter(|_| message_id.is_none());
    let room_id: Option<RoomId> = number("room_id");
    let thread_id: Option<ThreadId> = number("thread_id");

    let priority = RwSignal::new(None::<ConcernPriority>);
    let organisation = RwSignal::new(None::<OrganisationId>);
    let organisations = RwSignal::new(None::<Vec<OrgRef>>);
    let orgs_error = RwSignal::new(None::<String>);
    let at_risk = RwSignal::new(String::new());
    let what_happened = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    spawn_local(async move {
        match trust::list_concerns(None).await {
            Ok(list) => {
                // Most people are staff of one organisation: its lead is
                // who should hear. The choice stays theirs.
                if organisation.try_get_untracked().flatten().is_none() {
                    let _ = organisation.try_set(list.organisations.first().map(|o| o.id));
                }
                let _ = organisations.try_set(Some(list.organisations));
            }
            Err(e) => {
                if !session.auth.check(&e) {
                    let _ = organisations.try_set(Some(Vec::new()));
                    let _ = orgs_error.try_set(Some(format!(
                        "Could not load your organisations, so this can only go to the programme team. {}",
                        e.message
                    )));
                }
            }
        }
    });

    // What was said, when the concern comes from a message or a post.
    let source = RwSignal::new(None::<Source>);
    if let Some(id) = message_id {
        let found = room_id.and_then(|room| {
            let chat = session.chat;
            chat.seqs(room)
                .into_iter()
                .filter_map(|seq| chat.message(room, seq))
                .find(|m| m.id == id)
        });
        source.set(Some(Source {
            what: "message",
            author: found.as_ref().map(|m| m.author_name.clone()),
            text: found.map(|m| m.body).filter(|b| !b.is_empty()),
        }));
    } else if let Some(id) = post_id {
        source.set(Some(Source {
            what: "post",
            author: None,
            text: None,
        }));
        if let Some(thread) = thread_id {
            spawn_local(async move {
                if let Ok(found) = api::thread(thread).await
                    && let Some(p) = found.posts.into_iter().find(|p| p.id == id)
                {
                    let _ = source.try_set(Some(Source {
                        what: "post",
                        author: Some(p.author.display_name),
                        text: Some(p.body).filter(|b| !b.is_empty()),
                    }));
                }
            });
        }
    }

    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };
    let show = move |found: FormErrors| {
        focus_later(found.focus_target(&FIELDS));
        errors.set(found);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = priority.get_untracked();
        let found = check(
            chosen,
            &at_risk.get_untracked(),
            &what_happened.get_untracked(),
        );
        let Some(chosen) = chosen.filter(|_| found.is_empty()) else {
            show(found);
            return;
        };
        errors.set(FormErrors::default());
        busy.set(true);
        let body = RaiseConcern {
            organisation_id: organisation.get_untracked(),
            priority: chosen,
            at_risk: at_risk.get_untracked().trim().to_owned(),
            what_happened: what_happened.get_untracked().trim().to_owned(),
            message_id,
            post_id,
        };
        spawn_local(async move {
            match trust::raise_concern(&body).await {
                Ok(view) => {
                    let path = format!("/concerns/{}?raised=1", view.summary.id);
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
                        show(FormErrors::from_api(e, &names));
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let priority_error = field_error("priority");
    let priority_radios = ConcernPriority::ALL
        .iter()
        .copied()
        .map(|p| {
            let id = format!("concern-priority-{}", p.slug());
            let hint_id = format!("{id}-hint");
            view! {
                <div class="concern-priority-choice">
                    <div class="checkbox radio">
                        <input
                            type="radio"
                            id=id.clone()
                            name="priority"
                            value=p.slug()
                            aria-describedby=hint_id.clone()
                            prop:checked=move || priority.get() == Some(p)
                            on:change=move |_| priority.set(Some(p))
                        />
                        <label for=id>{p.label()}</label>
                    </div>
                    <p class="hint" id=hint_id>
                        {priority_hint(p)}
                    </p>
                </div>
            }
        })
        .collect_view();

    let organisation_hint = move || match organisations.get() {
        Some(list) if list.is_empty() => {
            "You are not on the staff of an organisation here, so this goes to the programme team."
                .to_owned()
        }
        _ => match organisation.get() {
            Some(_) => {
                "The organisation’s safeguarding lead and the programme team receive it.".to_owned()
            }
            None => "Only the programme team receives it.".to_owned(),
        },
    };

    view! {
        <main id="main" class="page narrow concern-new-page">
            <p class="back-link">
                <a href="/concerns">"Safeguarding concerns"</a>
            </p>
            <h1>"Raise a safeguarding concern"</h1>
            <p>
                "Use this when you are worried about someone’s safety. The safeguarding lead of the organisation you choose and the programme team will see it and must acknowledge it. You will see each step they take."
            </p>
            {move || {
                source
                    .get()
                    .map(|s| {
                        let intro = format!(
                            "Raised from a {}; a copy of it goes with the concern.",
                            s.what,
                        );
                        view! {
                            <section class="concern-source" aria-labelledby="concern-source-heading">
                                <h2 id="concern-source-heading">"What was said"</h2>
                                <p class="hint">{intro}</p>
                                {s
                                    .text
                                    .map(|text| {
                                        view! {
                                            <blockquote class="quote" id="concern-source-quote">
                                                {s
                                                    .author
                                                    .map(|a| {
                                                        view! { <p class="quote-author">{a} " wrote:"</p> }
                                                    })}
                                                <p class="quote-excerpt">{text}</p>
                                            </blockquote>
                                        }
                                    })}
                            </section>
                        }
                    })
            }}
            <form id="concern-form" class="stack" novalidate on:submit=on_submit>
                <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
                <fieldset
                    class="checkbox-group concern-priority"
                    class:has-error=move || priority_error.with(Option::is_some)
                    aria-describedby=move || {
                        priority_error.with(Option::is_some).then_some("concern-priority-error")
                    }
                >
                    <legend>"How urgent is it?"</legend>
                    {priority_radios}
                    <p class="field-error" id="concern-priority-error" role="alert">
                        {move || priority_error.get()}
                    </p>
                </fieldset>
                <div class="field">
                    <label for="concern-organisation">"Whose safeguarding lead should handle it"</label>
                    <select
                        id="concern-organisation"
                        name="organisation_id"
                        aria-describedby="concern-organisation-hint concern-organisation-note"
                        on:change=move |ev| {
                            organisation.set(event_target_value(&ev).parse::<OrganisationId>().ok());
                        }
                    >
                        <For
                            each=move || organisations.get().unwrap_or_default()
                            key=|o| o.id
                            children=move |o| {
                                let id = o.id;
                                view! {
                                    <option
                                        value=id.to_string()
                                        prop:selected=move || organisation.get() == Some(id)
                                    >
                                        {o.name}
                                    </option>
                                }
                            }
                        />
                        <option value="" prop:selected=move || organisation.with(Option::is_none)>
                            "No organisation: programme team only"
                        </option>
                    </select>
                    <p class="hint" id="concern-organisation-hint">
                        {organisation_hint}
                    </p>
                    <p class="hint" id="concern-organisation-note">
                        {move || orgs_error.get()}
                    </p>
                </div>
                <InputField
                    id="concern-at-risk"
                    label="Who is at risk"
                    value=at_risk
                    required=true
                    autocomplete="off"
                    hint="Describe them, for example “a participant at the Tuesday session”. No names needed."
                    error=field_error("at_risk")
                />
                <InputField
                    id="concern-what-happened"
                    label="What happened"
                    value=what_happened
                    required=true
                    multiline=true
                    hint="What you saw or heard, when and where, and anything already done about it."
                    error=field_error("what_happened")
                />
                <Show when=move || priority.get() == Some(ConcernPriority::Immediate)>
                    <div
                        id="concern-immediate-guidance"
                        class="form-error emergency-guidance"
                        role="alert"
                        aria-labelledby="concern-immediate-heading"
                    >
                        <h2 id="concern-immediate-heading">"Call 999 first"</h2>
                        <p>{EMERGENCY_GUIDANCE}</p>
                    </div>
                </Show>
                <div class="inline-actions">
                    <button
                        type="submit"
                        id="concern-submit"
                        class="button primary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {move || if busy.get() { "Raising…" } else { "Raise the concern" }}
                    </button>
                    <a href="/concerns" class="button secondary">
                        "Cancel"
                    </a>
                </div>
            </form>
        </main>
    }
}
