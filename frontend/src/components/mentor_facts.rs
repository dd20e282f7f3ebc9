//! How a mentor is described in the directory and on their profile: their
//! topics with depth, where and how they meet, and places free. "Lived
//! experience" shows only when the mentor chose to show it.

use leptos::prelude::*;
use shared::api::mentors::{Expertise, MentorView, SaveMentorProfile};

/// "2 places free", "1 place free", "No places free".
pub fn places_free_text(mentor: &MentorView) -> String {
    match mentor.profile.capacity.saturating_sub(mentor.load) {
        0 => "No places free".to_owned(),
        1 => "1 place free".to_owned(),
        n => format!("{n} places free"),
    }
}

/// "Remote and in person", "Remote only", "In person only".
pub fn meeting_text(profile: &SaveMentorProfile) -> &'static str {
    match (profile.remote, profile.in_person) {
        (true, true) => "Remote and in person",
        (true, false) => "Remote only",
        (false, true) => "In person only",
        (false, false) => "Not said",
    }
}

/// The expertise, deepest first.
#[component]
pub fn ExpertiseList(expertise: Vec<Expertise>) -> impl IntoView {
    let mut sorted = expertise;
    sorted.sort_by_key(|e| (e.depth, e.topic));
    if sorted.is_empty() {
        return view! { <p class="muted">"No topics listed."</p> }.into_any();
    }
    view! {
        <ul class="expertise-list">
            {sorted
                .into_iter()
                .map(|e| {
                    view! {
                        <li data-topic=e.topic.slug()>
                            <span class="expertise-topic">{e.topic.label()}</span>
                            " "
                            <span class="muted">"(" {e.depth.label()} ")"</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Locality, meeting, places and (if shown) lived experience, as a definition list.
#[component]
pub fn MentorFacts(mentor: MentorView) -> impl IntoView {
    let p = &mentor.profile;
    let localities = if p.localities.is_empty() {
        "Not given".to_owned()
    } else {
        p.localities.join(", ")
    };
    let meeting = meeting_text(p);
    let places = places_free_text(&mentor);
    let lived = p.lived_experience;
    view! {
        <dl class="facts compact">
            <div>
                <dt>"Localities"</dt>
                <dd class="mentor-localities">{localities}</dd>
            </div>
            <div>
                <dt>"Meets"</dt>
                <dd class="mentor-meeting">{meeting}</dd>
            </div>
            <div>
                <dt>"Places"</dt>
                <dd class="mentor-places">{places}</dd>
            </div>
        </dl>
        {lived
            .then(|| {
                view! {
                    <p class="card-marker">
                        <span class="label-tag lived-experience">"Lived experience"</span>
                    </p>
                }
            })}
    }
}
