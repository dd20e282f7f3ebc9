//! What the organisation and mentor directories share: the filter signals,
//! loading the filtered list (the last list stays on screen while a new
//! filter loads), and the sentence that says how many were found.

use std::future::Future;

use leptos::prelude::*;
use shared::ApiError;
use shared::taxonomy::{ActivityType, Topic};

use crate::api::ApiResult;
use crate::app::use_session;

/// The directory filters, each a signal the list follows.
#[derive(Clone, Copy)]
pub struct Filters {
    pub topic: RwSignal<Option<Topic>>,
    pub activity_type: RwSignal<Option<ActivityType>>,
    /// The applied locality; empty when not filtering by place.
    pub locality: RwSignal<String>,
}

impl Filters {
    pub fn new() -> Self {
        Self {
            topic: RwSignal::new(None),
            activity_type: RwSignal::new(None),
            locality: RwSignal::new(String::new()),
        }
    }

    /// The locality to send, if any (tracked).
    pub fn locality(&self) -> Option<String> {
        Some(self.locality.get()).filter(|l| !l.is_empty())
    }

    /// Whether any filter narrows the list (tracked).
    pub fn is_active(&self) -> bool {
        self.topic.with(Option::is_some)
            || self.activity_type.with(Option::is_some)
            || self.locality.with(|l| !l.is_empty())
    }
}

/// One filtered list as the page shows it.
pub struct Listing<T: Send + Sync + 'static> {
    pub resource: LocalResource<ApiResult<Vec<T>>>,
    /// The last list that loaded.
    pub items: Memo<Option<Vec<T>>>,
    pub failure: Memo<Option<ApiError>>,
}

/// Load with `load` whenever the signals it reads change; an ended session
/// is noticed here, once, for both directories.
pub fn listing<T, F, Fut>(load: F) -> Listing<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ApiResult<Vec<T>>> + 'static,
{
    let session = use_session();
    let resource = LocalResource::new(load);
    let items = Memo::new(move |_| match resource.get() {
        Some(Ok(found)) => Some(found),
        _ => None,
    });
    let failure = Memo::new(move |_| match resource.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });
    Listing {
        resource,
        items,
        failure,
    }
}

/// "Loading organisations…", "No mentors match these filters.", "3 mentors."
pub fn count_sentence(
    count: Option<usize>,
    failed: bool,
    filtered: bool,
    (one, many): (&str, &str),
) -> String {
    match count {
        None if !failed => format!("Loading {many}…"),
        None => String::new(),
        Some(0) if filtered => format!("No {many} match these filters."),
        Some(0) => format!("No {many} are in the directory yet."),
        Some(1) => format!("1 {one}."),
        Some(n) => format!("{n} {many}."),
    }
}
