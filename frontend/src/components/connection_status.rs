//! The live connection indicator in the header: words first, colour second.

use leptos::prelude::*;

use crate::ws::{ConnectionStatus, use_ws};

#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let ws = use_ws();
    let class = move || {
        let state = match ws.status() {
            ConnectionStatus::Connected => "is-connected",
            ConnectionStatus::Connecting | ConnectionStatus::Reconnecting => "is-trying",
            ConnectionStatus::Offline | ConnectionStatus::Idle => "is-offline",
        };
        format!("connection-status {state}")
    };
    view! {
        <p id="connection-status" role="status" class=class>
            <span class="status-dot" aria-hidden="true"></span>
            <span class="status-text">{move || ws.status().label()}</span>
        </p>
    }
}
