//! What a mentorship's goals and session notes share: loading the list
//! (with a state the section shows), retrying, and reloading it quietly
//! when the other side changes something (`mentorship_changed`).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::MentorshipId;

use crate::api::ApiResult;
use crate::app::use_session;

#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Loading,
    Loaded,
    Failed(String),
}

pub struct MemberList<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub load: RwSignal<Load>,
    /// Load again after a failure, saying so.
    pub retry: Callback<()>,
}

/// Load with `get` now, and again whenever mentorship `id` changes.
pub fn member_list<T, F, Fut>(id: MentorshipId, get: F) -> MemberList<T>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<Vec<T>>> + 'static,
{
    let session = use_session();
    let items = RwSignal::new(Vec::new());
    let load = RwSignal::new(Load::Loading);
    let fetch = move || {
        load.set(Load::Loading);
        spawn_local(async move {
            match get().await {
                Ok(list) => {
                    let _ = items.try_set(list);
                    let _ = load.try_set(Load::Loaded);
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = load.try_set(Load::Failed(e.message));
                    }
                }
            }
        });
    };
    fetch();
    // Live: what is shown stays while the new list loads; a failed reload
    // leaves it as it was.
    Effect::new(move |seen: Option<()>| {
        let hit = session.ws.mentorship_changed(id);
        if seen.is_some() && hit {
            spawn_local(async move {
                if let Ok(list) = get().await {
                    let _ = items.try_set(list);
                }
            });
        }
    });
    MemberList {
        items,
        load,
        retry: Callback::new(move |()| fetch()),
    }
}
