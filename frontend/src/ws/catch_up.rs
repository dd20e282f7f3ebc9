//! Catching up: resuming rooms over the socket, and the HTTP reads that
//! resuming depends on (the room list, history pages, gaps).

use leptos::task::spawn_local;
use shared::api::rooms::ListMessages;
use shared::limits::{HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX};
use shared::ws::ClientMsg;
use shared::{RoomId, Seq};

use super::WsClient;
use crate::api;
use crate::chat::RoomsLoad;

impl WsClient {
    pub(super) fn resume(&self, room_id: RoomId, after_seq: Seq) {
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

    pub(super) fn resume_all(&self) {
        for (room_id, after_seq) in self.chat.known_seqs_untracked() {
            self.resume(room_id, after_seq);
        }
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
    pub(super) fn fill_gap(&self, room_id: RoomId, after: Seq) {
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
