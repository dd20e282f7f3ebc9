//! The co-operative directory (and, for the programme team, creating one).

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn CoopsPage() -> impl IntoView {
    set_page_title("Co-operatives");
    view! {
        <main id="main" class="page">
            <h1>"Co-operatives"</h1>
        </main>
    }
}
