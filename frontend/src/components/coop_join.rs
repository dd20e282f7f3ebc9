//! "Ask to join", for leads of organisations that are not members: choosing
//! the organisation when they lead more than one, with an optional note.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::OrganisationId;
use shared::api::coops::{CoopView, CreateCoopRequest};

use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopJoin(
    coop: RwSignal<CoopView>,
    /// After a request went out: the page reloads the co-op.
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let options = Memo::new(move |_| coop.with(|c| c.viewer.may_request_for.clone()));
    let chosen = RwSignal::new(None::<OrganisationId>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let orgs = options.get_untracked();
        let org = match (chosen.get_untracked(), orgs.as_slice()) {
            (Some(id), _) => orgs.iter().find(|o| o.id == id).cloned(),
            (None, [only]) => Some(only.clone()),
            (None, _) => None,
        };
        let Some(org) = org else {
            error.set(Some(
                "Choose the organisation that wants to join.".to_owned(),
            ));
            focus_later("coop-join-org");
            return;
        };
        error.set(None);
        status.set(None);
        busy.set(true);
        let body = CreateCoopRequest {
            organisation_id: org.id,
            message: note.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            let result = coops::request_to_join(coop_id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    let _ = note.try_set(String::new());
                    let _ = chosen.try_set(None);
                    let _ = status.try_set(Some(format!(
                        "Asked for {} to join. A coordinator will decide; you can withdraw the request until then.",
                        org.name
                    )));
                    on_changed.try_run(());
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = error.try_set(Some(format!("Could not ask. {}", e.message)));
                        focus_later("coop-join-error");
                    }
                }
            }
        });
    };

    let described = move || {
        let mut ids = vec!["coop-join-hint"];
        if error.with(Option::is_some) {
            ids.push("coop-join-error");
        }
        ids.join(" ")
    };

    view! {
        <Show when=move || !options.with(Vec::is_empty)>
            <form id="coop-join-form" class="coop-form" novalidate on:submit=on_submit>
                <h3 id="coop-join-heading">"Ask to join"</h3>
                <p class="hint" id="coop-join-hint">
                    "The coordinators decide. Once in, your organisation's staff can use the co-op's rooms, log, events and threads."
                </p>
                <Show when=move || options.with(|o| o.len() > 1)>
                    <div class="field">
                        <label for="coop-join-org">"Organisation"</label>
                        <select
                            id="coop-join-org"
                            name="organisation_id"
                            aria-invalid=move || error.with(Option::is_some).then_some("true")
                            aria-describedby=described
                            on:change=move |ev| {
                                chosen.set(event_target_value(&ev).parse::<OrganisationId>().ok());
                            }
                        >
                            <option value="" prop:selected=move || chosen.with(Option::is_none)>
                                "Choose an organisation"
                            </option>
                            <For
                                each=move || options.get()
                                key=|o| o.id
                                children=move |o| {
                                    let id = o.id;
                                    view! {
                                        <option
                                            value=id.to_string()
                                            prop:selected=move || chosen.get() == Some(id)
                                        >
                                            {o.name}
                                        </option>
                                    }
                                }
                            />
                        </select>
                    </div>
                </Show>
                <Show when=move || options.with(|o| o.len() == 1)>
                    <p class="coop-join-for">
                        "For "
                        <strong>
                            {move || options.with(|o| o.first().map(|o| o.name.clone()))}
                        </strong>
                    </p>
                </Show>
                <div class="field">
                    <label for="coop-join-note">"Note to the coordinators (optional)"</label>
                    <textarea
                        id="coop-join-note"
                        name="message"
                        rows="3"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div id="coop-join-error" class="form-error" role="alert" tabindex="-1">
                    {move || error.get().map(|m| view! { <p>{m}</p> })}
                </div>
                <button
                    type="submit"
                    id="coop-join-submit"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    "Ask to join"
                </button>
            </form>
        </Show>
        <p id="coop-join-status" class="form-status" role="status">
            {move || status.get()}
        </p>
    }
}
