//! The directory of organisations, filtered by topic, locality and activity type.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    set_page_title("Organisations");
    view! {
        <main id="main" class="page">
            <h1>"Organisations"</h1>
        </main>
    }
}
