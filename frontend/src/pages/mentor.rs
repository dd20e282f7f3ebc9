//! One mentor's profile.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn MentorPage() -> impl IntoView {
    set_page_title("Mentor");
    view! {
        <main id="main" class="page">
            <h1>"Mentor"</h1>
        </main>
    }
}
