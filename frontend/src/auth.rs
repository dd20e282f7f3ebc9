//! Who is signed in: the auth context every page reads, fed by `/api/me`,
//! login, register and logout.

use leptos::prelude::*;
use shared::api::auth::MeResponse;
use shared::{ApiError, ErrorKind};

#[derive(Clone, Debug, PartialEq)]
pub enum AuthState {
    /// `/api/me` has not answered yet; pages wait rather than flash the login form.
    Checking,
    SignedIn(MeResponse),
    SignedOut,
}

#[derive(Clone, Copy)]
pub struct Auth {
    state: RwSignal<AuthState>,
    /// Why the session ended, when the person did not end it here ("You
    /// were signed out."): the log-in page says it.
    notice: RwSignal<Option<String>>,
    /// The person is logging out here: the end of the session is no news.
    leaving: StoredValue<bool>,
}

impl Auth {
    pub fn provide() -> Self {
        let auth = Self {
            state: RwSignal::new(AuthState::Checking),
            notice: RwSignal::new(None),
            leaving: StoredValue::new(false),
        };
        provide_context(auth);
        auth
    }

    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    pub fn user(&self) -> Option<MeResponse> {
        self.state.with(|s| match s {
            AuthState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    pub fn is_checking(&self) -> bool {
        self.state.with(|s| matches!(s, AuthState::Checking))
    }

    pub fn signed_in(&self, me: MeResponse) {
        self.notice.set(None);
        self.leaving.set_value(false);
        self.state.set(AuthState::SignedIn(me));
    }

    /// The session was ended elsewhere (signed out from another device, or
    /// suspended): sign out here and say why on the log-in page.
    pub fn ended_elsewhere(&self, notice: &str) {
        if !self.leaving.get_value() {
            self.notice.set(Some(notice.to_owned()));
        }
        self.signed_out();
    }

    /// "Log out" was pressed here (`false`: it failed, still signed in).
    pub fn set_leaving(&self, leaving: bool) {
        self.leaving.set_value(leaving);
    }

    /// Logging out or deleting the account here: the log-in page that
    /// follows does not offer to come back to where this person was.
    pub fn is_leaving(&self) -> bool {
        self.leaving.get_value()
    }

    /// The account was deleted here: sign out, and the log-in page says so
    /// (whichever comes first, this or the closed socket's news).
    pub fn account_deleted(&self, notice: &str) {
        self.leaving.set_value(true);
        self.notice.set(Some(notice.to_owned()));
        self.signed_out();
    }

    /// Why the last session ended, if it ended elsewhere.
    pub fn notice(&self) -> Option<String> {
        self.notice.get()
    }

    pub fn signed_out(&self) {
        self.state.set(AuthState::SignedOut);
    }

    /// Any request can learn that the session has ended (expired, logged out in
    /// another tab); this is the one place that turns that into "go and log in".
    /// Returns true when the error meant exactly that.
    pub fn check(&self, error: &ApiError) -> bool {
        if error.kind == ErrorKind::Unauthenticated {
            // Signed in until now: the session ended elsewhere (signed out
            // from another device, suspended, expired). Say so.
            if self
                .state
                .with_untracked(|s| matches!(s, AuthState::SignedIn(_)))
            {
                self.ended_elsewhere("You were signed out.");
            } else {
                self.signed_out();
            }
            true
        } else {
            false
        }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
