//! The admin matching console: the whole-programme plan with its explanations.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn MatchingPage() -> impl IntoView {
    set_page_title("Matching");
    view! {
        <main id="main" class="page">
            <h1>"Matching"</h1>
        </main>
    }
}
