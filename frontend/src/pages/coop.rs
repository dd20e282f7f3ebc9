//! A co-operative's home: members, rooms, actions, decisions, events, threads, requests and history.
//!
//! Everyone signed in sees the details, coordinators, members, the requests
//! they may act on and the history; the co-op's members (staff of member
//! organisations and coordinators) also see the rooms, the log, events and
//! threads. The programme team manages membership but never sees those, so
//! the page does not ask for them unless the viewer is a member. Each part
//! reloads quietly when the server says it changed (`coop_changed`), and
//! everything once after a reconnect.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::ErrorKind;
use shared::api::coops::{CoopId, CoopView, EventView, RecordsResponse};
use shared::ws::CoopPart;

use crate::api::ApiResult;
use crate::api::coops;
use crate::app::{Session, set_page_title, use_session};
use crate::components::coop_about::CoopAbout;
use crate::components::coop_actions::CoopActions;
use crate::components::coop_coordinators::CoopCoordinators;
use crate::components::coop_decisions::CoopDecisions;
use crate::components::coop_events::CoopEvents;
use crate::components::coop_history::CoopHistory;
use crate::components::coop_invite::CoopInvite;
use crate::components::coop_join::CoopJoin;
use crate::components::coop_leave::CoopLeave;
use crate::components::coop_members::CoopMembers;
use crate::components::coop_requests::CoopRequests;
use crate::components::coop_rooms::CoopRooms;
use crate::components::coop_threads::CoopThreads;
use crate::page_load::{LoadedPage, load_by_id};

/// One members-only part of the page (the log, the events).
#[derive(Clone, Debug, PartialEq)]
pub enum Part<T> {
    Loading,
    Ready(T),
    Failed(String),
}

#[component]
pub fn CoopPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<CoopId>().ok())
    });
    let (load, retry) = load_by_id(id, coops::coop);

    view! {
        <main id="main" class="page coop-page">
            <LoadedPage
                load=load
                retry=retry
                title="Co-operative"
                loading="Loading the co-operative…"
                missing_title="Co-operative not found"
                missing_id="coop-missing"
                missing_text="There is no co-operative at this address. "
                back_href="/coops"
                back_text="Go to the co-operatives"
                ready=|subject| view! { <CoopBody initial=subject /> }.into_any()
            />
        </main>
    }
}

/// Loads one members-only part into `state`; `quiet` keeps what is shown
/// until the answer comes (live reloads), and a failed quiet reload leaves
/// it as it was.
fn load_part<T, Fut>(
    session: Session,
    state: RwSignal<Part<T>>,
    latest: StoredValue<u64>,
    quiet: bool,
    get: impl FnOnce() -> Fut + 'static,
) where
    T: Send + Sync + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let Some(ticket) = latest.try_update_value(|n| {
        *n += 1;
        *n
    }) else {
        return;
    };
    if !quiet {
        state.set(Part::Loading);
    }
    spawn_local(async move {
        let result = get().await;
        if latest.try_get_value() != Some(ticket) {
            return;
        }
        match result {
            Ok(found) => {
                let _ = state.try_set(Part::Ready(found));
            }
            Err(e) if session.auth.check(&e) => {}
            Err(_) if quiet && state.with_untracked(|s| matches!(s, Part::Ready(_))) => {}
            Err(e) => {
                let _ = state.try_set(Part::Failed(e.message));
            }
        }
    });
}

#[component]
fn CoopBody(initial: CoopView) -> impl IntoView {
    let session = use_session();
    let coop_id = initial.id;
    let coop = RwSignal::new(initial);
    let name = Memo::new(move |_| coop.with(|c| c.name.clone()));
    Effect::new(move |_| set_page_title(&name.get()));
    let member = Memo::new(move |_| coop.with(|c| c.viewer.member));
    let coordinator = Memo::new(move |_| coop.with(|c| c.viewer.coordinator));
    let badge = Memo::new(move |_| {
        coop.with(|c| {
            if c.viewer.coordinator {
                Some("You coordinate")
            } else if c.viewer.member {
                Some("You are a member")
            } else {
                None
            }
        })
    });
    let members_status = RwSignal::new(None::<String>);
    let gone = RwSignal::new(false);

    let records = RwSignal::new(Part::<RecordsResponse>::Loading);
    let events = RwSignal::new(Part::<Vec<EventView>>::Loading);
    let records_ticket = StoredValue::new(0u64);
    let events_ticket = StoredValue::new(0u64);
    let home_ticket = StoredValue::new(0u64);
    let threads_refresh = RwSignal::new(0u64);

    let load_records = move |quiet: bool| {
        load_part(session, records, records_ticket, quiet, move || {
            coops::coop_records(coop_id)
        })
    };
    let load_events = move |quiet: bool| {
        load_part(session, events, events_ticket, quiet, move || async move {
            coops::coop_events(coop_id).await.map(|r| r.events)
        })
    };
    let reload_home = move || {
        let Some(ticket) = home_ticket.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        spawn_local(async move {
            let result = coops::coop(coop_id).await;
            if home_ticket.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(view) => {
                    let _ = coop.try_set(view);
                }
                Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => {
                    let _ = gone.try_set(true);
                }
                Err(e) => {
                    session.auth.check(&e);
                }
            }
        });
    };
    let on_changed = Callback::new(move |()| reload_home());

    // The members-only parts load when the viewer is (or becomes) a member,
    // and are dropped when they stop being one.
    Effect::new(move |_| {
        if member.get() {
            load_records(false);
            load_events(false);
        } else {
            records.set(Part::Loading);
            events.set(Part::Loading);
        }
    });

    // Live: reload what changed, quietly.
    Effect::new(move |seen: Option<u64>| {
        let (latest, parts) = session.ws.coop_changes(coop_id, seen);
        let is_member = member.get_untracked();
        for part in &parts {
            match part {
                CoopPart::Home => reload_home(),
                CoopPart::Records if is_member => load_records(true),
                CoopPart::Events if is_member => load_events(true),
                _ => {}
            }
        }
        // After a reconnect every part comes; threads have no event of their own.
        if parts.len() > 1 && is_member {
            threads_refresh.update(|n| *n += 1);
        }
        latest
    });

    view! {
        <h1 id="coop-name">{move || name.get()}</h1>
        <p class="coop-badges">
            {move || {
                badge
                    .get()
                    .map(|b| view! { <span class="label-tag coop-badge">{b}</span> })
            }}
        </p>
        <Show when=move || gone.get()>
            <p class="notice" role="alert" id="coop-gone">
                "This co-operative is no longer open to you. "
                <a href="/coops">"Go to the co-operatives"</a>
            </p>
        </Show>
        <CoopAbout coop=coop />
        <CoopCoordinators coop=coop />
        <section class="coop-section" aria-labelledby="coop-members-heading">
            <h2 id="coop-members-heading" tabindex="-1">
                "Members"
            </h2>
            <p id="coop-members-status" class="form-status" role="status">
                {move || members_status.get()}
            </p>
            <CoopMembers coop=coop status=members_status />
            <CoopJoin coop=coop on_changed=on_changed />
            <CoopLeave coop=coop status=members_status />
            <Show when=move || coordinator.get()>
                <CoopInvite coop=coop on_changed=on_changed />
            </Show>
        </section>
        <CoopRequests coop=coop on_changed=on_changed />
        <Show when=move || member.get()>
            <CoopRooms coop=coop />
            <CoopActions
                coop=coop
                records=records
                retry=Callback::new(move |()| load_records(false))
            />
            <CoopDecisions
                coop_id=coop_id
                records=records
                retry=Callback::new(move |()| load_records(false))
            />
            <CoopEvents
                coop_id=coop_id
                events=events
                retry=Callback::new(move |()| load_events(false))
            />
            <CoopThreads coop_id=coop_id refresh=threads_refresh />
        </Show>
        <CoopHistory history=Signal::derive(move || coop.with(|c| c.history.clone())) />
    }
}
