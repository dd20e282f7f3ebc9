//! Pages for the programme team only: everyone else gets a polite pointer
//! to their own programme page (the server refuses them the data anyway),
//! and a team member who must first set up two-factor sign-in is pointed
//! to it (the server refuses them with `two_factor_setup_required`).

use leptos::prelude::*;

use crate::app::use_session;
use crate::components::two_factor_banner::TwoFactorNeeded;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Team,
    TeamWithoutTwoFactor,
    Others,
}

#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let auth = use_session().auth;
    let access = Memo::new(move |_| match auth.user() {
        Some(u) if u.is_admin && u.two_factor_required => Access::TeamWithoutTwoFactor,
        Some(u) if u.is_admin => Access::Team,
        _ => Access::Others,
    });
    view! {
        <Show
            when=move || access.get() == Access::Team
            fallback=move || {
                if access.get() == Access::TeamWithoutTwoFactor {
                    view! { <TwoFactorNeeded /> }.into_any()
                } else {
                    view! {
                        <p class="notice" id="admin-only">
                            "This page is for the programme team. "
                            <a href="/programme">"Go to your programme page"</a>
                        </p>
                    }
                        .into_any()
                }
            }
        >
            {children()}
        </Show>
    }
}
