//! The page for an address the app does not know.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_title("Page not found");
    view! {
        <main id="main" class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to your rooms"</a></p>
        </main>
    }
}
