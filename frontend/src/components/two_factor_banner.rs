//! A member of the programme team who must set up two-factor sign-in
//! before the team's pages work (`two_factor_required`): a banner under
//! the header on every page until they do, and the same pointer where a
//! team page would be.

use leptos::prelude::*;

use crate::app::use_session;

/// Where the set-up is.
pub const SETUP_HREF: &str = "/settings#two-factor";
pub const SETUP_TEXT: &str = "Set up two-factor sign-in to use the programme team's pages";

#[component]
pub fn TwoFactorBanner() -> impl IntoView {
    let auth = use_session().auth;
    let needed = Memo::new(move |_| auth.user().is_some_and(|me| me.two_factor_required));
    view! {
        <Show when=move || needed.get()>
            <div id="two-factor-banner" class="two-factor-banner" role="status">
                <p>
                    <a href=SETUP_HREF id="two-factor-banner-link">
                        {SETUP_TEXT}
                    </a>
                </p>
            </div>
        </Show>
    }
}

/// In place of a team page (or its data) refused for want of two-factor
/// sign-in.
#[component]
pub fn TwoFactorNeeded() -> impl IntoView {
    view! {
        <div class="notice" id="two-factor-needed">
            <p>
                "The programme team must use two-factor sign-in, so this page waits until yours is on. "
                <a href=SETUP_HREF>{SETUP_TEXT}</a>
            </p>
        </div>
    }
}
