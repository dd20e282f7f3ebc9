//! One mentor's profile.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::taxonomy::ApprovalStatus;
use shared::{ErrorKind, UserId};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::mentor_facts::{ExpertiseList, MentorFacts};
use crate::components::retry_notice::RetryNotice;

#[component]
pub fn MentorPage() -> impl IntoView {
    set_page_title("Mentor");
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<UserId>().ok())
    });
    let mentor = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => Some(api::mentor(id).await),
                None => None,
            }
        }
    });
    Effect::new(move |_| match mentor.get() {
        Some(Some(Ok(m))) => set_page_title(&m.user.display_name),
        Some(Some(Err(e))) if !session.auth.check(&e) && e.kind == ErrorKind::NotFound => {
            set_page_title("Mentor not found")
        }
        Some(None) => set_page_title("Mentor not found"),
        _ => {}
    });
    let me = move || session.auth.user().map(|u| u.id);

    view! {
        <main id="main" class="page narrow">
            {move || match mentor.get() {
                None => {
                    view! {
                        <h1>"Mentor"</h1>
                        <p class="muted" role="status">
                            "Loading the mentor's profile…"
                        </p>
                    }
                        .into_any()
                }
                Some(None) | Some(Some(Err(shared::ApiError { kind: ErrorKind::NotFound, .. }))) => {
                    view! {
                        <h1>"Mentor not found"</h1>
                        <p>"There is no mentor at this address that you can see."</p>
                        <p>
                            <a href="/mentors">"Back to mentors"</a>
                        </p>
                    }
                        .into_any()
                }
                Some(Some(Err(e))) => {
                    view! {
                        <h1>"Mentor"</h1>
                        <RetryNotice
                            message=e.message
                            on_retry=Callback::new(move |()| mentor.refetch())
                        />
                    }
                        .into_any()
                }
                Some(Some(Ok(m))) => {
                    let is_me = me() == Some(m.user.id);
                    let status = m.status;
                    let reason = m.decision_reason.clone();
                    let bio = m.profile.bio.clone();
                    let expertise = m.profile.expertise.clone();
                    let activities = m
                        .profile
                        .activity_types
                        .iter()
                        .map(|a| a.label())
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <h1 id="mentor-heading">{m.user.display_name.clone()}</h1>
                        {(status != ApprovalStatus::Approved)
                            .then(|| {
                                view! {
                                    <div id="mentor-status" class="status-banner" class:declined=status == ApprovalStatus::Declined>
                                        <p class="status-banner-title">{status.label()}</p>
                                        {reason.map(|r| view! { <p>"Reason: " {r}</p> })}
                                    </div>
                                }
                            })}
                        {is_me
                            .then(|| {
                                view! {
                                    <p>
                                        "This is your profile as others see it. "
                                        <a href="/mentor-profile">"Edit your mentor profile"</a>
                                    </p>
                                }
                            })}
                        {(!bio.is_empty()).then(|| view! { <p class="mentor-bio">{bio}</p> })}
                        <h2>"Knows about"</h2>
                        <ExpertiseList expertise=expertise />
                        <h2>"Working with organisations"</h2>
                        <MentorFacts mentor=m.clone() />
                        <dl class="facts compact">
                            <div>
                                <dt>"Familiar with"</dt>
                                <dd>
                                    {if activities.is_empty() {
                                        "No activity types given".to_owned()
                                    } else {
                                        activities
                                    }}
                                </dd>
                            </div>
                        </dl>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
