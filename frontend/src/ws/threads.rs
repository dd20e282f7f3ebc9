//! Watching practice threads: the open thread page asks the server for its
//! live events (`watch_thread`), again after every reconnect, and the
//! events reach the page through two signals with counters.

use leptos::prelude::*;
use shared::ThreadId;
use shared::api::threads::PostView;
use shared::ws::ClientMsg;

use super::WsClient;

impl WsClient {
    /// The page shows thread `id` (`true`) or no longer does. Remembered, so
    /// a reconnect asks again; sent now if the socket is ready.
    pub fn watch_thread(&self, id: ThreadId, watching: bool) {
        self.with_inner(|i| {
            if watching {
                i.watched_threads.insert(id);
            } else {
                i.watched_threads.remove(&id);
            }
        });
        self.send_frame(&ClientMsg::WatchThread {
            thread_id: id,
            watching,
        });
    }

    /// Whether a page here shows thread `id` (so its news is on screen).
    pub(super) fn is_watching_thread(&self, id: ThreadId) -> bool {
        self.with_inner(|i| i.watched_threads.contains(&id))
            .unwrap_or(false)
    }

    /// A new connection knows nothing of what the last one watched.
    pub(super) fn rewatch_threads(&self) {
        let ids: Vec<ThreadId> = self
            .with_inner(|i| i.watched_threads.iter().copied().collect())
            .unwrap_or_default();
        for thread_id in ids {
            self.send_frame(&ClientMsg::WatchThread {
                thread_id,
                watching: true,
            });
        }
    }

    /// The latest post pushed for thread `id` (tracked): new, edited,
    /// deleted or newly marked helpful. `None` until one arrives.
    pub fn thread_post(&self, id: ThreadId) -> Option<PostView> {
        self.thread_post
            .with(|(post, _)| post.as_ref().filter(|p| p.thread_id == id).cloned())
    }

    pub(super) fn note_thread_post(&self, post: PostView) {
        self.thread_post.update(|(last, count)| {
            *last = Some(post);
            *count += 1;
        });
    }

    /// Whether thread `id` changed since the last call of the effect that
    /// reads this (tracked): true on a change to it, or after a reconnect.
    pub fn thread_changed(&self, id: ThreadId) -> bool {
        let (changed, count) = self.thread_changed.get();
        count > 0 && (changed == id || changed == 0)
    }

    pub(super) fn note_thread_changed(&self, id: ThreadId) {
        self.thread_changed.update(|(last, count)| {
            *last = id;
            *count += 1;
        });
    }
}
