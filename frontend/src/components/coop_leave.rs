//! "Leave the co-operative", for leads of member organisations, behind a
//! confirmation (choosing the organisation when they lead more than one).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::OrganisationId;
use shared::api::coops::{CoopView, LeaveCoop};

use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopLeave(coop: RwSignal<CoopView>, status: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    // The organisations the viewer leads that are members, with their names.
    let mine = Memo::new(move |_| {
        coop.with(|c| {
            c.viewer
                .leads_members
                .iter()
                .map(|id| {
                    let name = c
                        .members
                        .iter()
                        .find(|m| m.organisation.id == *id)
                        .map(|m| m.organisation.name.clone())
                        .unwrap_or_else(|| "Your organisation".to_owned());
                    (*id, name)
                })
                .collect::<Vec<_>>()
        })
    });
    let confirming = RwSignal::new(false);
    let chosen = RwSignal::new(None::<OrganisationId>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let which = move || {
        let mine = mine.get_untracked();
        chosen
            .get_untracked()
            .and_then(|id| mine.iter().find(|(o, _)| *o == id).cloned())
            .or_else(|| mine.first().cloned())
    };

    let leave = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some((org_id, name)) = which() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = coops::remove_member(coop_id, org_id, &LeaveCoop::default()).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = confirming.try_set(false);
                    let _ = coop.try_set(view);
                    let _ = status.try_set(Some(format!("{name} has left the co-operative.")));
                    focus_later("coop-members-heading");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = error.try_set(Some(format!("Could not leave. {}", e.message)));
                    }
                }
            }
        });
    };

    let question = move || {
        let name = chosen
            .get()
            .and_then(|id| mine.with(|m| m.iter().find(|(o, _)| *o == id).map(|(_, n)| n.clone())))
            .or_else(|| mine.with(|m| m.first().map(|(_, n)| n.clone())))
            .unwrap_or_default();
        format!(
            "Take {name} out of the co-operative? Its staff will stop seeing the co-op's rooms, log, events and threads. You can ask to join again later."
        )
    };

    view! {
        <Show when=move || !mine.with(Vec::is_empty)>
            <div class="coop-leave">
                <h3 id="coop-leave-heading">"Leaving"</h3>
                <Show when=move || mine.with(|m| m.len() > 1)>
                    <div class="field">
                        <label for="coop-leave-org">"Organisation"</label>
                        <select
                            id="coop-leave-org"
                            name="organisation_id"
                            on:change=move |ev| {
                                chosen.set(event_target_value(&ev).parse::<OrganisationId>().ok());
                            }
                        >
                            <For
                                each=move || mine.get()
                                key=|(id, _)| *id
                                children=move |(id, name)| {
                                    view! { <option value=id.to_string()>{name}</option> }
                                }
                            />
                        </select>
                    </div>
                </Show>
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                id="coop-leave"
                                class="button secondary"
                                on:click=move |_| {
                                    error.set(None);
                                    confirming.set(true);
                                    focus_later("coop-leave-cancel");
                                }
                            >
                                "Leave the co-operative"
                            </button>
                        }
                    }
                >
                    <div class="coop-confirm" role="group" aria-labelledby="coop-leave-question">
                        <p id="coop-leave-question">{question}</p>
                        <div class="inline-actions">
                            <button
                                type="button"
                                id="coop-leave-confirm"
                                class="button danger"
                                aria-busy=move || busy.get().then_some("true")
                                on:click=leave
                            >
                                "Yes, leave"
                            </button>
                            <button
                                type="button"
                                id="coop-leave-cancel"
                                class="button secondary"
                                on:click=move |_| {
                                    confirming.set(false);
                                    focus_later("coop-leave");
                                }
                            >
                                "Stay"
                            </button>
                        </div>
                    </div>
                </Show>
                <div id="coop-leave-error" class="form-error" role="alert">
                    {move || error.get().map(|m| view! { <p>{m}</p> })}
                </div>
            </div>
        </Show>
    }
}
