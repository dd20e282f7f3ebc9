//! One mentorship: its room, goals, session notes and lifecycle steps.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn MentorshipPage() -> impl IntoView {
    set_page_title("Mentorship");
    view! {
        <main id="main" class="page">
            <h1>"Mentorship"</h1>
        </main>
    }
}
