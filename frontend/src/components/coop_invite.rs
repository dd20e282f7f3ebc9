//! "Invite an organisation", for coordinators: a select of the approved
//! organisations that are not members and have nothing pending, and a note.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::OrganisationId;
use shared::api::coops::{CoopView, CreateCoopRequest};
use shared::api::organisations::ListOrganisations;
use shared::taxonomy::ApprovalStatus;

use crate::api;
use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopInvite(
    coop: RwSignal<CoopView>,
    /// After an invitation went out: the page reloads the co-op.
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let approved = LocalResource::new(move || async move {
        let filter = ListOrganisations {
            status: Some(ApprovalStatus::Approved),
            ..Default::default()
        };
        api::list_organisations(&filter).await
    });
    // Approved organisations, less members and those with a request or
    // invitation open (the server would refuse those).
    let choices = Memo::new(move |_| {
        let Some(Ok(found)) = approved.get() else {
            return Vec::new();
        };
        coop.with(|c| {
            found
                .organisations
                .into_iter()
                .filter(|o| {
                    !c.members.iter().any(|m| m.organisation.id == o.id)
                        && !c.requests.iter().any(|r| r.organisation.id == o.id)
                })
                .map(|o| (o.id, o.name, o.locality))
                .collect::<Vec<_>>()
        })
    });
    let load_error = Memo::new(move |_| match approved.get() {
        Some(Err(e)) => Some(e.message),
        _ => None,
    });
    let chosen = RwSignal::new(None::<OrganisationId>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let org_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some((org_id, name)) = chosen.get_untracked().and_then(|id| {
            choices.with_untracked(|c| {
                c.iter()
                    .find(|(o, _, _)| *o == id)
                    .map(|(o, n, _)| (*o, n.clone()))
            })
        }) else {
            org_error.set(Some("Choose the organisation to invite.".to_owned()));
            focus_later("coop-invite-org");
            return;
        };
        org_error.set(None);
        error.set(None);
        status.set(None);
        busy.set(true);
        let body = CreateCoopRequest {
            organisation_id: org_id,
            message: note.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            let result = coops::invite_organisation(coop_id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    let _ = chosen.try_set(None);
                    let _ = note.try_set(String::new());
                    let _ = status.try_set(Some(format!(
                        "Invited {name}. Its leads will accept or decline."
                    )));
                    on_changed.try_run(());
                }
                Err(e) => {
                    if session.auth.check(&e) {
                        return;
                    }
                    if e.field.as_deref() == Some("organisation_id") {
                        let _ = org_error.try_set(Some(e.message));
                        focus_later("coop-invite-org");
                    } else {
                        let _ =
                            error.try_set(Some(format!("Could not invite them. {}", e.message)));
                        focus_later("coop-invite-error");
                    }
                }
            }
        });
    };

    view! {
        <form id="coop-invite-form" class="coop-form" novalidate on:submit=on_submit>
            <h3 id="coop-invite-heading">"Invite an organisation"</h3>
            <div class="field" class:has-error=move || org_error.with(Option::is_some)>
                <label for="coop-invite-org">"Organisation"</label>
                <select
                    id="coop-invite-org"
                    name="organisation_id"
                    aria-invalid=move || org_error.with(Option::is_some).then_some("true")
                    aria-describedby="coop-invite-org-hint coop-invite-org-error"
                    on:change=move |ev| {
                        chosen.set(event_target_value(&ev).parse::<OrganisationId>().ok());
                    }
                >
                    <option value="" prop:selected=move || chosen.with(Option::is_none)>
                        "Choose an organisation"
                    </option>
                    <For
                        each=move || choices.get()
                        key=|c| c.0
                        children=move |(id, name, locality)| {
                            view! {
                                <option value=id.to_string() prop:selected=move || chosen.get() == Some(id)>
                                    {if locality.is_empty() { name } else { format!("{name} ({locality})") }}
                                </option>
                            }
                        }
                    />
                </select>
                <p class="hint" id="coop-invite-org-hint">
                    {move || match (approved.get(), load_error.get()) {
                        (None, _) => "Loading organisations…".to_owned(),
                        (_, Some(message)) => message,
                        _ if choices.with(Vec::is_empty) => {
                            "Every approved organisation is a member or has an answer pending.".to_owned()
                        }
                        _ => "Approved organisations that are not members yet.".to_owned(),
                    }}
                </p>
                <p class="field-error" id="coop-invite-org-error" role="alert">
                    {move || org_error.get()}
                </p>
            </div>
            <div class="field">
                <label for="coop-invite-note">"Note to the organisation (optional)"</label>
                <textarea
                    id="coop-invite-note"
                    name="message"
                    rows="3"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div id="coop-invite-error" class="form-error" role="alert" tabindex="-1">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <button
                type="submit"
                id="coop-invite-submit"
                class="button secondary"
                aria-busy=move || busy.get().then_some("true")
            >
                "Send invitation"
            </button>
            <p id="coop-invite-status" class="form-status" role="status">
                {move || status.get()}
            </p>
        </form>
    }
}
