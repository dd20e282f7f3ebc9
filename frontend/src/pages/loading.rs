//! What shows while the app asks the server who is signed in.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn LoadingPage() -> impl IntoView {
    set_page_title("Loading");
    view! {
        <main id="main" class="page narrow" aria-busy="true">
            <h1>"Loading…"</h1>
        </main>
    }
}
