//! A co-op's coordinators, and for coordinators and the programme team the
//! controls to add one (found by name) or remove one (never the last).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::UserId;
use shared::api::coops::CoopView;
use shared::api::users::UserSummary;

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_person_picker::CoopPersonPicker;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopCoordinators(coop: RwSignal<CoopView>) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let me = untrack(|| session.auth.user()).map(|u| u.id);
    let coordinators = Memo::new(move |_| coop.with(|c| c.coordinators.clone()));
    let may_manage = Memo::new(move |_| coop.with(|c| c.viewer.coordinator || c.viewer.admin));
    let only_one = Memo::new(move |_| coordinators.with(|c| c.len() <= 1));
    let confirming = RwSignal::new(None::<UserId>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(None::<UserSummary>);
    let pick_error = RwSignal::new(None::<String>);

    let failed = move |e: shared::ApiError, what: &str| {
        if !session.auth.check(&e) {
            let _ = error.try_set(Some(format!("{what} {}", e.message)));
            focus_later("coop-coordinators-error");
        }
    };

    let remove = move |user: UserSummary| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        status.set(None);
        spawn_local(async move {
            let result = coops::remove_coordinator(coop_id, user.id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = coop.try_set(view);
                    let _ = confirming.try_set(None);
                    let said = if Some(user.id) == me {
                        "You are no longer a coordinator.".to_owned()
                    } else {
                        format!("{} is no longer a coordinator.", user.display_name)
                    };
                    let _ = status.try_set(Some(said));
                    focus_later("coop-coordinators-heading");
                }
                Err(e) => failed(e, "Could not remove them."),
            }
        });
    };

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(user) = chosen.get_untracked() else {
            pick_error.set(Some(
                "Search for the person by name, then choose them from the list.".to_owned(),
            ));
            focus_later("coop-add-coordinator");
            return;
        };
        pick_error.set(None);
        error.set(None);
        status.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = coops::add_coordinator(coop_id, user.id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = coop.try_set(view);
                    let _ = chosen.try_set(None);
                    let _ = status
                        .try_set(Some(format!("{} is now a coordinator.", user.display_name)));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = pick_error.try_set(Some(e.message));
                    }
                }
            }
        });
    };

    let exclude = Signal::derive(move || coordinators.with(|c| c.iter().map(|u| u.id).collect()));

    view! {
        <section class="coop-section" aria-labelledby="coop-coordinators-heading">
            <h2 id="coop-coordinators-heading" tabindex="-1">
                "Coordinators"
            </h2>
            <ul id="coop-coordinators" class="coop-list">
                <For
                    each=move || coordinators.get()
                    key=|u| u.id
                    children=move |user| {
                        let id = user.id;
                        let name = user.display_name.clone();
                        let remove_id = format!("coop-coordinator-remove-{id}");
                        let back_id = remove_id.clone();
                        let is_me = Some(id) == me;
                        let asking = move || confirming.get() == Some(id);
                        let question = if is_me {
                            "Stop being a coordinator?".to_owned()
                        } else {
                            format!("Remove {} as coordinator?", user.display_name)
                        };
                        let remove_this = Callback::new(move |()| remove(user.clone()));
                        view! {
                            <li class="coop-coordinator" data-user-id=id>
                                <span class="coop-coordinator-name">{name.clone()}</span>
                                {is_me.then(|| view! { " " <span class="muted">"(you)"</span> })}
                                <Show when=move || may_manage.get() && !only_one.get() && !asking()>
                                    <button
                                        type="button"
                                        id=remove_id.clone()
                                        class="link-button coop-coordinator-remove"
                                        disabled=move || busy.get()
                                        on:click=move |_| {
                                            error.set(None);
                                            confirming.set(Some(id));
                                            focus_later(format!("coop-coordinator-remove-confirm-{id}"));
                                        }
                                    >
                                        {if is_me { "Step down" } else { "Remove" }}
                                        <span class="visually-hidden">
                                            {format!(" {name} as coordinator")}
                                        </span>
                                    </button>
                                </Show>
                                <Show when=move || may_manage.get() && !only_one.get() && asking()>
                                    <span class="confirm-question">{question.clone()}</span>
                                    <span class="inline-actions">
                                        <button
                                            type="button"
                                            id=format!("coop-coordinator-remove-confirm-{id}")
                                            class="button danger small coop-coordinator-remove-confirm"
                                            aria-busy=move || busy.get().then_some("true")
                                            on:click=move |_| remove_this.run(())
                                        >
                                            {if is_me { "Yes, step down" } else { "Yes, remove" }}
                                        </button>
                                        <button
                                            type="button"
                                            class="button secondary small"
                                            on:click={
                                                let remove_id = back_id.clone();
                                                move |_| {
                                                    confirming.set(None);
                                                    focus_later(remove_id.clone());
                                                }
                                            }
                                        >
                                            "Cancel"
                                        </button>
                                    </span>
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
            <div id="coop-coordinators-error" class="form-error" role="alert" tabindex="-1">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <p id="coop-coordinators-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <Show when=move || may_manage.get()>
                <form class="coop-form coop-add-coordinator" novalidate on:submit=add>
                    <h3 id="coop-add-coordinator-heading">"Add a coordinator"</h3>
                    <CoopPersonPicker
                        input_id="coop-add-coordinator"
                        label="Person"
                        chosen=chosen
                        exclude=exclude
                        hint="Coordinators admit organisations, open rooms and keep the co-op's log."
                        error=MaybeProp::derive(move || pick_error.get())
                    />
                    <button
                        type="submit"
                        id="coop-add-coordinator-submit"
                        class="button secondary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        "Add coordinator"
                    </button>
                </form>
            </Show>
        </section>
    }
}
