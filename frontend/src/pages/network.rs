//! The network picture: organisations, mentors and co-ops as a graph, and as a list.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn NetworkPage() -> impl IntoView {
    set_page_title("Network");
    view! {
        <main id="main" class="page">
            <h1>"Network"</h1>
        </main>
    }
}
