//! The notification list: read after every `ready`, and marked read.

use leptos::task::spawn_local;

use super::WsClient;
use crate::api;
use crate::notifications::NotesLoad;

impl WsClient {
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
}
