//! Safeguarding concerns and the moderation queue on the socket:
//! `concern_changed` reaches the pages showing concerns, `reports_changed`
//! the header's count and the queue page; and the open count is read over
//! HTTP after every `ready`, since nothing replays what was missed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::moderation::ReportStatus;

use super::WsClient;
use crate::api;

impl WsClient {
    /// Whether concern `id` changed since the last run of the effect that
    /// reads this (tracked): true on a change to it, or after a reconnect.
    /// `None` asks about any concern (the list).
    pub fn concern_changed(&self, id: Option<i64>) -> bool {
        let (changed, count) = self.concern_changed.get();
        count > 0 && (id.is_none() || changed == 0 || Some(changed) == id)
    }

    pub(super) fn note_concern_changed(&self, id: i64) {
        self.concern_changed.update(|(last, count)| {
            *last = id;
            *count += 1;
        });
    }

    /// Open reports (tracked); `None` until known, and for everyone but
    /// the programme team.
    pub fn open_reports(&self) -> Option<i64> {
        self.open_reports.get()
    }

    /// How many times the queue changed (tracked): the queue page reloads
    /// when it moves.
    pub fn reports_changed(&self) -> u64 {
        self.reports_changed.get()
    }

    pub(super) fn note_reports_changed(&self, open_count: i64) {
        self.open_reports.set(Some(open_count.max(0)));
        self.reports_changed.update(|n| *n += 1);
    }

    /// The queue page read the count itself.
    pub fn set_open_reports(&self, open_count: i64) {
        if self.open_reports.get_untracked() != Some(open_count) {
            self.open_reports.set(Some(open_count.max(0)));
        }
    }

    /// Moderators: read the open count afresh (after every `ready`).
    pub(super) fn refresh_open_reports(&self) {
        let is_admin = self.chat.me_untracked().is_some_and(|me| me.is_admin);
        if !is_admin {
            self.open_reports.set(None);
            return;
        }
        let session = self.session();
        let this = *self;
        spawn_local(async move {
            let result = api::trust::list_reports(Some(ReportStatus::Open)).await;
            if !this.is_current(session) {
                return;
            }
            match result {
                Ok(list) => this.set_open_reports(list.open_count),
                Err(e) => {
                    this.auth.check(&e);
                }
            }
        });
    }

    pub(super) fn reset_trust(&self) {
        self.open_reports.set(None);
    }
}
