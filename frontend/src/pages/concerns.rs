//! Safeguarding concerns: the ones the reader handles (as an organisation's
//! safeguarding lead, or on the programme team) and the ones they raised,
//! open ones first as the server orders them. The state filter lives in
//! the address (`?status=new`) so a filtered list can be linked. The list
//! reloads quietly whenever a concern of the reader's is raised or changes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::concerns::{ConcernStatus, ConcernSummary, ListConcernsResponse};

use crate::api::trust;
use crate::app::{set_page_title, use_session};
use crate::components::concern_row::ConcernRow;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum ListLoad {
    Loading,
    Ready(ListConcernsResponse),
    Failed(String),
}

#[component]
pub fn ConcernsPage() -> impl IntoView {
    set_page_title("Safeguarding concerns");
    let session = use_session();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let status = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .and_then(|s| ConcernStatus::from_slug(&s))
    });
    let is_admin = move || session.auth.user().is_some_and(|u| u.is_admin);

    let load = RwSignal::new(ListLoad::Loading);
    let latest = StoredValue::new(0u64);
    let fetch = move |quiet: bool| {
        let Some(ticket) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        if !quiet {
            load.set(ListLoad::Loading);
        }
        let filter = status.get_untracked();
        spawn_local(async move {
            let result = trust::list_concerns(filter).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(list) => {
                    let _ = load.try_set(ListLoad::Ready(list));
                }
                Err(e) if session.auth.check(&e) => {}
                // A live reload that fails keeps what is shown.
                Err(_) if quiet && load.with_untracked(|l| matches!(l, ListLoad::Ready(_))) => {}
                Err(e) => {
                    let _ = load.try_set(ListLoad::Failed(e.message));
                }
            }
        });
    };
    Effect::new(move |_| {
        status.track();
        fetch(false);
    });
    Effect::new(move |seen: Option<()>| {
        let hit = session.ws.concern_changed(None);
        if seen.is_some() && hit {
            fetch(true);
        }
    });

    let choose_status = move |ev: leptos::ev::Event| {
        let path = match ConcernStatus::from_slug(&event_target_value(&ev)) {
            Some(s) => format!("/concerns?status={}", s.slug()),
            None => "/concerns".to_owned(),
        };
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&path, options));
    };
    let status_options = ConcernStatus::ALL
        .iter()
        .copied()
        .map(|s| {
            view! {
                <option value=s.slug() prop:selected=move || status.get() == Some(s)>
                    {s.label()}
                </option>
            }
        })
        .collect_view();

    let handling = Memo::new(move |_| match load.get() {
        ListLoad::Ready(list) => Some(list.handling),
        _ => None,
    });
    let raised = Memo::new(move |_| match load.get() {
        ListLoad::Ready(list) => Some(list.raised),
        _ => None,
    });
    // Leads and the programme team see what they handle even when it is
    // nothing; everyone else only once something comes their way.
    let show_handling =
        move || is_admin() || handling.with(|h| h.as_ref().is_some_and(|h| !h.is_empty()));

    view! {
        <main id="main" class="page concerns-page">
            <h1>"Safeguarding concerns"</h1>
            <p>
                "A safeguarding concern is a worry about someone’s safety. It goes to the safeguarding lead of the organisation you choose and to the programme team, who must acknowledge it. To flag a message or post that breaks the rules, report it instead."
            </p>
            <p>
                <a id="raise-concern" class="button primary" href="/concerns/new">
                    "Raise a safeguarding concern"
                </a>
            </p>
            <form
                class="thread-filter"
                role="search"
                aria-label="Filter concerns"
                novalidate
                on:submit=move |ev| ev.prevent_default()
            >
                <div class="field">
                    <label for="concern-status-filter">"Show"</label>
                    <select id="concern-status-filter" name="status" on:change=choose_status>
                        <option value="" prop:selected=move || status.with(Option::is_none)>
                            "All concerns"
                        </option>
                        {status_options}
                    </select>
                </div>
            </form>
            {move || match load.get() {
                ListLoad::Loading => {
                    view! { <p class="muted" role="status">"Loading concerns…"</p> }.into_any()
                }
                ListLoad::Failed(message) => {
                    view! {
                        <RetryNotice message=message on_retry=Callback::new(move |()| fetch(false)) />
                    }
                        .into_any()
                }
                ListLoad::Ready(_) => ().into_any(),
            }}
            <Show when=move || handling.with(Option::is_some) && show_handling()>
                <ConcernSection
                    id="concerns-handling"
                    heading="Concerns you handle"
                    empty=Signal::derive(move || match status.get() {
                        Some(s) => format!("No concerns to handle that are {}.", s.label().to_lowercase()),
                        None => "Nothing to handle. Concerns raised for your organisations will appear here.".to_owned(),
                    })
                    items=Signal::derive(move || handling.get().unwrap_or_default())
                />
            </Show>
            <Show when=move || raised.with(Option::is_some)>
                <ConcernSection
                    id="concerns-raised"
                    heading="Concerns you raised"
                    empty=Signal::derive(move || match status.get() {
                        Some(s) => format!("None of the concerns you raised are {}.", s.label().to_lowercase()),
                        None => "You have not raised any concerns.".to_owned(),
                    })
                    items=Signal::derive(move || raised.get().unwrap_or_default())
                />
            </Show>
        </main>
    }
}

#[component]
fn ConcernSection(
    id: &'static str,
    heading: &'static str,
    empty: Signal<String>,
    items: Signal<Vec<ConcernSummary>>,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    view! {
        <section class="concern-section" id=id aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            <Show
                when=move || items.with(|i| !i.is_empty())
                fallback=move || view! { <p class="empty-note">{move || empty.get()}</p> }
            >
                <ul class="concern-list">
                    <For
                        each=move || items.get()
                        key=|c| (c.id, c.status, c.overdue)
                        children=|c| view! { <ConcernRow concern=c /> }
                    />
                </ul>
            </Show>
        </section>
    }
}
