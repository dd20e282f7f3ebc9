//! The app shell: contexts (auth, chat state, websocket), the router and its
//! routes, the redirect between signed-in and public pages, and page titles.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{NavigateOptions, path};
use shared::api::auth::MeResponse;

use crate::api;
use crate::auth::{Auth, AuthState};
use crate::chat::ChatState;
use crate::components::announcer::Announcer;
use crate::components::site_header::SiteHeader;
use crate::glossary::Glossary;
use crate::notifications::Notifications;
use crate::pages::admin::AdminPage;
use crate::pages::audit::AuditPage;
use crate::pages::concern::ConcernPage;
use crate::pages::concern_new::NewConcernPage;
use crate::pages::concerns::ConcernsPage;
use crate::pages::coop::CoopPage;
use crate::pages::coops::CoopsPage;
use crate::pages::glossary::GlossaryPage;
use crate::pages::join::JoinPage;
use crate::pages::loading::LoadingPage;
use crate::pages::login::LoginPage;
use crate::pages::matching::MatchingPage;
use crate::pages::mentor::MentorPage;
use crate::pages::mentor_profile::MentorProfilePage;
use crate::pages::mentors::MentorsPage;
use crate::pages::mentorship::MentorshipPage;
use crate::pages::moderation::ModerationPage;
use crate::pages::network::NetworkPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::organisation::OrganisationPage;
use crate::pages::organisation_new::NewOrganisationPage;
use crate::pages::organisations::OrganisationsPage;
use crate::pages::people::PeoplePage;
use crate::pages::programme::ProgrammePage;
use crate::pages::register::RegisterPage;
use crate::pages::rooms::RoomsPage;
use crate::pages::search::SearchPage;
use crate::pages::settings::SettingsPage;
use crate::pages::suggestions::SuggestionsPage;
use crate::pages::thread::ThreadPage;
use crate::pages::thread_new::NewThreadPage;
use crate::pages::threads::ThreadsPage;
use crate::ws::WsClient;

pub const APP_NAME: &str = "Community Mentoring";

/// Every page names itself first, so a tab or a screen reader says where you are.
pub fn set_page_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} · {APP_NAME}"));
    }
}

/// The three services a signed-in session consists of, started together.
#[derive(Clone, Copy)]
pub struct Session {
    pub auth: Auth,
    pub chat: ChatState,
    pub ws: WsClient,
}

impl Session {
    /// State and socket come first, so no page ever renders signed in
    /// without them.
    pub fn begin(&self, me: MeResponse) {
        self.chat.sign_in(me.clone());
        self.ws.start();
        self.auth.signed_in(me);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::provide();
    let chat = ChatState::provide();
    let notes = Notifications::provide();
    let glossary = Glossary::provide(auth);
    let ws = WsClient::provide(auth, chat, notes);
    let session = Session { auth, chat, ws };
    provide_context(session);

    spawn_local(async move {
        match api::me().await {
            Ok(me) => session.begin(me),
            Err(_) => auth.signed_out(),
        }
    });

    // However the session ends (logout, expiry seen by any request), the
    // socket closes and nothing of this person stays in memory.
    Effect::new(move |_| {
        if auth.state() == AuthState::SignedOut {
            ws.stop();
            chat.reset();
            notes.reset();
            glossary.reset();
        }
    });
    // Every conversation explains the glossary's terms: read them once per sign-in.
    Effect::new(move |_| {
        if auth.user().is_some() {
            glossary.load_once();
        }
    });

    view! {
        <Router>
            <SiteHeader />
            // Outside the header, which phones hide while a room is open: the
            // news must still be read out there.
            <Show when=move || auth.user().is_some()>
                <Announcer />
            </Show>
            <AppRoutes />
        </Router>
    }
}

fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/register")
}

/// Where to go after signing in: the page that sent the person to log in
/// (`?next=`), if it is one of ours, else the rooms. An invitation link
/// opened while signed out survives logging in or signing up this way.
pub fn return_path() -> String {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("next="))
        .and_then(|v| js_sys::decode_uri_component(v).ok())
        .map(String::from)
        // Only paths on this site: "//evil.example" is another site.
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !is_public(p))
        .unwrap_or_else(|| "/".to_owned())
}

/// `?next=…` to carry the current return path on to another public page.
pub fn next_query() -> String {
    match return_path().as_str() {
        "/" => String::new(),
        path => format!("?next={}", js_sys::encode_uri_component(path)),
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    let auth = crate::auth::use_auth();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let path = location.pathname.get();
        let replace = NavigateOptions {
            replace: true,
            ..Default::default()
        };
        match auth.state() {
            AuthState::SignedOut if !is_public(&path) => {
                // Not after logging out or deleting the account here: the
                // next person on this device starts afresh.
                let next = if path == "/" || auth.is_leaving() {
                    String::new()
                } else {
                    format!("?next={}", js_sys::encode_uri_component(&path))
                };
                navigate(&format!("/login{next}"), replace)
            }
            AuthState::SignedIn(_) if is_public(&path) => navigate(&return_path(), replace),
            _ => {}
        }
    });

    view! {
        <Show when=move || !auth.is_checking() fallback=|| view! { <LoadingPage /> }>
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/register") view=RegisterPage />
                <Route path=path!("/") view=RoomsPage />
                <Route path=path!("/rooms/:id") view=RoomsPage />
                <Route path=path!("/people") view=PeoplePage />
                <Route path=path!("/notifications") view=NotificationsPage />
                <Route path=path!("/settings") view=SettingsPage />
                <Route path=path!("/programme") view=ProgrammePage />
                <Route path=path!("/organisations") view=OrganisationsPage />
                <Route path=path!("/organisations/new") view=NewOrganisationPage />
                <Route path=path!("/organisations/:id") view=OrganisationPage />
                <Route path=path!("/organisations/:id/mentors") view=SuggestionsPage />
                <Route path=path!("/join/:token") view=JoinPage />
                <Route path=path!("/mentors") view=MentorsPage />
                <Route path=path!("/mentors/:id") view=MentorPage />
                <Route path=path!("/mentor-profile") view=MentorProfilePage />
                <Route path=path!("/mentorships/:id") view=MentorshipPage />
                <Route path=path!("/threads") view=ThreadsPage />
                <Route path=path!("/threads/new") view=NewThreadPage />
                <Route path=path!("/threads/:id") view=ThreadPage />
                <Route path=path!("/admin") view=AdminPage />
                <Route path=path!("/admin/matching") view=MatchingPage />
                <Route path=path!("/admin/audit") view=AuditPage />
                <Route path=path!("/search") view=SearchPage />
                <Route path=path!("/glossary") view=GlossaryPage />
                <Route path=path!("/coops") view=CoopsPage />
                <Route path=path!("/coops/:id") view=CoopPage />
                <Route path=path!("/network") view=NetworkPage />
                <Route path=path!("/concerns") view=ConcernsPage />
                <Route path=path!("/concerns/new") view=NewConcernPage />
                <Route path=path!("/concerns/:id") view=ConcernPage />
                <Route path=path!("/moderation") view=ModerationPage />
            </Routes>
        </Show>
    }
}
