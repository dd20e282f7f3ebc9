//! The caller's place in the mentoring programme: their organisations, mentor status and mentorships.

use leptos::prelude::*;
use shared::api::mentorships::MentorshipView;
use shared::api::programme::{MyOrganisation, MyProgramme};
use shared::taxonomy::ApprovalStatus;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::retry_notice::RetryNotice;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    set_page_title("Programme");
    let session = use_session();
    let mine = LocalResource::new(api::my_programme);
    Effect::new(move |_| {
        if let Some(Err(e)) = mine.get() {
            session.auth.check(&e);
        }
    });

    view! {
        <main id="main" class="page">
            <h1>"Programme"</h1>
            <p class="muted">
                "The mentoring programme matches community organisations with experienced mentors. Here is your part in it."
            </p>
            {move || match mine.get() {
                None => {
                    view! { <p class="muted" role="status">"Loading your programme…"</p> }.into_any()
                }
                Some(Err(e)) => {
                    view! {
                        <RetryNotice message=e.message on_retry=Callback::new(move |()| mine.refetch()) />
                    }
                        .into_any()
                }
                Some(Ok(p)) => view! { <ProgrammeSummary programme=p /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ProgrammeSummary(programme: MyProgramme) -> impl IntoView {
    let MyProgramme {
        is_admin,
        mentor_status,
        organisations,
        mentorships,
    } = programme;
    view! {
        {is_admin
            .then(|| {
                view! {
                    <p class="notice" id="programme-admin">
                        "You are on the programme team. "
                        <a href="/admin">"Approvals, matching and programme health"</a>
                    </p>
                }
            })}
        <section class="programme-section" aria-labelledby="my-organisations-heading">
            <h2 id="my-organisations-heading">"Your organisations"</h2>
            {if organisations.is_empty() {
                view! {
                    <p class="empty-note" id="my-organisations-empty">
                        "You are not on the staff of any organisation yet. Add yours, or ask its lead for an invitation link."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul id="my-organisations" class="summary-list">
                        {organisations
                            .into_iter()
                            .map(|o| view! { <MyOrganisationItem org=o /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                <a href="/organisations/new" id="programme-add-organisation" class="button secondary">
                    "Add your organisation"
                </a>
            </p>
        </section>
        <section class="programme-section" aria-labelledby="mentoring-heading">
            <h2 id="mentoring-heading">"Mentoring"</h2>
            {match mentor_status {
                None => {
                    view! {
                        <p id="programme-mentor-status">
                            "Have you experience to share with small organisations? Mentors give a few hours a month."
                        </p>
                        <p>
                            <a href="/mentor-profile" id="programme-apply" class="button secondary">
                                "Apply to mentor"
                            </a>
                        </p>
                    }
                        .into_any()
                }
                Some(status) => {
                    view! {
                        <p id="programme-mentor-status">
                            "Your mentor profile: "
                            <strong>{status.label()}</strong>
                            "."
                        </p>
                        <p>
                            <a href="/mentor-profile" id="programme-mentor-profile">
                                "Your mentor profile"
                            </a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
        <section class="programme-section" aria-labelledby="mentorships-heading">
            <h2 id="mentorships-heading">"Mentorships"</h2>
            {if mentorships.is_empty() {
                view! {
                    <p class="empty-note" id="my-mentorships-empty">
                        "No mentorships yet. When an organisation you work for is matched with a mentor, or you mentor one, it shows here."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul id="my-mentorships" class="summary-list">
                        {mentorships
                            .into_iter()
                            .map(|m| view! { <MentorshipItem mentorship=m /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn MyOrganisationItem(org: MyOrganisation) -> impl IntoView {
    let waiting = org.status != ApprovalStatus::Approved;
    view! {
        <li class="summary-item" data-organisation-id=org.id>
            <a href=format!("/organisations/{}", org.id) class="summary-title">
                {org.name}
            </a>
            <span class="summary-meta">
                <span class="label-tag" class:waiting=waiting>{org.status.label()}</span>
                {org.is_lead.then(|| view! { " " <span class="label-tag">"Lead"</span> })}
            </span>
        </li>
    }
}

#[component]
fn MentorshipItem(mentorship: MentorshipView) -> impl IntoView {
    let me = use_session().auth.user().map(|u| u.id);
    // Name the other side: a mentor reads the organisation, staff read the mentor.
    let title = if me == Some(mentorship.mentor.id) {
        format!("Mentoring {}", mentorship.organisation.name)
    } else {
        format!(
            "{} with {}",
            mentorship.organisation.name, mentorship.mentor.display_name
        )
    };
    view! {
        <li class="summary-item" data-mentorship-id=mentorship.id>
            <a href=format!("/mentorships/{}", mentorship.id) class="summary-title">
                {title}
            </a>
            <span class="summary-meta">
                <span class="label-tag" data-status=mentorship.status.slug()>
                    {mentorship.status.label()}
                </span>
            </span>
        </li>
    }
}
