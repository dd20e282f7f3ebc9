//! Ranked mentor suggestions for one organisation, with the reasons.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn SuggestionsPage() -> impl IntoView {
    set_page_title("Find a mentor");
    view! {
        <main id="main" class="page">
            <h1>"Find a mentor"</h1>
        </main>
    }
}
