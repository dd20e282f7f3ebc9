//! One organisation: its profile, and for its leads the editors (profile, needs, staff, invitations).

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    set_page_title("Organisation");
    view! {
        <main id="main" class="page">
            <h1>"Organisation"</h1>
        </main>
    }
}
