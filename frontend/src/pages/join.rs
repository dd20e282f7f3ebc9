//! Accepting a staff invitation link.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn JoinPage() -> impl IntoView {
    set_page_title("Join an organisation");
    view! {
        <main id="main" class="page">
            <h1>"Join an organisation"</h1>
        </main>
    }
}
