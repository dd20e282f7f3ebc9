//! A co-operative's home: members, rooms, actions, decisions, events, threads, requests and history.

use leptos::prelude::*;

use crate::app::set_page_title;

#[component]
pub fn CoopPage() -> impl IntoView {
    set_page_title("Co-operative");
    view! {
        <main id="main" class="page">
            <h1>"Co-operative"</h1>
        </main>
    }
}
