//! Pages for the programme team only: everyone else gets a polite pointer
//! to their own programme page (the server refuses them the data anyway).

use leptos::prelude::*;

use crate::app::use_session;

#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let auth = use_session().auth;
    let is_admin = move || auth.user().is_some_and(|u| u.is_admin);
    view! {
        <Show
            when=is_admin
            fallback=|| {
                view! {
                    <p class="notice" id="admin-only">
                        "This page is for the programme team. "
                        <a href="/programme">"Go to your programme page"</a>
                    </p>
                }
            }
        >
            {children()}
        </Show>
    }
}
