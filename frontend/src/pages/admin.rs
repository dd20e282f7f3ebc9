//! The programme team's dashboard: approvals, counts, capacity chart and stalled mentorships.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn AdminPage() -> impl IntoView {
    set_page_title("Programme dashboard");
    view! {
        <main id="main" class="page">
            <h1>"Programme dashboard"</h1>
        </main>
    }
}
