//! The directory of mentors, filtered by topic, locality and activity type.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn MentorsPage() -> impl IntoView {
    set_page_title("Mentors");
    view! {
        <main id="main" class="page">
            <h1>"Mentors"</h1>
        </main>
    }
}
