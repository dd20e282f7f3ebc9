//! The one live connection to `/api/ws`, shared by every page: it connects
//! after login, keeps itself alive, reconnects with capped exponential backoff
//! plus jitter, and resumes every known room so nothing is missed. It also owns
//! the HTTP catch-up that resuming depends on (room list, history pages, gaps),
//! and the small signals that ride on the socket: read markers, typing,
//! presence, edits and deletes; and it keeps the notification list current
//! (loaded after every `ready`, then live).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::rooms::ListMessages;
use shared::limits::{
    HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, MESSAGE_MAX_CHARS, WS_MAX_FRAME_BYTES,
};
use shared::ws::{ClientMsg, PresenceStatus, ServerMsg};
use shared::{MessageId, RoomId, Seq};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use crate::api;
use crate::auth::Auth;
use crate::chat::{ChatState, OpKind, PendingSend, RoomsLoad};
use crate::notifications::{NotesLoad, Notifications};

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
/// Read markers wait this long, so a burst of messages (or scrolling past
/// them) sends one marker, not one each.
const READ_DEBOUNCE: Duration = Duration::from_millis(400);
/// An edit or delete that has had no answer by then is reported as failed.
const OP_TIMEOUT: Duration = Duration::from_secs(15);
const OFFLINE_SENTENCE: &str =
    "You're offline, so this could not be sent. Try again when you have reconnected.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionStatus {
    /// Nobody is signed in, so there is nothing to connect.
    Idle,
    Connecting,
    Connected,
    Reconnecting,
    Offline,
}

impl ConnectionStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Idle => "Not connected",
            Self::Connecting => "Connecting…",
            Self::Connected => "Connected",
            Self::Reconnecting => "Reconnecting…",
            Self::Offline => "Offline",
        }
    }
}

/// A socket and the JS callbacks it calls: they must live exactly as long as it.
struct Socket {
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

#[derive(Default)]
struct Inner {
    enabled: bool,
    /// Bumped for every socket; events carry the generation they were made for.
    generation: u64,
    socket: Option<Socket>,
    ready: bool,
    ever_ready: bool,
    attempt: u32,
    retry: Option<TimeoutHandle>,
    keepalive: Option<IntervalHandle>,
    opened_at: f64,
    last_heard: f64,
    /// Rooms whose replay is running: their messages are summed up once the
    /// replay ends, rather than announced one by one.
    resuming: HashSet<RoomId>,
    /// Per room: how many replayed messages were news, and the last author.
    replayed_news: HashMap<RoomId, (usize, String)>,
    gap_fetches: HashSet<RoomId>,
    refreshing_rooms: bool,
    refresh_again: bool,
    listeners_installed: bool,
    /// The highest read marker sent per room on this socket; markers only
    /// move forward, so nothing lower is sent again.
    read_sent: HashMap<RoomId, Seq>,
    read_timer: Option<TimeoutHandle>,
    /// Server time of this connection's `ready`.
    connected_at: Option<DateTime<Utc>>,
    /// The previous connection's: resumes ask for changes made since then.
    changes_since: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy)]
pub struct WsClient {
    auth: Auth,
    chat: ChatState,
    notes: Notifications,
    status: RwSignal<ConnectionStatus>,
    inner: StoredValue<Inner, LocalStorage>,
}

impl WsClient {
    pub fn provide(auth: Auth, chat: ChatState, notes: Notifications) -> Self {
        let client = Self {
            auth,
            chat,
            notes,
            status: RwSignal::new(ConnectionStatus::Idle),
            inner: StoredValue::new_local(Inner::default()),
        };
        provide_context(client);
        client
    }

    pub fn status(&self) -> ConnectionStatus {
        self.status.get()
    }

    fn with_inner<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> Option<R> {
        self.inner.try_update_value(f)
    }

    /// Which signed-in person a request was made for; see `ChatState::epoch`.
    fn session(&self) -> u64 {
        self.chat.epoch()
    }

    fn is_current(&self, session: u64) -> bool {
        self.chat.epoch() == session
    }

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

    fn handle(&self, msg: ServerMsg) {
        match msg {
            ServerMsg::Ready { server_time, .. } => {
                let was_ready_before = self.with_inner(|i| {
                    i.changes_since = i.connected_at.replace(server_time);
                    i.ready = true;
                    i.attempt = 0;
                    std::mem::replace(&mut i.ever_ready, true)
                });
                self.with_inner(|i| i.read_sent.clear());
                self.status.set(ConnectionStatus::Connected);
                self.chat.clear_presence();
                // A new connection starts out online; say so if we are not.
                if !page_visible() {
                    self.send_frame(&ClientMsg::SetPresence {
                        status: PresenceStatus::Away,
                    });
                }
                self.resume_all();
                self.flush_pending();
                // A marker sent on the old socket may never have arrived.
                self.schedule_read();
                // Rooms added while we were away sent their `room_added` to nobody.
                if was_ready_before == Some(true) {
                    self.refresh_rooms();
                }
                // Notifications are not replayed by `resume`: read the list afresh.
                self.refresh_notifications();
            }
            ServerMsg::Ack {
                client_msg_id,
                room_id,
                seq,
                id,
                created_at,
                ..
            } => self
                .chat
                .apply_ack(&client_msg_id, room_id, seq, id, created_at),
            ServerMsg::Message(message) => {
                let room_id = message.room_id;
                let live = self.with_inner(|i| !i.resuming.contains(&room_id)) == Some(true);
                // Whoever sent a message has stopped typing it.
                self.chat.clear_typing(room_id, message.author_id);
                let outcome = self.chat.apply_message(message, live);
                if self.chat.active_untracked() == Some(room_id) {
                    self.schedule_read();
                }
                if !live && let Some(author) = outcome.news_from {
                    self.with_inner(|i| {
                        let entry = i.replayed_news.entry(room_id).or_default();
                        entry.0 += 1;
                        entry.1 = author;
                    });
                }
                if !outcome.room_known {
                    self.refresh_rooms();
                }
                if live && let Some(after) = outcome.gap_after {
                    self.fill_gap(room_id, after);
                }
            }
            ServerMsg::Resumed { room_id, .. } => {
                let news = self
                    .with_inner(|i| {
                        i.resuming.remove(&room_id);
                        i.replayed_news.remove(&room_id)
                    })
                    .flatten();
                // Messages missed while away are still news, but a screen reader
                // reading fifty of them out would be no help: one line per room.
                match news {
                    Some((1, author)) => self.chat.announce(format!("New message from {author}")),
                    Some((n, author)) => {
                        let room = self.chat.room_title_untracked(room_id).unwrap_or(author);
                        self.chat.announce(format!("{n} new messages in {room}"));
                    }
                    None => {}
                }
            }
            ServerMsg::Resync { room_id, .. } => {
                self.with_inner(|i| {
                    i.resuming.remove(&room_id);
                    i.replayed_news.remove(&room_id);
                });
                self.chat.drop_timeline(room_id);
                if self.chat.active_untracked() == Some(room_id) {
                    self.load_room(room_id);
                }
                self.refresh_rooms();
            }
            ServerMsg::RoomAdded { room } => {
                let (room_id, last_seq) = (room.id, room.last_seq);
                self.chat.upsert_room(room);
                self.resume(room_id, last_seq);
            }
            ServerMsg::RoomRemoved { room_id } => self.chat.remove_room(room_id),
            ServerMsg::Pong => {}
            ServerMsg::Read {
                room_id,
                user_id,
                seq,
                unread_count,
            } => {
                if Some(user_id) == self.chat.me_untracked().map(|m| m.id) {
                    self.chat.apply_my_read(room_id, seq, unread_count);
                } else {
                    self.chat.apply_their_read(room_id, user_id, seq);
                }
            }
            ServerMsg::Typing {
                room_id,
                user_id,
                display_name,
                active,
                expires_in_ms,
            } => {
                // Our own typing in another tab is no news to us.
                if Some(user_id) != self.chat.me_untracked().map(|m| m.id) {
                    self.chat
                        .set_typing(room_id, user_id, display_name, active, expires_in_ms);
                }
            }
            ServerMsg::Presence { user_id, status } => self.chat.set_presence(user_id, status),
            ServerMsg::MessageUpdated(message) => self.chat.apply_update(message),
            ServerMsg::Notification(note) => {
                let actor = note.actor.display_name.clone();
                if self.notes.apply_new(note) {
                    self.chat.announce(format!("{actor} mentioned you"));
                }
            }
            ServerMsg::NotificationsRead {
                up_to_id,
                unread_count,
            } => self.notes.apply_read(up_to_id, Some(unread_count)),
            ServerMsg::Error {
                error,
                client_msg_id,
                room_id,
            } => {
                if self.auth.check(&error) {
                    return;
                }
                if let Some(client_msg_id) = client_msg_id {
                    self.chat.fail_pending(&client_msg_id, error.message);
                } else if room_id.is_none() && self.chat.fail_newest_op(error.message.clone()) {
                    // Edits and deletes name neither a send nor a room: the
                    // error is shown next to the message it is about.
                } else if let Some(room_id) = room_id {
                    self.with_inner(|i| i.resuming.remove(&room_id));
                    self.chat.set_send_error(room_id, Some(error.message));
                } else {
                    leptos::logging::warn!("websocket error: {}", error.message);
                }
            }
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
    fn send_frame(&self, msg: &ClientMsg) -> bool {
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

    fn resume(&self, room_id: RoomId, after_seq: Seq) {
        let ready = self.with_inner(|i| {
            if i.ready {
                i.resuming.insert(room_id);
            }
            i.ready
        });
        // Edits and deletes made while we were away come back too; the
        // previous connection's start is a safe lower bound (replays are idempotent).
        let changes_since = self.with_inner(|i| i.changes_since).flatten();
        let resume = ClientMsg::Resume {
            room_id,
            after_seq,
            changes_since,
        };
        if ready == Some(true) && !self.send_frame(&resume) {
            self.with_inner(|i| i.resuming.remove(&room_id));
        }
    }

    fn resume_all(&self) {
        for (room_id, after_seq) in self.chat.known_seqs_untracked() {
            self.resume(room_id, after_seq);
        }
    }

    /// Sends that were never acked go again; the server stores each
    /// `client_msg_id` once, so a repeat cannot post twice.
    fn flush_pending(&self) {
        for p in self.chat.pending_untracked() {
            self.send_frame(&ClientMsg::Send {
                room_id: p.room_id,
                client_msg_id: p.client_msg_id,
                body: p.body,
            });
        }
    }

    /// Queues a message. It goes now if connected, otherwise on reconnect.
    /// An `Err` is a sentence for the person, and nothing was queued.
    pub fn send_message(&self, room_id: RoomId, body: &str) -> Result<(), String> {
        let body = body.trim();
        if body.is_empty() {
            return Err("Write a message before sending.".to_owned());
        }
        let chars = body.chars().count();
        if chars > MESSAGE_MAX_CHARS {
            return Err(format!(
                "This message is {} characters too long. The limit is {}.",
                chars - MESSAGE_MAX_CHARS,
                MESSAGE_MAX_CHARS
            ));
        }
        let msg = ClientMsg::Send {
            room_id,
            client_msg_id: new_client_msg_id(),
            body: body.to_owned(),
        };
        let fits = serde_json::to_string(&msg).is_ok_and(|t| t.len() <= WS_MAX_FRAME_BYTES);
        if !fits {
            return Err("This message is too large to send. Please shorten it.".to_owned());
        }
        if let ClientMsg::Send {
            client_msg_id,
            body,
            ..
        } = &msg
        {
            self.chat.add_pending(PendingSend {
                client_msg_id: client_msg_id.clone(),
                room_id,
                body: body.clone(),
            });
        }
        self.send_frame(&msg);
        Ok(())
    }

    /// Says whether this person is typing in a room. False: not connected,
    /// and typing is too fleeting to queue.
    pub fn send_typing(&self, room_id: RoomId, active: bool) -> bool {
        self.send_frame(&ClientMsg::Typing { room_id, active })
    }

    /// Sends the open room's read marker soon, if its newest message is on
    /// screen and past the marker. Safe to call as often as anything happens.
    pub fn schedule_read(&self) {
        let start = self.with_inner(|i| i.enabled && i.read_timer.is_none());
        if start != Some(true) {
            return;
        }
        let this = *self;
        if let Ok(handle) = set_timeout_with_handle(move || this.send_read_now(), READ_DEBOUNCE) {
            self.with_inner(|i| i.read_timer = Some(handle));
        }
    }

    fn send_read_now(&self) {
        self.with_inner(|i| i.read_timer = None);
        let Some((room_id, seq)) = self.chat.unread_seq_on_screen() else {
            return;
        };
        let already = self.with_inner(|i| i.read_sent.get(&room_id).copied().unwrap_or(0));
        if already.is_none_or(|sent| sent >= seq) {
            return;
        }
        if self.send_frame(&ClientMsg::Read { room_id, seq }) {
            self.with_inner(|i| i.read_sent.insert(room_id, seq));
            // The badge clears now rather than a round trip later; the
            // server's answer brings the exact count.
            self.chat.apply_my_read(room_id, seq, None);
        }
    }

    /// Replaces the body of one's own message. An `Err` is a sentence for
    /// the person; otherwise the answer arrives as `message_updated` (or an
    /// error that `chat` puts next to the message).
    pub fn edit_message(&self, message_id: MessageId, body: &str) -> Result<(), String> {
        let body = body.trim();
        if body.is_empty() {
            return Err("Write something, or delete the message instead.".to_owned());
        }
        let chars = body.chars().count();
        if chars > MESSAGE_MAX_CHARS {
            return Err(format!(
                "This message is {} characters too long. The limit is {}.",
                chars - MESSAGE_MAX_CHARS,
                MESSAGE_MAX_CHARS
            ));
        }
        let msg = ClientMsg::Edit {
            message_id,
            body: body.to_owned(),
        };
        if !serde_json::to_string(&msg).is_ok_and(|t| t.len() <= WS_MAX_FRAME_BYTES) {
            return Err("This message is too large to send. Please shorten it.".to_owned());
        }
        self.send_op(msg, message_id, OpKind::Edit)
    }

    pub fn delete_message(&self, message_id: MessageId) -> Result<(), String> {
        self.send_op(ClientMsg::Delete { message_id }, message_id, OpKind::Delete)
    }

    /// Edits and deletes are not queued for later like sends: a change
    /// applied minutes afterwards, unseen, would surprise its author.
    fn send_op(&self, msg: ClientMsg, message_id: MessageId, kind: OpKind) -> Result<(), String> {
        let before = self.chat.op_clock();
        self.chat.begin_op(message_id, kind);
        if !self.send_frame(&msg) {
            self.chat.end_op(message_id);
            return Err(OFFLINE_SENTENCE.to_owned());
        }
        let chat = self.chat;
        set_timeout(
            move || {
                chat.fail_op(
                    message_id,
                    Some(before + 1),
                    "The server has not answered. Check your connection and try again.".to_owned(),
                );
            },
            OP_TIMEOUT,
        );
        Ok(())
    }

    /// Adds a room this person just opened; if it is new, resume it so a
    /// message sent to it before `room_added` arrives is not missed.
    pub fn add_room(&self, room: shared::api::rooms::RoomSummary) {
        let (room_id, last_seq) = (room.id, room.last_seq);
        if self.chat.upsert_room(room) {
            self.resume(room_id, last_seq);
        }
    }

    // ----- HTTP catch-up --------------------------------------------------

    /// Re-reads the room list; rooms it did not know are resumed from their
    /// last seq so a message sent between the read and now is not lost.
    pub fn refresh_rooms(&self) {
        let start = self.with_inner(|i| {
            if !i.enabled {
                return false;
            }
            if i.refreshing_rooms {
                i.refresh_again = true;
                return false;
            }
            i.refreshing_rooms = true;
            true
        });
        if start != Some(true) {
            return;
        }
        let session = self.session();
        if self.chat.rooms_load_untracked() != RoomsLoad::Loaded {
            self.chat.set_rooms_load(RoomsLoad::Loading);
        }
        let this = *self;
        spawn_local(async move {
            loop {
                let result = api::list_rooms().await;
                if !this.is_current(session) {
                    return;
                }
                match result {
                    Ok(list) => {
                        for room in this.chat.merge_rooms(list.rooms) {
                            this.resume(room.id, room.last_seq);
                        }
                        this.schedule_read();
                    }
                    Err(e) => {
                        if !this.auth.check(&e)
                            && this.chat.rooms_load_untracked() != RoomsLoad::Loaded
                        {
                            this.chat.set_rooms_load(RoomsLoad::Failed(e.message));
                        }
                    }
                }
                let again = this.with_inner(|i| {
                    let again = std::mem::take(&mut i.refresh_again);
                    if !again {
                        i.refreshing_rooms = false;
                    }
                    again
                });
                if again != Some(true) {
                    return;
                }
            }
        });
    }

    /// Reads the notification list; live `notification` events keep it current.
    pub fn refresh_notifications(&self) {
        if self.with_inner(|i| i.enabled) != Some(true) {
            return;
        }
        if self.notes.load_untracked() != NotesLoad::Loaded {
            self.notes.set_load(NotesLoad::Loading);
        }
        let this = *self;
        let session = self.session();
        spawn_local(async move {
            let result = api::list_notifications().await;
            if !this.is_current(session) {
                return;
            }
            match result {
                Ok(list) => this.notes.apply_list(list),
                Err(e) => {
                    if !this.auth.check(&e) && this.notes.load_untracked() != NotesLoad::Loaded {
                        this.notes.set_load(NotesLoad::Failed(e.message));
                    }
                }
            }
        });
    }

    /// Marks every notification up to `up_to_id` read. The badge drops at
    /// once; the server's `notifications_read` brings the exact count to
    /// this tab and the person's others.
    pub fn mark_notifications_read(&self, up_to_id: i64) {
        self.notes.apply_read(up_to_id, None);
        let this = *self;
        let session = self.session();
        spawn_local(async move {
            let result = api::mark_notifications_read(up_to_id).await;
            if !this.is_current(session) {
                return;
            }
            if let Err(e) = result
                && !this.auth.check(&e)
            {
                // Nothing was marked after all: the list says what is true.
                this.refresh_notifications();
            }
        });
    }

    /// Loads a room's newest page, once; the socket keeps it current after that.
    pub fn load_room(&self, room_id: RoomId) {
        if self.chat.me_untracked().is_none() || !self.chat.begin_load(room_id) {
            return;
        }
        let this = *self;
        let session = self.session();
        spawn_local(async move {
            let query = ListMessages {
                limit: Some(HISTORY_PAGE_DEFAULT),
                ..Default::default()
            };
            let result = api::list_messages(room_id, &query).await;
            if !this.is_current(session) {
                return;
            }
            if let Err(e) = &result {
                this.auth.check(e);
            }
            let ok = result.is_ok();
            this.chat.finish_load(room_id, result);
            if ok && !this.chat.has_room_untracked(room_id) {
                this.refresh_rooms();
            }
            this.schedule_read();
        });
    }

    /// Loads the page before the oldest message shown; finishes once merged,
    /// so the caller can keep the reader's place.
    pub async fn load_older(&self, room_id: RoomId) {
        let Some(before) = self.chat.begin_older(room_id) else {
            return;
        };
        let session = self.session();
        let query = ListMessages {
            before_seq: Some(before),
            limit: Some(HISTORY_PAGE_DEFAULT),
            ..Default::default()
        };
        let result = api::list_messages(room_id, &query).await;
        if !self.is_current(session) {
            return;
        }
        if let Err(e) = &result {
            self.auth.check(e);
        }
        self.chat.finish_older(room_id, result);
    }

    /// A live message skipped seqs: fetch what came between over HTTP.
    fn fill_gap(&self, room_id: RoomId, after: Seq) {
        let start = self.with_inner(|i| i.gap_fetches.insert(room_id));
        if start != Some(true) {
            return;
        }
        let this = *self;
        let session = self.session();
        spawn_local(async move {
            let mut after = after;
            loop {
                let query = ListMessages {
                    after_seq: Some(after),
                    limit: Some(HISTORY_PAGE_MAX),
                    ..Default::default()
                };
                let result = api::list_messages(room_id, &query).await;
                if !this.is_current(session) {
                    return;
                }
                match result {
                    Ok(page) => {
                        let last = page.messages.last().map(|m| m.seq);
                        let more = page.has_more;
                        this.chat.merge_after(page.messages);
                        this.schedule_read();
                        match last {
                            Some(last) if more => after = last,
                            _ => break,
                        }
                    }
                    Err(e) => {
                        this.auth.check(&e);
                        break;
                    }
                }
            }
            this.with_inner(|i| i.gap_fetches.remove(&room_id));
        });
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

fn page_visible() -> bool {
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

/// `crypto.randomUUID` exists only in secure contexts (https, localhost);
/// elsewhere build a v4 UUID from `getRandomValues`.
fn new_client_msg_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = crypto {
        let has_random_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
            .is_ok_and(|f| f.is_function());
        if has_random_uuid {
            return crypto.random_uuid();
        }
        let mut bytes = [0u8; 16];
        if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
            return format_uuid_v4(bytes);
        }
    }
    // Last resort: the id only has to be unique among this person's sends.
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    format_uuid_v4(bytes)
}

fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub fn use_ws() -> WsClient {
    expect_context::<WsClient>()
}
