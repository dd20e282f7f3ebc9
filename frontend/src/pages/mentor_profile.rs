//! Applying to mentor, and editing one's own mentor profile.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn MentorProfilePage() -> impl IntoView {
    set_page_title("Your mentor profile");
    view! {
        <main id="main" class="page">
            <h1>"Your mentor profile"</h1>
        </main>
    }
}
