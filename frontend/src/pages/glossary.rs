//! The glossary: the approved terms A–Z with a filter, a form to suggest a
//! term, the reader's own suggestions and, for the programme team, the
//! suggestions waiting for approval. What it reads also refreshes the terms
//! the conversations explain (`crate::glossary`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::api::glossary::{GlossaryResponse, GlossaryTerm, SuggestTerm};
use shared::limits::{
    GLOSSARY_ALIASES_MAX, GLOSSARY_DEFINITION_MAX_CHARS, GLOSSARY_TERM_MAX_CHARS,
};
use shared::taxonomy::ApprovalStatus;
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::admin_approval::{Applicant, ApprovalActions};
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::message_item::format_time;
use crate::components::org_text_field::InputField;
use crate::components::retry_notice::RetryNotice;
use crate::glossary::use_glossary;

/// API field name and DOM id (the one to focus), in the order they appear.
const FIELDS: [(&str, &str); 3] = [
    ("term", "suggest-term"),
    ("aliases", "suggest-aliases"),
    ("definition", "suggest-definition"),
];

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    Ready(GlossaryResponse),
    Failed(String),
}

#[component]
pub fn GlossaryPage() -> impl IntoView {
    set_page_title("Glossary");
    let session = use_session();
    let glossary = use_glossary();
    let phase = RwSignal::new(Phase::Loading);
    let status = RwSignal::new(None::<String>);
    let is_admin = Memo::new(move |_| session.auth.user().is_some_and(|u| u.is_admin));

    // After a suggestion or a decision the list reloads quietly: what is
    // shown stays until the answer comes.
    let load = move || {
        spawn_local(async move {
            let result = api::glossary().await;
            // The person may have left the page meanwhile.
            if phase.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(list) => {
                    glossary.set_terms(list.terms.clone());
                    phase.set(Phase::Ready(list));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    if !matches!(phase.get_untracked(), Phase::Ready(_)) {
                        phase.set(Phase::Failed(e.message));
                    }
                }
            }
        });
    };
    load();

    let ready = Memo::new(move |_| phase.with(|p| matches!(p, Phase::Ready(_))));
    let terms = Memo::new(move |_| {
        phase.with(|p| match p {
            Phase::Ready(list) => list.terms.clone(),
            _ => Vec::new(),
        })
    });
    let suggestions = Memo::new(move |_| {
        phase.with(|p| match p {
            Phase::Ready(list) => list.suggestions.clone(),
            _ => Vec::new(),
        })
    });

    // A link to `/glossary#term-7` lands on that term once the list is in.
    let hash = use_location().hash;
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !ready.get() {
            return done.unwrap_or(false);
        }
        let target = hash.get_untracked();
        if target.starts_with("#term-") {
            request_animation_frame(move || show_term(&target[1..]));
        }
        true
    });

    let decided = Callback::new(move |sentence: String| {
        status.set(Some(sentence));
        load();
        focus_later("pending-terms-heading");
    });
    let suggested = Callback::new(move |()| {
        status.set(None);
        load();
    });

    view! {
        <main id="main" class="page narrow glossary-page">
            <h1>"Glossary"</h1>
            <p>
                "Words and abbreviations from community and health work, in plain English. Wherever one of these terms appears in a conversation or a thread, it has a dotted underline: point at it, or move to it with the Tab key, to read what it means. Escape hides the explanation again."
            </p>
            <p id="glossary-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            {move || match phase.get() {
                Phase::Loading => {
                    view! { <p class="muted">"Loading the glossary…"</p> }.into_any()
                }
                Phase::Failed(message) => {
                    let retry = Callback::new(move |()| {
                        phase.set(Phase::Loading);
                        load();
                    });
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Phase::Ready(_) => ().into_any(),
            }}
            <Show when=move || ready.get() && is_admin.get()>
                <PendingTerms suggestions=suggestions on_decided=decided />
            </Show>
            <Show when=move || ready.get()>
                <TermList terms=terms />
            </Show>
            <SuggestForm is_admin=is_admin on_suggested=suggested />
            <Show when=move || {
                ready.get() && !is_admin.get() && suggestions.with(|s| !s.is_empty())
            }>
                <MySuggestions suggestions=suggestions />
            </Show>
        </main>
    }
}

/// Brings a linked term into view and puts focus on it.
fn show_term(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
        el.scroll_into_view();
    }
}

/// Whether a term answers the filter: its name, another way of writing it,
/// or its meaning contains the words, in any case.
fn matches_filter(term: &GlossaryTerm, filter: &str) -> bool {
    let filter = filter.trim().to_lowercase();
    filter.is_empty()
        || std::iter::once(&term.term)
            .chain(&term.aliases)
            .chain(std::iter::once(&term.definition))
            .any(|text| text.to_lowercase().contains(&filter))
}

fn terms_word(n: usize) -> &'static str {
    if n == 1 { "term" } else { "terms" }
}

#[component]
fn TermList(terms: Memo<Vec<GlossaryTerm>>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        filter.with(|f| {
            terms.with(|terms| {
                terms
                    .iter()
                    .filter(|t| matches_filter(t, f))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let count = move || {
        let all = terms.with(Vec::len);
        let found = shown.with(Vec::len);
        let words = filter.with(|f| f.trim().to_owned());
        if all == 0 {
            "There are no terms in the glossary yet. Suggest the first one below.".to_owned()
        } else if words.is_empty() {
            format!("{all} {}.", terms_word(all))
        } else if found == 0 {
            format!("No term matches “{words}”.")
        } else {
            format!("{found} of {all} {} match “{words}”.", terms_word(all))
        }
    };

    view! {
        <section class="glossary-section" aria-labelledby="terms-heading">
            <h2 id="terms-heading">"Terms"</h2>
            <div class="field glossary-filter" role="search" aria-label="Find a term">
                <label for="glossary-filter">"Find a term"</label>
                <input
                    id="glossary-filter"
                    name="filter"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="glossary-count"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </div>
            <p id="glossary-count" class="directory-status" role="status">
                {count}
            </p>
            <dl id="glossary-list" class="glossary-list">
                <For
                    each=move || shown.get()
                    key=|t| serde_json::to_string(t).unwrap_or_default()
                    children=|t| {
                        let aliases = (!t.aliases.is_empty())
                            .then(|| {
                                view! {
                                    " "
                                    <span class="glossary-aliases">
                                        "(" {t.aliases.join(", ")} ")"
                                    </span>
                                }
                            });
                        view! {
                            <div class="glossary-entry">
                                <dt id=format!("term-{}", t.id) tabindex="-1">
                                    <span class="glossary-term">{t.term}</span>
                                    {aliases}
                                </dt>
                                <dd>{t.definition}</dd>
                            </div>
                        }
                    }
                />
            </dl>
        </section>
    }
}

/// The programme team's queue: suggested terms to approve or decline.
#[component]
fn PendingTerms(
    suggestions: Memo<Vec<GlossaryTerm>>,
    on_decided: Callback<String>,
) -> impl IntoView {
    let pending = Memo::new(move |_| {
        suggestions.with(|s| {
            s.iter()
                .filter(|t| t.status == ApprovalStatus::Pending)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="glossary-section" aria-labelledby="pending-terms-heading">
            <h2 id="pending-terms-heading" tabindex="-1">
                "Waiting for approval"
            </h2>
            <Show
                when=move || pending.with(|p| !p.is_empty())
                fallback=|| {
                    view! {
                        <p class="empty-note" id="pending-terms-empty">
                            "No suggested term is waiting for approval."
                        </p>
                    }
                }
            >
                <ul class="approval-list" id="pending-terms">
                    <For
                        each=move || pending.get()
                        key=|t| t.id
                        children=move |t| view! { <PendingTerm term=t on_decided=on_decided /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn PendingTerm(term: GlossaryTerm, on_decided: Callback<String>) -> impl IntoView {
    let when = format_time(&term.created_at);
    let suggested = match &term.suggested_by {
        Some(who) => format!("Suggested by {}, {when}", who.display_name),
        None => format!("Suggested {when}"),
    };
    let aliases = (!term.aliases.is_empty()).then(|| {
        view! {
            <p class="approval-details muted">
                "Also written: " {term.aliases.join(", ")}
            </p>
        }
    });
    view! {
        <li class="approval-item" id=format!("pending-term-{}", term.id)>
            <p class="approval-name">{term.term.clone()}</p>
            {aliases}
            <p class="approval-details glossary-definition">{term.definition.clone()}</p>
            <p class="approval-details muted">{suggested}</p>
            <ApprovalActions applicant=Applicant::Term(term.id) name=term.term on_decided=on_decided />
        </li>
    }
}

/// A member's own suggestions that are not (yet) in the glossary.
#[component]
fn MySuggestions(suggestions: Memo<Vec<GlossaryTerm>>) -> impl IntoView {
    view! {
        <section class="glossary-section" aria-labelledby="my-suggestions-heading">
            <h2 id="my-suggestions-heading">"Your suggestions"</h2>
            <ul class="approval-list" id="my-suggestions">
                <For
                    each=move || suggestions.get()
                    key=|t| serde_json::to_string(t).unwrap_or_default()
                    children=|t| {
                        let tag = match t.status {
                            ApprovalStatus::Declined => "label-tag declined",
                            _ => "label-tag waiting",
                        };
                        view! {
                            <li
                                class="approval-item"
                                id=format!("suggestion-{}", t.id)
                                data-status=t.status.slug()
                            >
                                <p class="approval-name">{t.term}</p>
                                <p class="approval-details">
                                    <span class=tag>{t.status.label()}</span>
                                </p>
                                <p class="approval-details glossary-definition">{t.definition}</p>
                                {t
                                    .decision_reason
                                    .map(|r| {
                                        view! {
                                            <p class="approval-details">"Their reason: " {r}</p>
                                        }
                                    })}
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// "a, b , ,c" → ["a", "b", "c"].
fn split_aliases(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The refusals the server would make, said before sending.
fn check(body: &SuggestTerm) -> FormErrors {
    let mut errors = FormErrors::default();
    let term_chars = body.term.chars().count();
    if term_chars == 0 {
        errors.field("term", "Write the term, as people write it.");
    } else if term_chars > GLOSSARY_TERM_MAX_CHARS {
        errors.field(
            "term",
            format!("Keep the term to {GLOSSARY_TERM_MAX_CHARS} characters or fewer."),
        );
    }
    if body.aliases.len() > GLOSSARY_ALIASES_MAX {
        errors.field(
            "aliases",
            format!("List at most {GLOSSARY_ALIASES_MAX} other ways of writing it."),
        );
    } else if body
        .aliases
        .iter()
        .any(|a| a.chars().count() > GLOSSARY_TERM_MAX_CHARS)
    {
        errors.field(
            "aliases",
            format!("Keep each one to {GLOSSARY_TERM_MAX_CHARS} characters or fewer."),
        );
    }
    let definition_chars = body.definition.chars().count();
    if definition_chars == 0 {
        errors.field("definition", "Write what it means, in a sentence or two.");
    } else if definition_chars > GLOSSARY_DEFINITION_MAX_CHARS {
        errors.field(
            "definition",
            format!(
                "Keep the meaning to {GLOSSARY_DEFINITION_MAX_CHARS} characters or fewer: a sentence or two."
            ),
        );
    }
    errors
}

#[component]
fn SuggestForm(is_admin: Memo<bool>, on_suggested: Callback<()>) -> impl IntoView {
    let session = use_session();
    let term = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let definition = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = SuggestTerm {
            term: term.get_untracked().trim().to_owned(),
            aliases: split_aliases(&aliases.get_untracked()),
            definition: definition.get_untracked().trim().to_owned(),
        };
        done.set(None);
        let found = check(&body);
        if !found.is_empty() {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        spawn_local(async move {
            let result = api::suggest_term(&body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(saved) => {
                    let sentence = if saved.status == ApprovalStatus::Approved {
                        format!(
                            "“{}” is in the glossary now: terms the programme team suggests are approved at once.",
                            saved.term
                        )
                    } else {
                        format!("Thanks — the programme team will review “{}”.", saved.term)
                    };
                    let _ = done.try_set(Some(sentence));
                    let _ = term.try_set(String::new());
                    let _ = aliases.try_set(String::new());
                    let _ = definition.try_set(String::new());
                    on_suggested.run(());
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let found = FormErrors::from_api(e, &["term", "aliases", "definition"]);
                    focus_later(found.focus_target(&FIELDS));
                    let _ = errors.try_set(found);
                }
            }
        });
    };

    view! {
        <section class="glossary-section" aria-labelledby="suggest-heading">
            <h2 id="suggest-heading">"Suggest a term"</h2>
            <p class="muted">
                {move || {
                    if is_admin.get() {
                        "As a member of the programme team, the terms you add go into the glossary at once."
                    } else {
                        "Missing a word people use? Suggest it: the programme team reviews each suggestion before it appears here."
                    }
                }}
            </p>
            <form class="stack suggest-form" novalidate on:submit=submit>
                <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
                <InputField
                    id="suggest-term"
                    label="Term"
                    value=term
                    required=true
                    hint=format!(
                        "As people write it, for example ICB or link worker. Up to {GLOSSARY_TERM_MAX_CHARS} characters.",
                    )
                    error=field_error("term")
                />
                <InputField
                    id="suggest-aliases"
                    label="Other ways of writing it (optional)"
                    value=aliases
                    hint=format!(
                        "Separated by commas, for example Integrated Care Board. Up to {GLOSSARY_ALIASES_MAX}.",
                    )
                    error=field_error("aliases")
                />
                <InputField
                    id="suggest-definition"
                    label="What it means"
                    value=definition
                    required=true
                    multiline=true
                    hint=format!(
                        "In plain English, a sentence or two. Up to {GLOSSARY_DEFINITION_MAX_CHARS} characters.",
                    )
                    error=field_error("definition")
                />
                <div>
                    <button
                        type="submit"
                        id="suggest-submit"
                        class="button primary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {move || if busy.get() { "Sending…" } else { "Suggest this term" }}
                    </button>
                </div>
            </form>
            <p id="suggest-done" class="form-status" role="status">
                {move || done.get()}
            </p>
        </section>
    }
}
