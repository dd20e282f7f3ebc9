//! The banner: app name, and once signed in the main navigation (with the
//! unread notification count), connection status, who is signed in and the
//! log-out button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use shared::ErrorKind;

use crate::api;
use crate::app::{APP_NAME, use_session};
use crate::components::connection_status::ConnectionIndicator;
use crate::components::two_factor_banner::TwoFactorBanner;
use crate::notifications::use_notifications;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = use_session();
    let auth = session.auth;
    let location = use_location();
    let logout_error = RwSignal::new(None::<String>);
    let logging_out = RwSignal::new(false);

    let on_rooms = move || {
        location
            .pathname
            .with(|p| p == "/" || p.starts_with("/rooms/"))
    };
    let on_people = move || location.pathname.with(|p| p == "/people");
    let on_settings = move || location.pathname.with(|p| p == "/settings");
    let on_notifications = move || location.pathname.with(|p| p == "/notifications");
    let on_programme = move || location.pathname.with(|p| p == "/programme");
    let on_organisations = move || {
        location.pathname.with(|p| {
            p == "/organisations" || p.starts_with("/organisations/") || p.starts_with("/join/")
        })
    };
    let on_mentors = move || {
        location
            .pathname
            .with(|p| p == "/mentors" || p.starts_with("/mentors/") || p == "/mentor-profile")
    };
    let on_threads = move || {
        location
            .pathname
            .with(|p| p == "/threads" || p.starts_with("/threads/"))
    };
    let on_coops = move || {
        location
            .pathname
            .with(|p| p == "/coops" || p.starts_with("/coops/"))
    };
    let on_network = move || location.pathname.with(|p| p == "/network");
    let on_admin = move || location.pathname.with(|p| p.starts_with("/admin"));
    let on_concerns = move || {
        location
            .pathname
            .with(|p| p == "/concerns" || p.starts_with("/concerns/"))
    };
    let on_moderation = move || location.pathname.with(|p| p == "/moderation");
    let open_reports = Memo::new(move |_| session.ws.open_reports().unwrap_or(0));
    let on_search = move || location.pathname.with(|p| p == "/search");
    let on_glossary = move || location.pathname.with(|p| p == "/glossary");
    let is_admin = move || auth.user().is_some_and(|u| u.is_admin);
    let notes = use_notifications();
    let unread = Memo::new(move |_| notes.unread_count());

    let log_out = move |_| {
        if logging_out.get_untracked() {
            return;
        }
        logging_out.set(true);
        logout_error.set(None);
        auth.set_leaving(true);
        spawn_local(async move {
            match api::logout().await {
                Ok(()) => auth.signed_out(),
                // Already logged out on the server: that is what was wanted.
                Err(e) if e.kind == ErrorKind::Unauthenticated => auth.signed_out(),
                // Pretending would leave a live session on a shared device.
                Err(e) => {
                    auth.set_leaving(false);
                    logout_error.set(Some(format!("Could not log out. {}", e.message)));
                }
            }
            logging_out.set(false);
        });
    };

    view! {
        <header class="site-header">
            <div class="header-inner">
                <a href="/" class="brand">
                    {APP_NAME}
                </a>
                <Show when=move || auth.user().is_some()>
                    <nav class="main-nav" aria-label="Main">
                        <ul>
                            <li>
                                <a href="/" aria-current=move || on_rooms().then_some("page")>
                                    "Rooms"
                                </a>
                            </li>
                            <li>
                                <a href="/people" aria-current=move || on_people().then_some("page")>
                                    "People"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/programme"
                                    aria-current=move || on_programme().then_some("page")
                                >
                                    "Programme"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/organisations"
                                    aria-current=move || on_organisations().then_some("page")
                                >
                                    "Organisations"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/mentors"
                                    aria-current=move || on_mentors().then_some("page")
                                >
                                    "Mentors"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/threads"
                                    id="nav-threads"
                                    aria-current=move || on_threads().then_some("page")
                                >
                                    "Threads"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/coops"
                                    id="nav-coops"
                                    aria-current=move || on_coops().then_some("page")
                                >
                                    "Co-ops"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/network"
                                    id="nav-network"
                                    aria-current=move || on_network().then_some("page")
                                >
                                    "Network"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/search"
                                    id="nav-search"
                                    aria-current=move || on_search().then_some("page")
                                >
                                    "Search"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/glossary"
                                    id="nav-glossary"
                                    aria-current=move || on_glossary().then_some("page")
                                >
                                    "Glossary"
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/concerns"
                                    id="nav-concerns"
                                    aria-current=move || on_concerns().then_some("page")
                                >
                                    "Concerns"
                                </a>
                            </li>
                            <Show when=is_admin>
                                <li>
                                    <a
                                        href="/admin"
                                        id="nav-admin"
                                        aria-current=move || on_admin().then_some("page")
                                    >
                                        "Admin"
                                    </a>
                                </li>
                                <li>
                                    // "Moderation, 2 open reports"; the badge shows the number.
                                    <a
                                        href="/moderation"
                                        id="nav-moderation"
                                        aria-current=move || on_moderation().then_some("page")
                                    >
                                        "Moderation"
                                        <Show when=move || { open_reports.get() > 0 }>
                                            <span
                                                id="moderation-count"
                                                class="nav-badge"
                                                data-count=move || open_reports.get()
                                            >
                                                <span class="visually-hidden">", "</span>
                                                {move || open_reports.get()}
                                                <span class="visually-hidden">
                                                    {move || {
                                                        if open_reports.get() == 1 {
                                                            " open report"
                                                        } else {
                                                            " open reports"
                                                        }
                                                    }}
                                                </span>
                                            </span>
                                        </Show>
                                    </a>
                                </li>
                            </Show>
                            <li>
                                // The link's name reads "Notifications, 2 unread";
                                // the badge shows just the number.
                                <a
                                    href="/notifications"
                                    id="nav-notifications"
                                    aria-current=move || on_notifications().then_some("page")
                                >
                                    "Notifications"
                                    <Show when=move || { unread.get() > 0 }>
                                        <span
                                            id="notification-count"
                                            class="nav-badge"
                                            data-count=move || unread.get()
                                        >
                                            <span class="visually-hidden">", "</span>
                                            {move || unread.get()}
                                            <span class="visually-hidden">" unread"</span>
                                        </span>
                                    </Show>
                                </a>
                            </li>
                            <li>
                                <a
                                    href="/settings"
                                    aria-current=move || on_settings().then_some("page")
                                >
                                    "Settings"
                                </a>
                            </li>
                        </ul>
                    </nav>
                    <div class="header-account">
                        <ConnectionIndicator />
                        <p class="current-user">
                            <span class="visually-hidden">"Signed in as "</span>
                            <span id="current-user">
                                {move || auth.user().map(|u| u.display_name).unwrap_or_default()}
                            </span>
                        </p>
                        <button type="button" id="logout" class="button secondary" on:click=log_out>
                            "Log out"
                        </button>
                    </div>
                    <p class="header-error" role="alert">
                        {move || logout_error.get()}
                    </p>
                </Show>
            </div>
            <TwoFactorBanner />
        </header>
    }
}
