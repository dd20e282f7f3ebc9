//! The one thing a page is about, loaded by the id in its address. Answers
//! can come back after the address changed, so only the newest counts; "not
//! found" and "not yours" read alike, as the server means them to.
//! `LoadedPage` is what such a page shows until its subject is there.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{ApiError, ErrorKind};

use crate::app::{set_page_title, use_session};
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(Box<T>),
    NotFound,
    Failed(String),
}

/// Load with `get` whenever `id` changes. Returns the state and a retry
/// (the same load again, for the id in the address now).
pub fn load_by_id<T, F, Fut>(id: Memo<Option<i64>>, get: F) -> (RwSignal<Load<T>>, Callback<()>)
where
    T: Clone + Send + Sync + 'static,
    F: Fn(i64) -> Fut + Copy + Send + Sync + 'static,
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
    let retry = Callback::new(move |()| {
        if let Some(id) = id.get_untracked() {
            fetch(id);
        }
    });
    (load, retry)
}

/// What a page shows around its subject while it loads, when it is not
/// found (or not the reader's), and when loading failed; `ready` renders
/// it once loaded. Sets the tab title for those states (the subject's own
/// view names the page once ready).
#[component]
pub fn LoadedPage<T, F>(
    load: RwSignal<Load<T>>,
    /// Load again (the "Try again" button).
    retry: Callback<()>,
    /// The page's name while loading or failed: "Practice thread".
    title: &'static str,
    /// "Loading the thread…"
    loading: &'static str,
    /// "Thread not found"
    missing_title: &'static str,
    /// "This thread does not exist, or you cannot see it. "
    missing_text: &'static str,
    /// Where to go instead, and what that link says.
    back_href: &'static str,
    back_text: &'static str,
    /// The notice's id, for tests that look for it.
    #[prop(optional)]
    missing_id: Option<&'static str>,
    ready: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    Effect::new(move |_| match load.get() {
        Load::Loading | Load::Failed(_) => set_page_title(title),
        Load::NotFound => set_page_title(missing_title),
        Load::Ready(_) => {}
    });
    move || match load.get() {
        Load::Loading => view! {
            <h1>{title}</h1>
            <p class="muted" role="status">{loading}</p>
        }
        .into_any(),
        Load::NotFound => view! {
            <h1>{missing_title}</h1>
            <p class="notice" id=missing_id>
                {missing_text}
                <a href=back_href>{back_text}</a>
            </p>
        }
        .into_any(),
        Load::Failed(message) => view! {
            <h1>{title}</h1>
            <RetryNotice message=message on_retry=retry />
        }
        .into_any(),
        Load::Ready(subject) => ready(*subject),
    }
}
