//! Read markers: debounced, sent only for what is on screen, and only forward.

use std::time::Duration;

use leptos::prelude::*;
use shared::ws::ClientMsg;

use super::WsClient;

/// Read markers wait this long, so a burst of messages (or scrolling past
/// them) sends one marker, not one each.
const READ_DEBOUNCE: Duration = Duration::from_millis(400);

impl WsClient {
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
}
