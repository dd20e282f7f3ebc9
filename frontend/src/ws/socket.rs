//! The socket itself: connecting, keepalive and probing, reconnecting with
//! capped backoff, and reading and writing frames.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use super::{ConnectionStatus, WsClient};
use crate::api;

/// Browsers cannot send protocol pings, and proxies drop quiet sockets.
const PING_EVERY: Duration = Duration::from_secs(25);
/// Two missed pongs: the socket is dead even if the browser has not noticed.
const SILENCE_LIMIT_MS: f64 = 60_000.0;
/// A handshake that takes this long is not going to finish.
const CONNECT_TIMEOUT_MS: f64 = 20_000.0;
/// After the page comes back to the foreground, how long a pong may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
const BACKOFF_BASE_MS: f64 = 1_000.0;
const BACKOFF_CAP_MS: f64 = 30_000.0;
/// Close code for a frame larger than the server reads.
const CLOSE_MESSAGE_TOO_BIG: u16 = 1009;
/// The server closes with this when the socket's session ended (signed out
/// from another device, or suspended): reconnecting would only be refused.
const CLOSE_SESSION_ENDED: u16 = 4001;

/// A socket and the JS callbacks it calls: they must live exactly as long as it.
pub(super) struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Socket {
    /// Unhooks before closing, so a late event from this socket cannot touch
    /// the state of the one that replaces it.
    fn discard(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        let _ = self.ws.close();
    }
}

impl WsClient {
    // ----- lifecycle ------------------------------------------------------

    /// Called once someone is signed in; calling it again is harmless.
    pub fn start(&self) {
        let was_enabled = self.with_inner(|i| {
            let was = i.enabled;
            if !was {
                i.enabled = true;
                i.attempt = 0;
                i.ever_ready = false;
            }
            was
        });
        if was_enabled != Some(false) {
            return;
        }
        self.install_listeners();
        let this = *self;
        if let Ok(handle) = set_interval_with_handle(move || this.keepalive(), PING_EVERY) {
            self.with_inner(|i| i.keepalive = Some(handle));
        }
        self.refresh_rooms();
        self.connect();
    }

    /// Called on logout: no reconnecting, no late answers.
    pub fn stop(&self) {
        let taken = self.with_inner(|i| {
            i.enabled = false;
            i.generation += 1;
            i.ready = false;
            i.attempt = 0;
            i.resuming.clear();
            i.replayed_news.clear();
            i.gap_fetches.clear();
            i.refreshing_rooms = false;
            i.refresh_again = false;
            i.read_sent.clear();
            i.watched_threads.clear();
            if let Some(timer) = i.read_timer.take() {
                timer.clear();
            }
            (i.socket.take(), i.retry.take(), i.keepalive.take())
        });
        if let Some((socket, retry, keepalive)) = taken {
            if let Some(socket) = socket {
                socket.discard();
            }
            if let Some(retry) = retry {
                retry.clear();
            }
            if let Some(keepalive) = keepalive {
                keepalive.clear();
            }
        }
        self.status.set(ConnectionStatus::Idle);
        self.reset_trust();
    }

    fn install_listeners(&self) {
        let first = self.with_inner(|i| !std::mem::replace(&mut i.listeners_installed, true));
        if first != Some(true) {
            return;
        }
        let this = *self;
        // The client lives as long as the page, so the listeners are never removed.
        let _ = window_event_listener_untyped("online", move |_| this.reconnect_soon());
        let _ = window_event_listener_untyped("offline", move |_| this.went_offline());
        let _ = window_event_listener_untyped("visibilitychange", move |_| {
            let visible = page_visible();
            this.chat.set_page_visible(visible);
            this.send_frame(&ClientMsg::SetPresence {
                status: if visible {
                    PresenceStatus::Online
                } else {
                    PresenceStatus::Away
                },
            });
            if visible {
                this.came_back();
                this.schedule_read();
            }
        });
        let _ = window_event_listener_untyped("focus", move |_| {
            this.chat.set_window_focused(true);
            this.schedule_read();
        });
        let _ = window_event_listener_untyped("blur", move |_| {
            this.chat.set_window_focused(false);
        });
    }

    fn connect(&self) {
        let Some((generation, old)) = self
            .with_inner(|i| {
                if !i.enabled {
                    return None;
                }
                i.generation += 1;
                i.ready = false;
                i.resuming.clear();
                i.replayed_news.clear();
                if let Some(retry) = i.retry.take() {
                    retry.clear();
                }
                Some((i.generation, i.socket.take()))
            })
            .flatten()
        else {
            return;
        };
        if let Some(old) = old {
            old.discard();
        }
        self.show_trying();

        let Some(url) = ws_url() else {
            self.schedule_reconnect();
            return;
        };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                self.schedule_reconnect();
                return;
            }
        };
        let this = *self;
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            this.heard(generation);
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            this.on_frame(generation, ev)
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |ev: CloseEvent| {
            this.on_close(generation, ev.code())
        });
        // An error is always followed by a close event, which does the work.
        let on_error = Closure::<dyn FnMut(Event)>::new(|_: Event| {});
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let now = js_sys::Date::now();
        let socket = Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
            _on_error: on_error,
        };
        let stale = self.with_inner(move |i| {
            if i.generation == generation && i.enabled {
                i.opened_at = now;
                i.last_heard = now;
                i.socket = Some(socket);
                None
            } else {
                Some(socket)
            }
        });
        if let Some(Some(stale)) = stale {
            stale.discard();
        }
    }

    fn show_trying(&self) {
        let status = if is_offline() {
            ConnectionStatus::Offline
        } else if self.with_inner(|i| i.ever_ready || i.attempt > 0) == Some(true) {
            ConnectionStatus::Reconnecting
        } else {
            ConnectionStatus::Connecting
        };
        self.status.set(status);
    }

    fn schedule_reconnect(&self) {
        let Some(attempt) = self
            .with_inner(|i| {
                if !i.enabled {
                    return None;
                }
                let attempt = i.attempt;
                i.attempt = i.attempt.saturating_add(1);
                if let Some(retry) = i.retry.take() {
                    retry.clear();
                }
                Some(attempt)
            })
            .flatten()
        else {
            return;
        };
        self.status.set(if is_offline() {
            ConnectionStatus::Offline
        } else {
            ConnectionStatus::Reconnecting
        });
        let this = *self;
        if let Ok(handle) = set_timeout_with_handle(move || this.connect(), backoff(attempt)) {
            self.with_inner(|i| i.retry = Some(handle));
        }
    }

    /// Drops the current socket (dead or stuck) and tries again after a backoff.
    fn force_reconnect(&self) {
        let old = self.with_inner(|i| {
            i.generation += 1;
            i.ready = false;
            i.resuming.clear();
            i.replayed_news.clear();
            i.socket.take()
        });
        if let Some(Some(old)) = old {
            old.discard();
        }
        self.schedule_reconnect();
    }

    /// The network is back: waiting out a long backoff would only look broken.
    /// A handshake already under way is left to finish.
    fn reconnect_soon(&self) {
        let idle = self.with_inner(|i| {
            let idle = i.enabled && !i.ready && i.socket.is_none();
            if idle {
                i.attempt = 0;
            }
            idle
        });
        if idle == Some(true) {
            self.connect();
        }
    }

    fn went_offline(&self) {
        if self.with_inner(|i| i.enabled) == Some(true) {
            self.force_reconnect();
        }
    }

    /// A phone unlocked or a tab brought back: sockets often die silently while
    /// suspended, so check now instead of at the next ping.
    fn came_back(&self) {
        let ready = self.with_inner(|i| i.enabled.then_some(i.ready)).flatten();
        match ready {
            Some(true) => self.probe(),
            Some(false) => self.reconnect_soon(),
            None => {}
        }
    }

    fn probe(&self) {
        let sent_at = js_sys::Date::now();
        if !self.send_frame(&ClientMsg::Ping) {
            return;
        }
        let generation = self.with_inner(|i| i.generation);
        let this = *self;
        set_timeout(
            move || {
                let silent = this.with_inner(|i| {
                    Some(i.generation) == generation && i.ready && i.last_heard < sent_at
                });
                if silent == Some(true) {
                    this.force_reconnect();
                }
            },
            PROBE_TIMEOUT,
        );
    }

    fn keepalive(&self) {
        let now = js_sys::Date::now();
        let Some((has_socket, ready, opened_at, last_heard)) = self
            .with_inner(|i| {
                i.enabled
                    .then_some((i.socket.is_some(), i.ready, i.opened_at, i.last_heard))
            })
            .flatten()
        else {
            return;
        };
        if !has_socket {
            return;
        }
        if ready {
            if now - last_heard > SILENCE_LIMIT_MS {
                self.force_reconnect();
            } else {
                self.send_frame(&ClientMsg::Ping);
            }
        } else if now - opened_at > CONNECT_TIMEOUT_MS {
            self.force_reconnect();
        }
    }

    // ----- incoming -------------------------------------------------------

    fn heard(&self, generation: u64) -> bool {
        let now = js_sys::Date::now();
        self.with_inner(|i| {
            let current = i.generation == generation && i.enabled;
            if current {
                i.last_heard = now;
            }
            current
        }) == Some(true)
    }

    fn on_frame(&self, generation: u64, ev: MessageEvent) {
        if !self.heard(generation) {
            return;
        }
        let Some(text) = ev.data().as_string() else {
            return;
        };
        match serde_json::from_str::<ServerMsg>(&text) {
            Ok(msg) => self.handle(msg),
            Err(e) => leptos::logging::warn!("ignoring an unreadable websocket frame: {e}"),
        }
    }

    fn on_close(&self, generation: u64, code: u16) {
        let Some(was_ready) = self
            .with_inner(|i| {
                if i.generation != generation {
                    return None;
                }
                let was_ready = i.ready;
                i.ready = false;
                i.resuming.clear();
                i.replayed_news.clear();
                i.socket = None;
                Some(was_ready)
            })
            .flatten()
        else {
            return;
        };
        if code == CLOSE_SESSION_ENDED {
            self.stop();
            self.auth.ended_elsewhere("You were signed out.");
            return;
        }
        if code == CLOSE_MESSAGE_TOO_BIG {
            // Resending the same frame would only close the socket again.
            self.chat
                .fail_all_pending("That message is too large to send. Please shorten it.");
        }
        if !was_ready {
            // Never got `ready`: the upgrade may have been refused because the
            // session ended, which only the HTTP API can tell us.
            self.check_session();
        }
        self.schedule_reconnect();
    }

    fn check_session(&self) {
        let auth = self.auth;
        let session = self.session();
        let this = *self;
        spawn_local(async move {
            if let Err(e) = api::me().await
                && this.is_current(session)
            {
                auth.check(&e);
            }
        });
    }

    // ----- outgoing -------------------------------------------------------

    /// Sends one frame if the socket is ready; false means it was not sent.
    pub(super) fn send_frame(&self, msg: &ClientMsg) -> bool {
        let Some(ws) = self
            .with_inner(|i| {
                i.ready
                    .then(|| i.socket.as_ref().map(|s| s.ws.clone()))
                    .flatten()
            })
            .flatten()
        else {
            return false;
        };
        let Ok(text) = serde_json::to_string(msg) else {
            return false;
        };
        ws.send_with_str(&text).is_ok()
    }
}

/// Capped exponential backoff with jitter, so a server restart is not met by
/// every client at the same instant.
fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE_MS * 2f64.powi(attempt.min(16) as i32);
    let capped = exp.min(BACKOFF_CAP_MS);
    let jittered = capped * (0.5 + 0.5 * js_sys::Math::random());
    Duration::from_millis(jittered as u64)
}

pub(super) fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

fn is_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

fn ws_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss:"
    } else {
        "ws:"
    };
    Some(format!("{scheme}//{}/api/ws", location.host().ok()?))
}
