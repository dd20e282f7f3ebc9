//! The directory of mentors, filtered by topic, locality and activity type.

use leptos::prelude::*;
use shared::api::mentors::{ListMentors, MentorView};

use crate::api;
use crate::app::set_page_title;
use crate::components::directory::{Filters, Listing, count_sentence, listing};
use crate::components::mentor_facts::{ExpertiseList, MentorFacts};
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_filters::DirectoryFilters;

#[component]
pub fn MentorsPage() -> impl IntoView {
    set_page_title("Mentors");
    let filters = Filters::new();
    let Filters {
        topic,
        activity_type,
        locality,
    } = filters;
    let Listing {
        resource: list,
        items: mentors,
        failure,
    } = listing(move || {
        let filter = ListMentors {
            topic: topic.get(),
            activity_type: activity_type.get(),
            locality: filters.locality(),
            status: None,
        };
        async move { api::list_mentors(&filter).await.map(|r| r.mentors) }
    });
    let status_text = move || {
        count_sentence(
            mentors.with(|c| c.as_ref().map(Vec::len)),
            failure.with(Option::is_some),
            filters.is_active(),
            ("mentor", "mentors"),
        )
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
