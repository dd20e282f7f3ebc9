//! One mentorship: its room, goals, session notes and lifecycle steps.
//!
//! The mentor and the organisation's staff see everything; the programme
//! team sees the status, the steps and their history only, so for them the
//! page never asks for the room, goals or notes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::MentorshipId;
use shared::api::mentorships::MentorshipView;
use shared::taxonomy::{LifecycleAction, MentorshipStatus};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::focus_later;
use crate::components::mentorship_conversation::MentorshipConversation;
use crate::components::mentorship_goals::MentorshipGoals;
use crate::components::mentorship_history::MentorshipHistory;
use crate::components::mentorship_lifecycle::LifecycleActions;
use crate::components::mentorship_notes::MentorshipNotes;
use crate::components::mentorship_reflection::MentorshipReflection;
use crate::components::message_item::format_time;
use crate::page_load::{LoadedPage, load_by_id};

#[component]
pub fn MentorshipPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<MentorshipId>().ok())
    });

    let (load, retry) = load_by_id(id, api::mentorship);

    view! {
        <main id="main" class="page programme-page mentorship-page">
            <LoadedPage
                load=load
                retry=retry
                title="Mentorship"
                loading="Loading the mentorship…"
                missing_title="Mentorship not found"
                missing_text="This mentorship does not exist, or you are not part of it. "
                back_href="/programme"
                back_text="Go to your programme page"
                ready=|subject| view! { <MentorshipBody initial=subject /> }.into_any()
            />
        </main>
    }
}

/// One sentence on where things stand, from the viewer's side.
fn status_sentence(m: &MentorshipView, viewer_is_mentor: bool) -> String {
    let mentor = &m.mentor.display_name;
    let org = &m.organisation.name;
    match m.status {
        MentorshipStatus::Requested => {
            "The organisation asked for this mentor; the programme team will approve or withdraw the request.".to_owned()
        }
        MentorshipStatus::Proposed if viewer_is_mentor => format!(
            "You have been proposed as the mentor of {org}. Accept to open a private conversation with its staff, or decline and say why."
        ),
        MentorshipStatus::Proposed => format!("Waiting for {mentor} to accept."),
        MentorshipStatus::Active => "The mentorship is under way.".to_owned(),
        MentorshipStatus::Paused => "The mentorship is paused; it can be resumed.".to_owned(),
        MentorshipStatus::Completed => {
            "The mentorship is completed. Each side can write a closing reflection.".to_owned()
        }
        MentorshipStatus::Declined => format!("{mentor} declined this match."),
        MentorshipStatus::Withdrawn => "This mentorship was withdrawn.".to_owned(),
    }
}

/// What was done, for the status region, after a step.
fn done_sentence(action: LifecycleAction, m: &MentorshipView) -> String {
    match action {
        LifecycleAction::Approve => {
            format!("Approved. {} is asked to accept.", m.mentor.display_name)
        }
        LifecycleAction::Accept if m.room_id.is_some() => {
            "Accepted. The private conversation is open below.".to_owned()
        }
        LifecycleAction::Accept => "Accepted.".to_owned(),
        LifecycleAction::Decline => "Declined.".to_owned(),
        LifecycleAction::Pause => "Paused.".to_owned(),
        LifecycleAction::Resume => "Resumed.".to_owned(),
        LifecycleAction::Complete => "Marked completed.".to_owned(),
        LifecycleAction::Withdraw => "Withdrawn.".to_owned(),
    }
}

#[component]
fn MentorshipBody(initial: MentorshipView) -> impl IntoView {
    let session = use_session();
    let mentorship_id = initial.id;
    let me = untrack(|| session.auth.user());
    let viewer_is_mentor = me.as_ref().map(|u| u.id) == Some(initial.mentor.id);
    let is_admin = me.is_some_and(|u| u.is_admin);
    let title = format!(
        "{} and {}",
        initial.organisation.name, initial.mentor.display_name
    );
    set_page_title(&title);
    let org_id = initial.organisation.id;

    let mv = RwSignal::new(initial);
    let status = Memo::new(move |_| mv.with(|m| m.status));
    let actions = Memo::new(move |_| mv.with(|m| m.actions.clone()));
    let history = Memo::new(move |_| mv.with(|m| m.history.clone()));
    let member = Memo::new(move |_| mv.with(|m| m.viewer_is_member));
    let room = Memo::new(move |_| mv.with(|m| m.room_id));
    // Goals and notes belong to a mentorship that got going: once accepted
    // (it has a room), including after it ended.
    let started = Memo::new(move |_| {
        mv.with(|m| {
            m.room_id.is_some()
                || matches!(
                    m.status,
                    MentorshipStatus::Active
                        | MentorshipStatus::Paused
                        | MentorshipStatus::Completed
                )
        })
    });
    let step_status = RwSignal::new(None::<String>);

    let on_changed = Callback::new(move |(action, view): (LifecycleAction, MentorshipView)| {
        step_status.set(Some(done_sentence(action, &view)));
        mv.set(view);
        // The button pressed may be gone: land on where things stand now.
        focus_later("mentorship-status");
    });
    let on_reflection = Callback::new(move |view: MentorshipView| mv.set(view));
    // The other side took a step or wrote something: show it without a reload.
    Effect::new(move |seen: Option<()>| {
        let hit = session.ws.mentorship_changed(mentorship_id);
        if seen.is_some() && hit {
            spawn_local(async move {
                if let Ok(view) = api::mentorship(mentorship_id).await {
                    let _ = mv.try_set(view);
                }
            });
        }
    });

    view! {
        <h1 id="mentorship-title">{title}</h1>
        <p class="mentorship-links">
            <a href=format!("/organisations/{org_id}")>"The organisation’s profile"</a>
            {is_admin
                .then(|| {
                    view! {
                        " · "
                        <a href="/admin">"Programme dashboard"</a>
                    }
                })}
        </p>
        <div class="mentorship-status-box">
            <p id="mentorship-status" tabindex="-1">
                "Status: "
                <strong id="mentorship-status-label" data-status=move || status.get().slug()>
                    {move || status.get().label()}
                </strong>
            </p>
            <p class="status-sentence">{move || mv.with(|m| status_sentence(m, viewer_is_mentor))}</p>
            <p class="muted status-meta">
                {move || {
                    mv.with(|m| {
                        format!(
                            "Started {} · last activity {}",
                            format_time(&m.created_at),
                            format_time(&m.last_activity_at),
                        )
                    })
                }}
            </p>
        </div>
        <p class="settings-status" id="lifecycle-status" role="status">
            {move || step_status.get()}
        </p>
        <LifecycleActions mentorship_id=mentorship_id actions=actions on_changed=on_changed />

        {move || {
            if !member.get() {
                return view! {
                    <p class="notice" id="members-only">
                        "Only the mentor and the organisation’s staff see the conversation, goals and notes."
                    </p>
                }
                    .into_any();
            }
            if !started.get() {
                let open = matches!(
                    status.get(),
                    MentorshipStatus::Requested | MentorshipStatus::Proposed
                );
                return open
                    .then(|| {
                        view! {
                            <p class="notice" id="not-started">
                                "The private conversation, goals and session notes open once the mentor accepts."
                            </p>
                        }
                    })
                    .into_any();
            }
            view! {
                {move || match room.get() {
                    Some(room_id) => view! { <MentorshipConversation room_id=room_id /> }.into_any(),
                    None => ().into_any(),
                }}
                <MentorshipGoals mentorship_id=mentorship_id />
                <MentorshipNotes mentorship_id=mentorship_id />
                <Show when=move || status.get() == MentorshipStatus::Completed>
                    <MentorshipReflection
                        mentorship=mv
                        viewer_is_mentor=viewer_is_mentor
                        on_saved=on_reflection
                    />
                </Show>
            }
                .into_any()
        }}

        <MentorshipHistory history=history />
    }
}
