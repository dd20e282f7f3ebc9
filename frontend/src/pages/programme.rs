//! The caller's place in the mentoring programme: their organisations, mentor status and mentorships.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    set_page_title("Programme");
    view! {
        <main id="main" class="page">
            <h1>"Programme"</h1>
        </main>
    }
}
