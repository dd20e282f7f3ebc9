//! The directory of mentors, filtered by topic, locality and activity type.

use leptos::prelude::*;
use shared::api::mentors::{ListMentors, MentorView};
use shared::taxonomy::{ActivityType, Topic};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::mentor_facts::{ExpertiseList, MentorFacts};
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_filters::DirectoryFilters;

#[component]
pub fn MentorsPage() -> impl IntoView {
    set_page_title("Mentors");
    let session = use_session();
    let topic = RwSignal::new(None::<Topic>);
    let activity_type = RwSignal::new(None::<ActivityType>);
    let locality = RwSignal::new(String::new());

    let list = LocalResource::new(move || {
        let filter = ListMentors {
            topic: topic.get(),
            activity_type: activity_type.get(),
            locality: Some(locality.get()).filter(|l| !l.is_empty()),
            status: None,
        };
        async move { api::list_mentors(&filter).await }
    });
    // The last list that loaded: it stays on screen while a new filter loads.
    let mentors = Memo::new(move |_| match list.get() {
        Some(Ok(found)) => Some(found.mentors),
        _ => None,
    });
    let failure = Memo::new(move |_| match list.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });
    let filtered = move || {
        topic.with(Option::is_some)
            || activity_type.with(Option::is_some)
            || locality.with(|l| !l.is_empty())
    };

    let status_text = move || match mentors.get() {
        None if failure.with(Option::is_none) => "Loading mentors…".to_owned(),
        None => String::new(),
        Some(m) => match (m.len(), filtered()) {
            (0, true) => "No mentors match these filters.".to_owned(),
            (0, false) => "No mentors are in the directory yet.".to_owned(),
            (1, _) => "1 mentor.".to_owned(),
            (n, _) => format!("{n} mentors."),
        },
    };

    view! {
        <main id="main" class="page">
            <h1>"Mentors"</h1>
            <p>
                "Experienced practitioners who mentor organisations in the programme. "
                <a href="/mentor-profile" id="mentor-apply-link">
                    "Apply to mentor, or edit your mentor profile"
                </a>
            </p>
            <DirectoryFilters
                name="Filter mentors"
                topic_label="Knows about"
                activity_label="Familiar with"
                locality_label="Locality"
                topic=topic
                activity_type=activity_type
                locality=locality
            />
            <p id="directory-status" class="directory-status" role="status">
                {status_text}
            </p>
            {move || {
                failure
                    .get()
                    .map(|e| {
                        view! {
                            <RetryNotice
                                message=e.message
                                on_retry=Callback::new(move |()| list.refetch())
                            />
                        }
                    })
            }}
            <ul id="mentor-list" class="card-list">
                <For
                    each=move || mentors.get().unwrap_or_default()
                    key=|m| serde_json::to_string(m).unwrap_or_default()
                    children=|mentor| view! { <MentorCard mentor=mentor /> }
                />
            </ul>
        </main>
    }
}

#[component]
fn MentorCard(mentor: MentorView) -> impl IntoView {
    let id = mentor.user.id;
    let name = mentor.user.display_name.clone();
    let expertise = mentor.profile.expertise.clone();
    view! {
        <li class="mentor-card card" data-mentor-id=id>
            <h2 class="card-title">
                <a href=format!("/mentors/{id}")>{name}</a>
            </h2>
            <h3 class="card-subheading">"Knows about"</h3>
            <ExpertiseList expertise=expertise />
            <MentorFacts mentor=mentor />
        </li>
    }
}
