//! The one thing a page is about, loaded by the id in its address. Answers
//! can come back after the address changed, so only the newest counts; "not
//! found" and "not yours" read alike, as the server means them to.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ApiError, ErrorKind};

use crate::app::use_session;

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(Box<T>),
    NotFound,
    Failed(String),
}

/// Load with `get` whenever `id` changes. Returns the state and the fetch
/// itself, for a retry.
pub fn load_by_id<T, F, Fut>(
    id: Memo<Option<i64>>,
    get: F,
) -> (RwSignal<Load<T>>, impl Fn(i64) + Copy + 'static)
where
    T: Clone + Send + Sync + 'static,
    F: Fn(i64) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let session = use_session();
    let load = RwSignal::new(Load::Loading);
    let latest = StoredValue::new(0u64);
    let fetch = move |id: i64| {
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        load.set(Load::Loading);
        spawn_local(async move {
            let result = get(id).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            let next = match result {
                Ok(view) => Load::Ready(Box::new(view)),
                Err(e) if session.auth.check(&e) => return,
                Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => {
                    Load::NotFound
                }
                Err(e) => Load::Failed(e.message),
            };
            let _ = load.try_set(next);
        });
    };
    Effect::new(move |_| match id.get() {
        Some(id) => fetch(id),
        None => load.set(Load::NotFound),
    });
    (load, fetch)
}
