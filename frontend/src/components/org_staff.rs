//! An organisation's staff: who they are (leads and the safeguarding lead
//! marked), and for leads the controls to make or unmake leads, remove
//! someone and name the safeguarding lead; for any member of staff, leaving.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::organisations::{OrganisationView, SetSafeguardingLead, UpdateStaff};
use shared::{ApiError, UserId};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

/// Reads part of the loaded organisation (reactively); the default before it has loaded.
fn read<T: Default>(
    org: RwSignal<Option<OrganisationView>>,
    f: impl FnOnce(&OrganisationView) -> T,
) -> T {
    org.with(|o| o.as_ref().map(f).unwrap_or_default())
}

#[component]
pub fn OrgStaff(
    org: RwSignal<Option<OrganisationView>>,
    /// After the viewer has left: the page takes them somewhere else.
    on_left: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let me = Memo::new(move |_| session.auth.user().map(|u| u.id));
    let org_id = org
        .with_untracked(|o| o.as_ref().map(|o| o.id))
        .unwrap_or_default();
    let is_lead = Memo::new(move |_| read(org, |o| o.viewer.is_lead));
    let is_staff = Memo::new(move |_| read(org, |o| o.viewer.is_staff));
    // The server refuses to leave an organisation without a lead, so the
    // only lead is not offered "step down" or "leave".
    let sole_lead = Memo::new(move |_| {
        read(org, |o| {
            o.viewer.is_lead && o.staff.iter().filter(|m| m.is_lead).count() == 1
        })
    });
    let acting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<UserId>);
    let confirm_leave = RwSignal::new(false);

    let failed = move |e: ApiError, what: &str| {
        if !session.auth.check(&e) {
            error.set(Some(format!("{what} {}", e.message)));
            focus_later("staff-error");
        }
    };

    let name_of = move |user: UserId| {
        org.with_untracked(|o| {
            o.as_ref()
                .and_then(|o| o.staff.iter().find(|m| m.user.id == user))
                .map(|m| m.user.display_name.clone())
        })
        .unwrap_or_default()
    };

    let set_lead = move |user: UserId, lead: bool| {
        if acting.get_untracked() {
            return;
        }
        acting.set(true);
        error.set(None);
        status.set(None);
        let name = name_of(user);
        spawn_local(async move {
            match api::update_staff(org_id, user, &UpdateStaff { is_lead: lead }).await {
                Ok(view) => {
                    org.set(Some(view));
                    // Stepping down takes the lead's controls, and the
                    // focused button, away: land on the section instead.
                    if !lead && me.try_get_untracked().flatten() == Some(user) {
                        focus_later("staff-heading");
                    }
                    status.set(Some(if lead {
                        format!("{name} is now a lead.")
                    } else {
                        format!("{name} is no longer a lead.")
                    }));
                }
                Err(e) => failed(e, "Could not change that."),
            }
            acting.set(false);
        });
    };

    // Removing answers 204, so read the organisation again to show the
    // server's view of it (the safeguarding lead may have gone too).
    let remove = move |user: UserId| {
        if acting.get_untracked() {
            return;
        }
        acting.set(true);
        error.set(None);
        status.set(None);
        let name = name_of(user);
        let leaving = me.get_untracked() == Some(user);
        spawn_local(async move {
            match api::remove_staff(org_id, user).await {
                Ok(()) if leaving => {
                    confirm_leave.set(false);
                    // Only if the page is still there to be left.
                    on_left.try_run(());
                }
                Ok(()) => {
                    confirming.set(None);
                    match api::organisation(org_id).await {
                        Ok(view) => org.set(Some(view)),
                        Err(_) => org.update(|o| {
                            if let Some(o) = o {
                                o.staff.retain(|m| m.user.id != user);
                                if o.safeguarding_lead.as_ref().is_some_and(|s| s.id == user) {
                                    o.safeguarding_lead = None;
                                }
                            }
                        }),
                    }
                    status.set(Some(format!("{name} is no longer on the staff.")));
                    focus_later("staff-heading");
                }
                Err(e) => failed(
                    e,
                    if leaving {
                        "Could not leave."
                    } else {
                        "Could not remove them."
                    },
                ),
            }
            acting.set(false);
        });
    };

    let members = move || {
        read(org, |o| {
            o.staff.iter().map(|m| m.user.id).collect::<Vec<_>>()
        })
    };

    view! {
        <div class="org-staff">
            <ul id="staff-list" class="staff-list">
                <For
                    each=members
                    key=|id| *id
                    children=move |user| {
                        view! {
                            <StaffRow
                                org=org
                                user=user
                                me=me
                                is_lead=is_lead
                                sole_lead=sole_lead
                                acting=acting
                                confirming=confirming
                                set_lead=Callback::new(move |lead| set_lead(user, lead))
                                remove=Callback::new(move |()| remove(user))
                            />
                        }
                    }
                />
            </ul>
            <div id="staff-error" class="form-error" role="alert" tabindex="-1">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <p id="staff-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <h3 id="safeguarding-heading">"Safeguarding lead"</h3>
            <Show
                when=move || is_lead.get()
                fallback=move || {
                    view! {
                        <p id="safeguarding-lead-name">
                            {move || {
                                read(
                                        org,
                                        |o| o.safeguarding_lead.as_ref().map(|u| u.display_name.clone()),
                                    )
                                    .unwrap_or_else(|| "No safeguarding lead is named yet.".to_owned())
                            }}
                        </p>
                    }
                }
            >
                <SafeguardingPicker org=org />
            </Show>
            <Show when=move || is_staff.get()>
                <div class="leave-organisation">
                    <h3 id="leave-heading">"Leaving"</h3>
                    <Show
                        when=move || !sole_lead.get()
                        fallback=|| {
                            view! {
                                <p id="sole-lead-note" class="muted">
                                    "You are the only lead. To step down or leave, first make someone else a lead."
                                </p>
                            }
                        }
                    >
                    <Show
                        when=move || confirm_leave.get()
                        fallback=move || {
                            view! {
                                <button
                                    type="button"
                                    id="org-leave"
                                    class="button secondary"
                                    on:click=move |_| {
                                        confirm_leave.set(true);
                                        focus_later("org-leave-confirm");
                                    }
                                >
                                    "Leave organisation"
                                </button>
                            }
                        }
                    >
                        <div class="delete-confirm">
                            <p>
                                "Leave this organisation? You will stop seeing its private pages; a lead can invite you again."
                            </p>
                            <div class="inline-actions">
                                <button
                                    type="button"
                                    id="org-leave-confirm"
                                    class="button danger"
                                    aria-busy=move || acting.get().then_some("true")
                                    on:click=move |_| {
                                        if let Some(id) = me.get_untracked() {
                                            remove(id);
                                        }
                                    }
                                >
                                    "Yes, leave"
                                </button>
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| {
                                        confirm_leave.set(false);
                                        focus_later("org-leave");
                                    }
                                >
                                    "Stay"
                                </button>
                            </div>
                        </div>
                    </Show>
                    </Show>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn StaffRow(
    org: RwSignal<Option<OrganisationView>>,
    user: UserId,
    me: Memo<Option<UserId>>,
    is_lead: Memo<bool>,
    sole_lead: Memo<bool>,
    acting: RwSignal<bool>,
    confirming: RwSignal<Option<UserId>>,
    set_lead: Callback<bool>,
    remove: Callback<()>,
) -> impl IntoView {
    let member = Memo::new(move |_| {
        org.with(|o| {
            o.as_ref()
                .and_then(|o| o.staff.iter().find(|m| m.user.id == user))
                .map(|m| (m.user.display_name.clone(), m.is_lead))
        })
    });
    let name = move || member.get().map(|m| m.0).unwrap_or_default();
    let lead = move || member.get().is_some_and(|m| m.1);
    let safeguarding = move || {
        read(org, |o| {
            o.safeguarding_lead.as_ref().is_some_and(|s| s.id == user)
        })
    };
    let is_me = move || me.get() == Some(user);
    let remove_id = format!("staff-remove-{user}");
    let confirm_id = format!("staff-remove-confirm-{user}");

    // Someone else's removal: the button, or the question and its answers.
    let removal = move || {
        if is_me() {
            return None;
        }
        let (remove_id, confirm_id) = (remove_id.clone(), confirm_id.clone());
        Some(if confirming.get() == Some(user) {
            view! {
                <span class="confirm-question">"Remove " {name} " from the staff?"</span>
                <button
                    type="button"
                    id=confirm_id
                    class="button danger small"
                    aria-busy=move || acting.get().then_some("true")
                    on:click=move |_| remove.run(())
                >
                    "Yes, remove"
                </button>
                <button
                    type="button"
                    class="button secondary small"
                    on:click=move |_| {
                        confirming.set(None);
                        focus_later(remove_id.clone());
                    }
                >
                    "Cancel"
                </button>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    id=remove_id
                    class="button secondary small"
                    disabled=move || acting.get()
                    on:click=move |_| {
                        confirming.set(Some(user));
                        focus_later(confirm_id.clone());
                    }
                >
                    "Remove"
                    <span class="visually-hidden">" " {name} " from the staff"</span>
                </button>
            }
            .into_any()
        })
    };

    view! {
        <li class="staff-member" data-user-id=user>
            <p class="staff-identity">
                <span class="staff-name">{name}</span>
                <Show when=is_me>
                    " "
                    <span class="muted">"(you)"</span>
                </Show>
                <Show when=lead>
                    " "
                    <span class="label-tag">"Lead"</span>
                </Show>
                <Show when=safeguarding>
                    " "
                    <span class="label-tag">"Safeguarding lead"</span>
                </Show>
            </p>
            <Show when=move || is_lead.get()>
                <div class="inline-actions staff-actions">
                    <Show when=move || !(is_me() && sole_lead.get())>
                    <button
                        type="button"
                        id=format!("staff-lead-{user}")
                        class="button secondary small"
                        disabled=move || acting.get()
                        on:click=move |_| set_lead.run(!lead())
                    >
                        {move || match (lead(), is_me()) {
                            (true, true) => "Step down as lead",
                            (true, false) => "Remove as lead",
                            (false, _) => "Make lead",
                        }}
                        <Show when=move || !is_me()>
                            <span class="visually-hidden">": " {name}</span>
                        </Show>
                    </button>
                    </Show>
                    {removal.clone()}
                </div>
            </Show>
        </li>
    }
}

/// Leads choose the safeguarding lead from the staff, or nobody.
#[component]
fn SafeguardingPicker(org: RwSignal<Option<OrganisationView>>) -> impl IntoView {
    let session = use_session();
    let org_id = org
        .with_untracked(|o| o.as_ref().map(|o| o.id))
        .unwrap_or_default();
    let current = move || read(org, |o| o.safeguarding_lead.as_ref().map(|u| u.id));
    // What the select shows; `None` until the lead changes it.
    let chosen = RwSignal::new(None::<Option<UserId>>);
    let shown = move || chosen.get().unwrap_or_else(current);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let staff = move || {
        read(org, |o| {
            o.staff
                .iter()
                .map(|m| (m.user.id, m.user.display_name.clone()))
                .collect::<Vec<_>>()
        })
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let user_id = chosen.get_untracked().unwrap_or_else(current);
        busy.set(true);
        error.set(None);
        status.set(None);
        spawn_local(async move {
            match api::set_safeguarding_lead(org_id, &SetSafeguardingLead { user_id }).await {
                Ok(view) => {
                    let said = view
                        .safeguarding_lead
                        .as_ref()
                        .map(|u| format!("{} is the safeguarding lead.", u.display_name))
                        .unwrap_or_else(|| "No safeguarding lead is named now.".to_owned());
                    org.set(Some(view));
                    chosen.set(None);
                    status.set(Some(said));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        error.set(Some(format!("Could not save that. {}", e.message)));
                    }
                }
            }
            busy.set(false);
        });
    };

    view! {
        <form id="safeguarding-form" class="safeguarding-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="safeguarding-lead">"Member of staff"</label>
                <select
                    id="safeguarding-lead"
                    name="safeguarding_lead"
                    aria-describedby="safeguarding-lead-hint safeguarding-error"
                    on:change=move |ev| {
                        chosen.set(Some(event_target_value(&ev).parse::<UserId>().ok()));
                    }
                >
                    <option value="" prop:selected=move || shown().is_none()>
                        "Nobody named yet"
                    </option>
                    <For
                        each=staff
                        key=|m| m.clone()
                        children=move |(id, name)| {
                            view! {
                                <option value=id.to_string() prop:selected=move || shown() == Some(id)>
                                    {name}
                                </option>
                            }
                        }
                    />
                </select>
                <p class="hint" id="safeguarding-lead-hint">
                    "The member of staff who receives safeguarding concerns about people at this organisation, with the programme team."
                </p>
            </div>
            <div id="safeguarding-error" class="form-error" role="alert">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <p id="safeguarding-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <button
                type="submit"
                id="safeguarding-save"
                class="button secondary"
                aria-busy=move || busy.get().then_some("true")
            >
                "Save safeguarding lead"
            </button>
        </form>
    }
}
