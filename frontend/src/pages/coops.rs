//! The co-operative directory (and, for the programme team, creating one).
//!
//! The locality filter lives in the address (`?locality=`), so a filtered
//! list can be linked. Above the list, "Waiting for you": the pending
//! requests and invitations, across co-ops, the viewer may decide or withdraw.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::coops::{CoopCard, CoopRequestView, ListCoops, SaveCoop};
use shared::api::users::UserSummary;
use shared::ws::CoopPart;

use crate::api::coops;
use crate::app::{set_page_title, use_session};
use crate::components::coop_about::check_coop;
use crate::components::coop_person_picker::CoopPersonPicker;
use crate::components::coop_request_item::CoopRequestItem;
use crate::components::form_errors::{FormErrors, focus_later};
use crate::components::org_text_field::InputField;
use crate::components::retry_notice::RetryNotice;

/// Wait for a pause in typing rather than ask the server on every key.
const FILTER_DELAY: Duration = Duration::from_millis(350);

/// "Loading co-operatives…", "No co-operatives in “Bristol”.", "2 co-operatives."
fn count_sentence(count: Option<usize>, failed: bool, locality: &str) -> String {
    match count {
        None if !failed => "Loading co-operatives…".to_owned(),
        None => String::new(),
        Some(0) if !locality.is_empty() => {
            format!("No co-operatives in a locality matching “{locality}”.")
        }
        Some(0) => "There are no co-operatives yet.".to_owned(),
        Some(1) => "1 co-operative.".to_owned(),
        Some(n) => format!("{n} co-operatives."),
    }
}

#[component]
pub fn CoopsPage() -> impl IntoView {
    set_page_title("Co-operatives");
    let session = use_session();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let locality = Memo::new(move |_| {
        query
            .read()
            .get("locality")
            .map(|l| l.trim().to_owned())
            .unwrap_or_default()
    });
    let is_admin = move || session.auth.user().is_some_and(|u| u.is_admin);

    let list = LocalResource::new(move || {
        let filter = ListCoops {
            locality: Some(locality.get()).filter(|l| !l.is_empty()),
        };
        async move { coops::list_coops(&filter).await }
    });
    // The last list that loaded stays on screen while another loads.
    let cards = Memo::new(move |_| match list.get() {
        Some(Ok(found)) => Some(found.coops),
        _ => None,
    });
    let failure = Memo::new(move |_| match list.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });
    // Member counts and badges follow joins and leaves.
    Effect::new(move |seen: Option<u64>| {
        let (latest, parts) = session.ws.coop_changes(0, seen);
        if parts.contains(&CoopPart::Home) {
            list.refetch();
        }
        latest
    });

    // The filter box: typing applies after a pause, Enter at once.
    let draft = RwSignal::new(locality.get_untracked());
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let clear_timer = move || {
        if let Some(t) = timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    };
    on_cleanup(clear_timer);
    let apply = move || {
        clear_timer();
        let (Some(text), Some(applied)) = (draft.try_get_untracked(), locality.try_get_untracked())
        else {
            return;
        };
        let text = text.trim().to_owned();
        if text == applied {
            return;
        }
        let path = if text.is_empty() {
            "/coops".to_owned()
        } else {
            format!("/coops?locality={}", js_sys::encode_uri_component(&text))
        };
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.try_with_value(|navigate| navigate(&path, options));
    };
    let on_input = move |ev| {
        draft.set(event_target_value(&ev));
        clear_timer();
        if let Ok(handle) = set_timeout_with_handle(apply, FILTER_DELAY) {
            timer.set_value(Some(handle));
        }
    };
    let status_text = move || {
        count_sentence(
            cards.with(|c| c.as_ref().map(Vec::len)),
            failure.with(Option::is_some),
            &locality.get(),
        )
    };

    view! {
        <main id="main" class="page coops-page">
            <h1>"Co-operatives"</h1>
            <p>
                "Local groups of organisations that work with the health sector together: joint bids, shared referral routes, one voice."
            </p>
            <WaitingForYou />
            <Show when=is_admin>
                <NewCoopForm />
            </Show>
            <section class="coop-section" aria-labelledby="coop-directory-heading">
                <h2 id="coop-directory-heading">"All co-operatives"</h2>
                <form
                    class="directory-filters coop-filters"
                    role="search"
                    aria-label="Filter co-operatives"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        apply();
                    }
                >
                    <div class="field">
                        <label for="coop-filter-locality">"Locality"</label>
                        <input
                            id="coop-filter-locality"
                            name="locality"
                            type="search"
                            autocomplete="address-level2"
                            spellcheck="false"
                            aria-describedby="coop-directory-status"
                            prop:value=move || draft.get()
                            on:input=on_input
                        />
                    </div>
                    <div class="filter-actions">
                        <button type="submit" class="button secondary" id="coop-filter-apply">
                            "Filter"
                        </button>
                        <Show when=move || !locality.with(String::is_empty)>
                            <button
                                type="button"
                                class="link-button"
                                id="coop-filter-clear"
                                on:click=move |_| {
                                    draft.set(String::new());
                                    apply();
                                }
                            >
                                "Show every locality"
                            </button>
                        </Show>
                    </div>
                </form>
                <p id="coop-directory-status" class="directory-status" role="status">
                    {status_text}
                </p>
                {move || {
                    failure
                        .get()
                        .map(|e| {
                            view! {
                                <RetryNotice message=e.message on_retry=Callback::new(move |()| list.refetch()) />
                            }
                        })
                }}
                <ul id="coop-list" class="card-list">
                    <For
                        each=move || cards.get().unwrap_or_default()
                        key=card_key
                        children=|card| view! { <CoopCardItem card=card /> }
                    />
                </ul>
            </section>
        </main>
    }
}

/// Everything a card shows, so a changed co-op is drawn again.
fn card_key(c: &CoopCard) -> impl std::hash::Hash + Eq + use<> {
    (
        c.id,
        c.name.clone(),
        c.locality.clone(),
        c.purpose.clone(),
        c.member_count,
        c.is_member,
        c.is_coordinator,
    )
}

#[component]
fn CoopCardItem(card: CoopCard) -> impl IntoView {
    let members = match card.member_count {
        0 => "No member organisations yet".to_owned(),
        1 => "1 member organisation".to_owned(),
        n => format!("{n} member organisations"),
    };
    let badge = if card.is_coordinator {
        Some("You coordinate")
    } else if card.is_member {
        Some("You are a member")
    } else {
        None
    };
    view! {
        <li class="coop-card card" data-coop-id=card.id>
            <h3 class="card-title">
                <a href=format!("/coops/{}", card.id)>{card.name}</a>
            </h3>
            {badge
                .map(|b| {
                    view! {
                        <p class="card-marker">
                            <span class="label-tag coop-badge">{b}</span>
                        </p>
                    }
                })}
            <dl class="facts compact">
                <div>
                    <dt>"Locality"</dt>
                    <dd class="coop-card-locality">{card.locality}</dd>
                </div>
                <div>
                    <dt>"Members"</dt>
                    <dd class="coop-card-members">{members}</dd>
                </div>
            </dl>
            <p class="coop-card-purpose">{card.purpose}</p>
        </li>
    }
}

/// Pending requests and invitations the viewer may decide or withdraw, in
/// every co-op; nothing at all when there are none.
#[component]
fn WaitingForYou() -> impl IntoView {
    let session = use_session();
    let requests = RwSignal::new(Vec::<CoopRequestView>::new());
    let failed = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match coops::coop_requests().await {
                Ok(found) => {
                    let _ = requests.try_set(found.requests);
                    let _ = failed.try_set(None);
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let _ = failed.try_set(Some(e.message));
                }
            }
        });
    };
    load();
    // An invitation or request may arrive, or be settled elsewhere.
    Effect::new(move |seen: Option<u64>| {
        let (latest, parts) = session.ws.coop_changes(0, seen);
        if parts.contains(&CoopPart::Home) {
            load();
        }
        latest
    });
    let on_done = Callback::new(move |(done, said): (CoopRequestView, String)| {
        let _ = requests.try_update(|r| r.retain(|x| x.id != done.id));
        let _ = status.try_set(Some(said));
        focus_later("coop-waiting-heading");
    });
    let shown = move || {
        requests.with(|r| !r.is_empty())
            || failed.with(Option::is_some)
            || status.with(Option::is_some)
    };

    view! {
        <Show when=shown>
            <section id="coop-waiting" class="coop-section coop-waiting" aria-labelledby="coop-waiting-heading">
                <h2 id="coop-waiting-heading" tabindex="-1">
                    "Waiting for you"
                </h2>
                <p id="coop-waiting-status" class="form-status" role="status">
                    {move || status.get()}
                </p>
                {move || {
                    failed
                        .get()
                        .map(|message| {
                            view! { <RetryNotice message=message on_retry=Callback::new(move |()| load()) /> }
                        })
                }}
                <Show
                    when=move || requests.with(|r| !r.is_empty())
                    fallback=|| view! { <p class="empty-note">"Nothing else is waiting for you."</p> }
                >
                    <ul class="coop-requests">
                        <For
                            each=move || requests.get()
                            key=|r| r.id
                            children=move |request| {
                                view! { <CoopRequestItem request=request show_coop=true on_done=on_done /> }
                            }
                        />
                    </ul>
                </Show>
            </section>
        </Show>
    }
}

/// API field name and DOM id of the new co-op form's fields, in form order.
const NEW_FIELDS: [(&str, &str); 4] = [
    ("name", "coop-new-name"),
    ("locality", "coop-new-locality"),
    ("purpose", "coop-new-purpose"),
    ("coordinator_ids", "coop-new-coordinator"),
];

/// For the programme team: a new co-op with its first coordinator; on
/// success, its page.
#[component]
fn NewCoopForm() -> impl IntoView {
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let name = RwSignal::new(String::new());
    let locality = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let coordinator = RwSignal::new(None::<UserSummary>);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let field_error = move |field: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(field).cloned()))
    };
    let show = move |found: FormErrors| {
        focus_later(if found.fields.is_empty() {
            "coop-new-error"
        } else {
            found.focus_target(&NEW_FIELDS)
        });
        errors.set(found);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (n, l, p) = (
            name.get_untracked(),
            locality.get_untracked(),
            purpose.get_untracked(),
        );
        let mut found = check_coop(&n, &l, &p);
        let chosen = coordinator.get_untracked();
        if chosen.is_none() {
            found.field(
                "coordinator_ids",
                "Choose the first coordinator: search by name, then pick them from the list.",
            );
        }
        let (Some(first), true) = (chosen, found.is_empty()) else {
            show(found);
            return;
        };
        errors.set(FormErrors::default());
        let body = SaveCoop {
            name: n.trim().to_owned(),
            locality: l.trim().to_owned(),
            purpose: p.trim().to_owned(),
            coordinator_ids: vec![first.id],
        };
        busy.set(true);
        spawn_local(async move {
            let result = coops::create_coop(&body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let path = format!("/coops/{}", view.id);
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let names: Vec<&str> = NEW_FIELDS.iter().map(|(n, _)| *n).collect();
                    show(FormErrors::from_api(e, &names));
                }
            }
        });
    };

    view! {
        <section class="coop-section" aria-labelledby="coop-new-heading">
            <h2 id="coop-new-heading">"New co-operative"</h2>
            <p class="hint">"For the programme team: a co-op starts with one coordinator, who can then invite organisations."</p>
            <form id="coop-new-form" class="stack coop-form" novalidate on:submit=on_submit>
                    <div id="coop-new-error" class="form-error" role="alert" tabindex="-1">
                        {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
                    </div>
                    <InputField
                        id="coop-new-name"
                        label="Name"
                        value=name
                        required=true
                        autocomplete="off"
                        error=field_error("name")
                    />
                    <InputField
                        id="coop-new-locality"
                        label="Locality"
                        value=locality
                        required=true
                        autocomplete="address-level2"
                        hint="The town, city or area it works in."
                        error=field_error("locality")
                    />
                    <InputField
                        id="coop-new-purpose"
                        label="Purpose"
                        value=purpose
                        required=true
                        multiline=true
                        hint="What the organisations are in it together for, such as a joint bid or shared referral routes."
                        error=field_error("purpose")
                    />
                    <CoopPersonPicker
                        input_id="coop-new-coordinator"
                        label="First coordinator"
                        chosen=coordinator
                        hint="They admit organisations and open rooms; they can add more coordinators."
                        error=field_error("coordinator_ids")
                    />
                    <button
                        type="submit"
                        id="coop-new-submit"
                        class="button primary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {move || if busy.get() { "Creating…" } else { "Create co-operative" }}
                    </button>
                </form>
        </section>
    }
}
