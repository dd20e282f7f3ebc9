//! The banner at the top of a room while the connection is down: sends are
//! queued and go out on reconnect, and the person should know that. It waits
//! a moment first, so a quick reconnect does not flash it.

use std::time::Duration;

use leptos::prelude::*;

use crate::ws::{ConnectionStatus, use_ws};

const SHOW_AFTER: Duration = Duration::from_secs(2);

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let ws = use_ws();
    let show = RwSignal::new(false);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);

    Effect::new(move |_| {
        let down = matches!(
            ws.status(),
            ConnectionStatus::Connecting
                | ConnectionStatus::Reconnecting
                | ConnectionStatus::Offline
        );
        if down {
            let waiting = timer.with_value(Option::is_some);
            if !waiting && !show.get_untracked() {
                let handle = set_timeout_with_handle(
                    move || {
                        timer.try_set_value(None);
                        let _ = show.try_set(true);
                    },
                    SHOW_AFTER,
                );
                timer.set_value(handle.ok());
            }
        } else {
            if let Some(handle) = timer.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            show.set(false);
        }
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });

    // The status region is always there, so its text is announced when it appears.
    view! {
        <div class="offline-region" role="status">
            {move || {
                show.get()
                    .then(|| {
                        view! {
                            <p id="offline-banner" class="offline-banner">
                                "You're offline. Messages you send will be delivered when you reconnect."
                            </p>
                        }
                    })
            }}
        </div>
    }
}
