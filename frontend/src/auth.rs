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
}

impl Auth {
    pub fn provide() -> Self {
        let auth = Self {
            state: RwSignal::new(AuthState::Checking),
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
        self.state.set(AuthState::SignedIn(me));
    }

    pub fn signed_out(&self) {
        self.state.set(AuthState::SignedOut);
    }

    /// Any request can learn that the session has ended (expired, logged out in
    /// another tab); this is the one place that turns that into "go and log in".
    /// Returns true when the error meant exactly that.
    pub fn check(&self, error: &ApiError) -> bool {
        if error.kind == ErrorKind::Unauthenticated {
            self.signed_out();
            true
        } else {
            false
        }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
