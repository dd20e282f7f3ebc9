//! Whether someone is online, away or offline: a small dot whose shape
//! differs by state, plus the word (visible, or for screen readers only), so
//! colour is never the only signal.

use leptos::prelude::*;
use shared::UserId;
use shared::ws::PresenceStatus;

use crate::chat::use_chat;

fn word(status: PresenceStatus) -> &'static str {
    match status {
        PresenceStatus::Online => "online",
        PresenceStatus::Away => "away",
        PresenceStatus::Offline => "offline",
    }
}

#[component]
pub fn PresenceBadge(
    user_id: UserId,
    /// Show the word next to the dot (room header); otherwise only screen
    /// readers get it (room list, where space is short).
    #[prop(optional)]
    show_label: bool,
) -> impl IntoView {
    let chat = use_chat();
    let status = Memo::new(move |_| chat.presence(user_id));
    // Nothing heard yet about someone just added: say nothing rather than
    // "offline", which may well be wrong.
    move || {
        status.get().map(|status| {
            let w = word(status);
            let label = if show_label {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            } else {
                format!(", {w}")
            };
            view! {
                <span class="presence" data-status=w>
                    <span class="presence-dot" aria-hidden="true"></span>
                    <span class=if show_label {
                        "presence-label"
                    } else {
                        "visually-hidden"
                    }>{label}</span>
                </span>
            }
        })
    }
}
