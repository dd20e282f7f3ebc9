//! Search: practice threads and the messages of the reader's rooms, by
//! words, topic, dates and kind. The search lives in the address
//! (`?q=&topic=&from=&to=&scope=`), so results can be linked and Back
//! returns to the previous search; the page searches whenever it changes.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use shared::ErrorKind;
use shared::api::search::{SearchHit, SearchHitPlace, SearchQuery, SearchResponse, SearchScope};
use shared::limits::SEARCH_QUERY_MAX_CHARS;
use shared::taxonomy::Topic;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_select::TaxonomySelect;

/// One search as the address holds it; anything unreadable there is ignored.
#[derive(Clone, Debug, Default, PartialEq)]
struct Criteria {
    q: String,
    topic: Option<Topic>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    scope: Option<SearchScope>,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn scope_slug(scope: Option<SearchScope>) -> &'static str {
    match scope {
        None => "",
        Some(SearchScope::Threads) => "threads",
        Some(SearchScope::Messages) => "messages",
    }
}

fn parse_scope(slug: &str) -> Option<SearchScope> {
    match slug {
        "threads" => Some(SearchScope::Threads),
        "messages" => Some(SearchScope::Messages),
        _ => None,
    }
}

impl Criteria {
    fn from_params(params: &ParamsMap) -> Self {
        let get = |key: &str| params.get(key).unwrap_or_default();
        Self {
            q: get("q").trim().to_owned(),
            topic: Topic::from_slug(&get("topic")),
            from: parse_date(&get("from")),
            to: parse_date(&get("to")),
            scope: parse_scope(&get("scope")),
        }
    }

    /// `/search?q=…` with only the parts that are set.
    fn path(&self) -> String {
        let from = date_text(self.from);
        let to = date_text(self.to);
        let parts: Vec<String> = [
            ("q", self.q.as_str()),
            ("topic", self.topic.map(Topic::slug).unwrap_or_default()),
            ("from", from.as_str()),
            ("to", to.as_str()),
            ("scope", scope_slug(self.scope)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
        if parts.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{}", parts.join("&"))
        }
    }

    fn request(&self) -> SearchQuery {
        SearchQuery {
            q: self.q.clone(),
            topic: self.topic.map(|t| t.slug().to_owned()),
            from: self.from,
            to: self.to,
            scope: self.scope,
        }
    }

    fn is_filtered(&self) -> bool {
        self.topic.is_some() || self.from.is_some() || self.to.is_some() || self.scope.is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Nothing asked yet.
    Idle,
    Searching,
    Done(SearchResponse),
    Failed(String),
}

/// The sentence the status line reads out once a search is answered.
fn count_sentence(found: &SearchResponse, c: &Criteria) -> String {
    let filters = if c.is_filtered() {
        " with these filters"
    } else {
        ""
    };
    match found.hits.len() {
        0 => format!("No results for “{}”{filters}.", c.q),
        1 => format!("1 result for “{}”{filters}.", c.q),
        n if found.more => format!("{n} results for “{}”{filters}, the best first.", c.q),
        n => format!("{n} results for “{}”{filters}.", c.q),
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    set_page_title("Search");
    let session = use_session();
    let params = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let applied = Memo::new(move |_| params.with(Criteria::from_params));

    // The form's drafts follow the address (Back, a followed link).
    let q = RwSignal::new(String::new());
    let topic = RwSignal::new(None::<Topic>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let q_error = RwSignal::new(None::<String>);
    let to_error = RwSignal::new(None::<String>);
    let phase = RwSignal::new(Phase::Idle);
    // Only the newest search's answer counts; an older one may come later.
    let latest = StoredValue::new(0_u64);

    let run = move |c: Criteria| {
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        if c.q.is_empty() {
            phase.set(Phase::Idle);
            return;
        }
        phase.set(Phase::Searching);
        spawn_local(async move {
            let result = api::search(&c.request()).await;
            // The person may have left the page, or searched again, meanwhile.
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(found) => phase.set(Phase::Done(found)),
                Err(e) if session.auth.check(&e) => {}
                Err(e) if e.kind == ErrorKind::Validation => {
                    phase.set(Phase::Idle);
                    match e.field.as_deref() {
                        Some("from" | "to") => to_error.set(Some(e.message)),
                        _ => q_error.set(Some(e.message)),
                    }
                }
                Err(e) => phase.set(Phase::Failed(e.message)),
            }
        });
    };

    Effect::new(move |_| {
        let c = applied.get();
        q.set(c.q.clone());
        topic.set(c.topic);
        from.set(date_text(c.from));
        to.set(date_text(c.to));
        scope.set(scope_slug(c.scope).to_owned());
        q_error.set(None);
        to_error.set(None);
        run(c);
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = q.get_untracked().trim().to_owned();
        let c = Criteria {
            q: text.clone(),
            topic: topic.get_untracked(),
            from: parse_date(&from.get_untracked()),
            to: parse_date(&to.get_untracked()),
            scope: parse_scope(&scope.get_untracked()),
        };
        q_error.set(None);
        to_error.set(None);
        if text.is_empty() {
            q_error.set(Some("Type a word or two to search for.".to_owned()));
            focus_later("search-q");
            return;
        }
        if text.chars().count() > SEARCH_QUERY_MAX_CHARS {
            q_error.set(Some(format!(
                "Search for at most {SEARCH_QUERY_MAX_CHARS} characters."
            )));
            focus_later("search-q");
            return;
        }
        if let (Some(start), Some(end)) = (c.from, c.to)
            && end < start
        {
            to_error.set(Some("The “To” day is before the “From” day.".to_owned()));
            focus_later("search-to");
            return;
        }
        if c == applied.get_untracked() {
            // The same search again: the address stays, the answer may not.
            run(c);
        } else {
            let path = c.path();
            navigate.with_value(|navigate| navigate(&path, Default::default()));
        }
    };

    let status = move || {
        phase.with(|p| match p {
            Phase::Idle | Phase::Failed(_) => String::new(),
            Phase::Searching => "Searching…".to_owned(),
            Phase::Done(found) => applied.with(|c| count_sentence(found, c)),
        })
    };
    let q_described = move || {
        let mut ids = vec!["search-q-hint"];
        if q_error.with(Option::is_some) {
            ids.push("search-q-error");
        }
        ids.join(" ")
    };

    view! {
        <main id="main" class="page search-page">
            <h1>"Search"</h1>
            <form
                class="search-form"
                role="search"
                aria-label="Search threads and messages"
                novalidate
                on:submit=submit
            >
                <div class="field search-q-field" class:has-error=move || q_error.with(Option::is_some)>
                    <label for="search-q">"Search threads and messages"</label>
                    <input
                        id="search-q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        aria-invalid=move || q_error.with(Option::is_some).then_some("true")
                        aria-describedby=q_described
                        prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev))
                    />
                    <p class="hint" id="search-q-hint">
                        "Finds every word you type; the last may be the start of a word."
                    </p>
                    <p class="field-error" id="search-q-error" role="alert">
                        {move || q_error.get()}
                    </p>
                </div>
                <TaxonomySelect
                    id="search-topic"
                    value=topic
                    empty_label="Any topic"
                    hint="Topics apply to threads; messages have none."
                >
                    "Topic"
                </TaxonomySelect>
                <div class="field">
                    <label for="search-from">"From"</label>
                    <input
                        id="search-from"
                        name="from"
                        type="date"
                        prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))
                    />
                </div>
                <div class="field" class:has-error=move || to_error.with(Option::is_some)>
                    <label for="search-to">"To"</label>
                    <input
                        id="search-to"
                        name="to"
                        type="date"
                        aria-invalid=move || to_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            to_error.with(Option::is_some).then_some("search-to-error")
                        }
                        prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="search-to-error" role="alert">
                        {move || to_error.get()}
                    </p>
                </div>
                <div class="field">
                    <label for="search-scope">"Look in"</label>
                    <select
                        id="search-scope"
                        name="scope"
                        on:change=move |ev| scope.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || scope.with(String::is_empty)>
                            "Everything"
                        </option>
                        <option value="threads" prop:selected=move || scope.with(|s| s == "threads")>
                            "Threads"
                        </option>
                        <option value="messages" prop:selected=move || scope.with(|s| s == "messages")>
                            "Messages"
                        </option>
                    </select>
                </div>
                <div class="search-actions">
                    <button
                        type="submit"
                        id="search-submit"
                        class="button primary"
                        aria-busy=move || phase.with(|p| *p == Phase::Searching).then_some("true")
                    >
                        "Search"
                    </button>
                </div>
            </form>
            <p id="search-status" class="directory-status" role="status">
                {status}
            </p>
            {move || match phase.get() {
                Phase::Failed(message) => {
                    let retry = Callback::new(move |()| run(applied.get_untracked()));
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Phase::Done(found) => view! { <SearchResults found=found /> }.into_any(),
                Phase::Idle | Phase::Searching => ().into_any(),
            }}
        </main>
    }
}

#[component]
fn SearchResults(found: SearchResponse) -> impl IntoView {
    let more = found.more;
    view! {
        <ol id="search-results" class="search-results">
            {found
                .hits
                .into_iter()
                .map(|hit| view! { <SearchHitItem hit=hit /> })
                .collect_view()}
        </ol>
        {more
            .then(|| {
                view! {
                    <p id="search-more" class="notice">
                        "More results exist; narrow your search with more words, a topic or dates to find the one you want."
                    </p>
                }
            })}
    }
}

#[component]
fn SearchHitItem(hit: SearchHit) -> impl IntoView {
    let (href, title, kind) = match &hit.place {
        SearchHitPlace::Post {
            thread_id,
            post_id,
            thread_title,
        } => (
            format!("/threads/{thread_id}#post-{post_id}"),
            thread_title.clone(),
            "Thread post",
        ),
        // The room opens at the message when it is among the ones it loads.
        SearchHitPlace::Message {
            room_id,
            message_id,
            room_title,
            ..
        } => (
            format!("/rooms/{room_id}#message-{message_id}"),
            room_title.clone(),
            "Message",
        ),
    };
    let kind_slug = match hit.place {
        SearchHitPlace::Post { .. } => "post",
        SearchHitPlace::Message { .. } => "message",
    };
    let when = format_time(&hit.created_at);
    let iso = hit.created_at.to_rfc3339();
    let snippet = hit
        .snippet
        .into_iter()
        .map(|part| {
            if part.hit {
                view! { <mark>{part.text}</mark> }.into_any()
            } else {
                part.text.into_any()
            }
        })
        .collect_view();
    view! {
        <li class="search-hit" data-kind=kind_slug>
            <h2 class="search-hit-title">
                <a href=href>{title}</a>
            </h2>
            <p class="search-hit-meta muted">
                {kind}
                " · "
                <span class="search-hit-author">{hit.author.display_name}</span>
                " · "
                <time datetime=iso>{when}</time>
            </p>
            <p class="search-snippet">{snippet}</p>
        </li>
    }
}
