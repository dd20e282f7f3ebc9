//! Creating an organisation (it waits for the programme team's approval).

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    set_page_title("Add your organisation");
    view! {
        <main id="main" class="page">
            <h1>"Add your organisation"</h1>
        </main>
    }
}
