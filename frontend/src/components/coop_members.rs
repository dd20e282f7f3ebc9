//! A co-op's member organisations, since when; for coordinators a "Remove"
//! on each, which asks for a reason the organisation will see.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::OrganisationId;
use shared::api::coops::{CoopMember, CoopView, LeaveCoop};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_history::short_date;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopMembers(
    coop: RwSignal<CoopView>,
    /// What was done, for the section's status line.
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let members = Memo::new(move |_| coop.with(|c| c.members.clone()));
    let coordinator = Memo::new(move |_| coop.with(|c| c.viewer.coordinator));
    let removing = RwSignal::new(None::<OrganisationId>);

    view! {
        <Show
            when=move || members.with(|m| !m.is_empty())
            fallback=|| {
                view! {
                    <p class="empty-note" id="coop-members-empty">
                        "No organisations have joined yet."
                    </p>
                }
            }
        >
            <ul id="coop-members" class="coop-list">
                <For
                    each=move || members.get()
                    key=|m| (m.organisation.id, m.organisation.name.clone(), m.joined_at)
                    children=move |member| {
                        view! {
                            <MemberRow
                                coop=coop
                                member=member
                                coordinator=coordinator
                                removing=removing
                                status=status
                            />
                        }
                    }
                />
            </ul>
        </Show>
    }
}

#[component]
fn MemberRow(
    coop: RwSignal<CoopView>,
    member: CoopMember,
    coordinator: Memo<bool>,
    /// The one member whose removal is being asked about.
    removing: RwSignal<Option<OrganisationId>>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let org_id = member.organisation.id;
    let name = member.organisation.name.clone();
    let joined = short_date(&member.joined_at);
    let joined_iso = member.joined_at.to_rfc3339();
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let asking = move || removing.get() == Some(org_id);
    let remove_id = format!("coop-member-remove-{org_id}");
    let back_id = remove_id.clone();
    let reason_id = format!("coop-remove-reason-{org_id}");
    let reason_error_id = format!("coop-remove-reason-{org_id}-error");
    let question = format!("Remove {name} from the co-operative?");

    let confirm = {
        let name = name.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            let why = reason.get_untracked().trim().to_owned();
            if why.is_empty() {
                reason_error.set(Some(format!(
                    "Say why {name} is being removed; they will see it."
                )));
                focus_later(format!("coop-remove-reason-{org_id}"));
                return;
            }
            reason_error.set(None);
            busy.set(true);
            let name = name.clone();
            spawn_local(async move {
                let body = LeaveCoop { reason: Some(why) };
                let result = coops::remove_member(coop_id, org_id, &body).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(view) => {
                        let _ = removing.try_set(None);
                        let _ = coop.try_set(view);
                        let _ = status.try_set(Some(format!("{name} is no longer a member.")));
                        focus_later("coop-members-heading");
                    }
                    Err(e) => {
                        if !session.auth.check(&e) {
                            let _ = reason_error.try_set(Some(e.message));
                            focus_later(format!("coop-remove-reason-{org_id}"));
                        }
                    }
                }
            });
        }
    };

    view! {
        <li class="coop-member" data-org-id=org_id>
            <p class="coop-member-name">
                <a href=format!("/organisations/{org_id}")>{name.clone()}</a>
            </p>
            <p class="coop-member-meta muted">
                {(!member.locality.is_empty()).then(|| format!("{} · ", member.locality))}
                "Joined " <time datetime=joined_iso>{joined}</time>
            </p>
            <Show when=move || coordinator.get() && !asking()>
                <button
                    type="button"
                    id=remove_id.clone()
                    class="link-button coop-member-remove"
                    on:click=move |_| {
                        reason.set(String::new());
                        reason_error.set(None);
                        removing.set(Some(org_id));
                        focus_later(format!("coop-remove-reason-{org_id}"));
                    }
                >
                    "Remove"
                    <span class="visually-hidden">{format!(" {name}")}</span>
                </button>
            </Show>
            <Show when=move || coordinator.get() && asking()>
                <div
                    class="coop-confirm"
                    role="group"
                    aria-labelledby=format!("coop-remove-question-{org_id}")
                >
                    <p id=format!("coop-remove-question-{org_id}")>
                        {question.clone()}
                    </p>
                    <div class="field" class:has-error=move || reason_error.with(Option::is_some)>
                        <label for=reason_id.clone()>"Reason (they will see it)"</label>
                        <textarea
                            id=reason_id.clone()
                            name="reason"
                            rows="2"
                            required
                            aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                            aria-describedby={
                                let id = reason_error_id.clone();
                                move || reason_error.with(Option::is_some).then(|| id.clone())
                            }
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                        <p class="field-error" id=reason_error_id.clone() role="alert">
                            {move || reason_error.get()}
                        </p>
                    </div>
                    <div class="inline-actions">
                        <button
                            type="button"
                            class="button danger small coop-member-remove-confirm"
                            aria-busy=move || busy.get().then_some("true")
                            on:click=confirm.clone()
                        >
                            "Remove"
                        </button>
                        <button
                            type="button"
                            class="button secondary small"
                            on:click={
                                let remove_id = back_id.clone();
                                move |_| {
                                    removing.set(None);
                                    focus_later(remove_id.clone());
                                }
                            }
                        >
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
