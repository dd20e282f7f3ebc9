//! The polite live region that tells screen-reader users about new messages
//! from other people, wherever they are in the app.

use leptos::prelude::*;

use crate::chat::use_chat;

#[component]
pub fn Announcer() -> impl IntoView {
    let chat = use_chat();
    // Each announcement is a new node: re-setting the same text in one node
    // ("New message from Asha" twice) would not be read again.
    view! {
        <div
            id="announcer"
            class="visually-hidden"
            aria-live="polite"
            aria-relevant="additions"
            aria-atomic="false"
        >
            <For
                each=move || chat.announcements()
                key=|a| a.id
                children=|a| view! { <p>{a.text}</p> }
            />
        </div>
    }
}
