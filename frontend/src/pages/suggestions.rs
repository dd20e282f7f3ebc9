//! Ranked mentor suggestions for one organisation, with the reasons.
//!
//! The programme team proposes a mentor from here (the mentor is asked to
//! accept); a lead of the organisation asks for one (the programme team
//! approves the request first). Either way it is one `POST /api/mentorships`.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::api::mentorships::{CreateMentorship, MentorshipView};
use shared::api::organisations::{OrganisationRole, OrganisationView};
use shared::api::programme::{Suggestion, SuggestionsResponse};
use shared::{ApiError, ErrorKind, OrganisationId, UserId};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::factor_list::{CoveredTopics, FactorList, FactorScoreLine};
use crate::components::form_errors::focus_later;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum Ask {
    Sending,
    Failed(String),
}

/// What the viewer may do here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Power {
    Propose,
    Request,
    Look,
}

impl Power {
    fn from(role: OrganisationRole) -> Self {
        if role.is_admin {
            Self::Propose
        } else if role.is_lead {
            Self::Request
        } else {
            Self::Look
        }
    }
}

#[component]
pub fn SuggestionsPage() -> impl IntoView {
    set_page_title("Find a mentor");
    let session = use_session();
    let params = use_params_map();
    let org_id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<OrganisationId>().ok())
    });

    let organisation = LocalResource::new(move || {
        let id = org_id.get();
        async move {
            match id {
                Some(id) => api::organisation(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let suggestions = LocalResource::new(move || {
        let id = org_id.get();
        async move {
            match id {
                Some(id) => api::suggestions(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = organisation.get() {
            session.auth.check(&e);
        }
        if let Some(Err(e)) = suggestions.get() {
            session.auth.check(&e);
        }
    });

    // The mentorship made from this page; after it, the organisation has an
    // open mentorship and no second one can be asked for.
    let created = RwSignal::new(None::<MentorshipView>);
    let asks = RwSignal::new(HashMap::<UserId, Ask>::new());
    // Leaving for another organisation's page starts afresh.
    Effect::new(move |_| {
        org_id.track();
        created.set(None);
        asks.set(HashMap::new());
    });

    let org = move || organisation.get().and_then(Result::ok).flatten();
    let power = Memo::new(move |_| {
        org().map(|o| Power::from(o.viewer)).unwrap_or_else(|| {
            if session.auth.user().is_some_and(|u| u.is_admin) {
                Power::Propose
            } else {
                Power::Look
            }
        })
    });
    Effect::new(move |_| {
        if let Some(o) = org() {
            set_page_title(&format!("Find a mentor for {}", o.profile.name));
        }
    });

    view! {
        <main id="main" class="page programme-page">
            <h1>"Find a mentor"</h1>
            {move || org().map(|o| view! { <OrganisationIntro org=o /> })}
            <p class="hint" id="suggestions-help">
                {move || match power.get() {
                    Power::Propose => {
                        "Mentors are ranked by how well they fit this organisation’s needs. Proposing asks the mentor to accept."
                    }
                    Power::Request => {
                        "Mentors are ranked by how well they fit your needs. Asking for one sends the request to the programme team, who approve it before the mentor is asked."
                    }
                    Power::Look => {
                        "Mentors are ranked by how well they fit this organisation’s needs. A lead of the organisation can ask for one."
                    }
                }}
            </p>
            <div id="created-status" role="status">
                {move || created.get().map(|m| view! { <CreatedNotice mentorship=m /> })}
            </div>
            {move || match (org_id.get(), suggestions.get()) {
                (None, _) => {
                    view! { <p class="notice">"This address does not point to an organisation."</p> }
                        .into_any()
                }
                (_, None) => view! { <p class="muted">"Finding mentors…"</p> }.into_any(),
                (_, Some(Err(e))) => load_failed(e, suggestions),
                (_, Some(Ok(None))) => ().into_any(),
                (Some(id), Some(Ok(Some(list)))) => {
                    view! { <SuggestionList org_id=id list=list power=power created=created asks=asks /> }
                        .into_any()
                }
            }}
        </main>
    }
}

fn load_failed(
    e: ApiError,
    suggestions: LocalResource<Result<Option<SuggestionsResponse>, ApiError>>,
) -> AnyView {
    match e.kind {
        ErrorKind::Forbidden | ErrorKind::NotFound => view! {
            <p class="notice" id="suggestions-refused">
                "Only the programme team and this organisation’s staff can see its mentor suggestions. "
                <a href="/organisations">"See all organisations"</a>
            </p>
        }
        .into_any(),
        _ => {
            let retry = Callback::new(move |()| suggestions.refetch());
            view! { <RetryNotice message=e.message on_retry=retry /> }.into_any()
        }
    }
}

#[component]
fn OrganisationIntro(org: OrganisationView) -> impl IntoView {
    let needs = org
        .needs
        .iter()
        .map(|n| {
            format!(
                "{} ({} priority)",
                n.topic.label(),
                n.priority.label().to_lowercase()
            )
        })
        .collect::<Vec<_>>();
    view! {
        <p class="intro">
            "For " <a href=format!("/organisations/{}", org.id)>{org.profile.name.clone()}</a>
            {(!org.profile.locality.is_empty()).then(|| format!(" in {}", org.profile.locality))}
            "."
        </p>
        {if needs.is_empty() {
            view! {
                <p class="notice">
                    "This organisation has not listed its needs yet, so mentors cannot be ranked by topic."
                </p>
            }
                .into_any()
        } else {
            view! { <p class="muted">{format!("Needs help with: {}.", needs.join(", "))}</p> }.into_any()
        }}
    }
}

#[component]
fn CreatedNotice(mentorship: MentorshipView) -> impl IntoView {
    let sentence = match mentorship.status {
        shared::taxonomy::MentorshipStatus::Requested => format!(
            "You asked for {}. The programme team will look at the request.",
            mentorship.mentor.display_name
        ),
        _ => format!(
            "Proposed to {}. They are asked to accept.",
            mentorship.mentor.display_name
        ),
    };
    view! {
        <p class="success-note">
            {sentence} " "
            <a href=format!("/mentorships/{}", mentorship.id) id="created-mentorship">
                "Open the mentorship"
            </a>
        </p>
    }
}

#[component]
fn SuggestionList(
    org_id: OrganisationId,
    list: SuggestionsResponse,
    power: Memo<Power>,
    created: RwSignal<Option<MentorshipView>>,
    asks: RwSignal<HashMap<UserId, Ask>>,
) -> impl IntoView {
    let full = match list.full_mentors {
        0 => "Every approved mentor with a free place is considered.".to_owned(),
        1 => "1 mentor is full and not listed.".to_owned(),
        n => format!("{n} mentors are full and not listed."),
    };
    let count = list.suggestions.len();
    // One note goes with whichever mentor is proposed or asked for: why this
    // match, for the mentor (a proposal) or the programme team (a request).
    let note = RwSignal::new(String::new());
    let note_field = move || {
        (power.get() != Power::Look && count > 0 && created.with(Option::is_none)).then(|| {
            view! {
                <div class="field">
                    <label for="mentorship-note">
                        {move || {
                            if power.get() == Power::Propose {
                                "A note for the mentor (optional)"
                            } else {
                                "A note for the programme team (optional)"
                            }
                        }}
                    </label>
                    <textarea
                        id="mentorship-note"
                        rows="3"
                        maxlength="2000"
                        aria-describedby="mentorship-note-hint"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint" id="mentorship-note-hint">
                        "Why this match, in a sentence or two. It is sent with the proposal or request."
                    </p>
                </div>
            }
        })
    };
    view! {
        <section class="programme-section" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">
                {match count {
                    1 => "1 suggested mentor".to_owned(),
                    n => format!("{n} suggested mentors"),
                }}
            </h2>
            <p class="muted" id="full-mentors">{full}</p>
            {note_field}
            {if count == 0 {
                view! {
                    <p class="empty-note" id="suggestions-empty">
                        "No mentor with a free place fits yet. Try again when new mentors are approved."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="suggestions" id="suggestions">
                        {list
                            .suggestions
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                view! {
                                    <SuggestionItem
                                        org_id=org_id
                                        rank=i + 1
                                        suggestion=s
                                        power=power
                                        created=created
                                        asks=asks
                                        note=note
                                    />
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn SuggestionItem(
    org_id: OrganisationId,
    rank: usize,
    suggestion: Suggestion,
    power: Memo<Power>,
    created: RwSignal<Option<MentorshipView>>,
    asks: RwSignal<HashMap<UserId, Ask>>,
    note: RwSignal<String>,
) -> impl IntoView {
    let session = use_session();
    let mentor = suggestion.mentor.clone();
    let mentor_id = mentor.id;
    let name = mentor.display_name.clone();
    let ask = move || asks.with(|a| a.get(&mentor_id).cloned());
    let mine = move || created.with(|c| c.as_ref().is_some_and(|m| m.mentor.id == mentor_id));

    let send = move |_| {
        let sending = asks.with_untracked(|a| matches!(a.get(&mentor_id), Some(Ask::Sending)));
        if created.with_untracked(Option::is_some) || sending {
            return;
        }
        asks.update(|a| {
            a.insert(mentor_id, Ask::Sending);
        });
        spawn_local(async move {
            let body = CreateMentorship {
                organisation_id: org_id,
                mentor_id,
                note: Some(note.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            };
            let result = api::create_mentorship(&body).await;
            match result {
                Ok(m) => {
                    let _ = asks.try_update(|a| {
                        a.remove(&mentor_id);
                    });
                    let _ = created.try_set(Some(m));
                    // The button is gone; the way on is the link at the top.
                    focus_later("created-mentorship");
                }
                Err(e) => {
                    if session.auth.check(&e) {
                        return;
                    }
                    let _ = asks.try_update(|a| {
                        a.insert(mentor_id, Ask::Failed(e.message));
                    });
                }
            }
        });
    };

    let heading_id = format!("suggestion-{mentor_id}-name");
    let error_id = format!("propose-{mentor_id}-error");
    let hidden_name = name.clone();
    view! {
        <li class="suggestion" id=format!("suggestion-{mentor_id}")>
            <h3 id=heading_id>
                <span class="rank">{format!("{rank}. ")}</span>
                <a href=format!("/mentors/{mentor_id}")>{name}</a>
            </h3>
            <FactorScoreLine score=suggestion.score />
            <CoveredTopics topics=suggestion.covered_topics />
            <FactorList factors=suggestion.factors />
            {move || {
                let shown = power.get() != Power::Look && (created.with(Option::is_none) || mine());
                let (hidden_name, error_id) = (hidden_name.clone(), error_id.clone());
                shown.then(move || {
                    let button = move || {
                        if mine() {
                            let done = if power.get() == Power::Propose { "Proposed" } else { "Asked" };
                            return view! { <p class="success-note">{done}</p> }.into_any();
                        }
                        let error_id = error_id.clone();
                        view! {
                            <button
                                type="button"
                                id=format!("propose-{mentor_id}")
                                class="button primary small propose"
                                aria-busy=move || matches!(ask(), Some(Ask::Sending)).then_some("true")
                                aria-describedby=move || {
                                    matches!(ask(), Some(Ask::Failed(_))).then(|| error_id.clone())
                                }
                                on:click=send
                            >
                                {move || {
                                    if power.get() == Power::Propose {
                                        "Propose"
                                    } else {
                                        "Ask for this mentor"
                                    }
                                }}
                                <span class="visually-hidden">" " {hidden_name.clone()}</span>
                            </button>
                        }
                            .into_any()
                    };
                    view! {
                        <div class="suggestion-action">
                            {button}
                            <p class="field-error" id=format!("propose-{mentor_id}-error") role="alert">
                                {move || match ask() {
                                    Some(Ask::Failed(m)) => Some(m),
                                    _ => None,
                                }}
                            </p>
                        </div>
                    }
                })
            }}
        </li>
    }
}
