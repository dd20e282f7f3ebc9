//! One organisation: its profile, and for its leads the editors (profile, needs, staff, invitations).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::api::organisations::{OrganisationView, SaveOrganisation};
use shared::taxonomy::ApprovalStatus;
use shared::{ErrorKind, OrganisationId};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::{FormErrors, focus_later};
use crate::components::org_invite::OrgInvite;
use crate::components::org_needs_editor::{NeedsEditor, NeedsList};
use crate::components::org_profile_form::{OrgProfileForm, show_api_error};
use crate::components::org_staff::OrgStaff;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    Ready,
    /// Unknown, or not visible to this person (the server says the same for both).
    Missing,
    Failed(String),
}

/// Reads part of the loaded organisation; the default before it is loaded.
fn read<T: Default>(
    org: RwSignal<Option<OrganisationView>>,
    f: impl FnOnce(&OrganisationView) -> T,
) -> T {
    org.with(|o| o.as_ref().map(f).unwrap_or_default())
}

#[component]
pub fn OrganisationPage() -> impl IntoView {
    set_page_title("Organisation");
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<OrganisationId>().ok())
    });
    let org = RwSignal::new(None::<OrganisationView>);
    let phase = RwSignal::new(Phase::Loading);
    let shown = Memo::new(move |_| phase.get());
    // Answers can come back out of order; only the newest load may show.
    let latest = StoredValue::new(0u64);

    let load = move || {
        let Some(id) = id.get_untracked() else {
            set_page_title("Organisation not found");
            phase.set(Phase::Missing);
            return;
        };
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        phase.set(Phase::Loading);
        spawn_local(async move {
            let result = api::organisation(id).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(view) => {
                    set_page_title(&view.profile.name);
                    org.set(Some(view));
                    phase.set(Phase::Ready);
                }
                Err(e) if e.kind == ErrorKind::NotFound => {
                    set_page_title("Organisation not found");
                    org.set(None);
                    phase.set(Phase::Missing);
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        phase.set(Phase::Failed(e.message));
                    }
                }
            }
        });
    };

    Effect::new(move |_| {
        id.track();
        org.set(None);
        load();
    });

    view! {
        <main id="main" class="page">
            {move || match shown.get() {
                Phase::Loading => {
                    view! {
                        <h1>"Organisation"</h1>
                        <p class="muted" role="status">
                            "Loading the organisation…"
                        </p>
                    }
                        .into_any()
                }
                Phase::Missing => {
                    view! {
                        <h1>"Organisation not found"</h1>
                        <p>
                            "There is no organisation at this address that you can see. It may be waiting for the programme team's approval, which only its staff can see."
                        </p>
                        <p>
                            <a href="/organisations">"Back to organisations"</a>
                        </p>
                    }
                        .into_any()
                }
                Phase::Failed(message) => {
                    view! {
                        <h1>"Organisation"</h1>
                        <RetryNotice message=message on_retry=Callback::new(move |()| load()) />
                    }
                        .into_any()
                }
                Phase::Ready => view! { <OrganisationBody org=org /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn OrganisationBody(org: RwSignal<Option<OrganisationView>>) -> impl IntoView {
    let navigate = StoredValue::new_local(use_navigate());
    let org_id = org
        .with_untracked(|o| o.as_ref().map(|o| o.id))
        .unwrap_or_default();
    let name = move || read(org, |o| o.profile.name.clone());
    // Only a change of standing redraws the banner, not every save.
    let standing = Memo::new(move |_| read(org, |o| Some((o.status, o.decision_reason.clone()))));
    let is_lead = Memo::new(move |_| read(org, |o| o.viewer.is_lead));
    let can_match = Memo::new(move |_| {
        read(org, |o| {
            o.viewer.is_staff || o.viewer.is_lead || o.viewer.is_admin
        })
    });
    let needs = Signal::derive(move || read(org, |o| o.needs.clone()));

    let on_left = Callback::new(move |()| {
        navigate.try_with_value(|navigate| navigate("/programme", Default::default()));
    });

    let banner = move || {
        standing
            .get()
            .and_then(|(status, reason)| status_banner(status, reason))
    };

    view! {
        <h1 id="org-heading">{name}</h1>
        {banner}
        <Show when=move || can_match.get()>
            <p class="org-links">
                <a
                    href=format!("/organisations/{org_id}/mentors")
                    id="org-find-mentor"
                    class="button primary"
                >
                    "Find a mentor"
                </a>
            </p>
        </Show>
        <section class="org-section" aria-labelledby="about-heading">
            <h2 id="about-heading">"About"</h2>
            <AboutOrganisation org=org />
        </section>
        <section class="org-section" aria-labelledby="needs-heading">
            <h2 id="needs-heading">"Needs"</h2>
            <Show when=move || is_lead.get() fallback=move || view! { <NeedsList needs=needs /> }>
                <NeedsEditor org=org />
            </Show>
        </section>
        <section class="org-section" aria-labelledby="staff-heading">
            <h2 id="staff-heading" tabindex="-1">
                "Staff"
            </h2>
            <OrgStaff org=org on_left=on_left />
        </section>
        <Show when=move || is_lead.get()>
            <section class="org-section" aria-labelledby="invite-heading">
                <h2 id="invite-heading">"Invite staff"</h2>
                <OrgInvite org_id=org_id />
            </section>
        </Show>
    }
}

/// Pending or declined: said in words at the top, with the programme team's reason.
fn status_banner(status: ApprovalStatus, reason: Option<String>) -> Option<AnyView> {
    let (class, title, text) = match status {
        ApprovalStatus::Approved => return None,
        ApprovalStatus::Pending => (
            "status-banner pending",
            "Waiting for approval",
            "The programme team will look at this organisation soon. Until they approve it, only its staff and the programme team can see it, and it is not in the directory.",
        ),
        ApprovalStatus::Declined => (
            "status-banner declined",
            "Declined",
            "The programme team did not approve this organisation.",
        ),
    };
    Some(
        view! {
            <div id="org-status" class=class role="status">
                <p class="status-banner-title">{title}</p>
                <p>{text}</p>
                {reason
                    .map(|r| {
                        view! {
                            <p>
                                "Their reason: "
                                <span id="org-decision-reason">{r}</span>
                            </p>
                        }
                    })}
            </div>
        }
        .into_any(),
    )
}

/// The profile as everyone reads it; for leads, an "Edit profile" button
/// that swaps it for the form.
#[component]
fn AboutOrganisation(org: RwSignal<Option<OrganisationView>>) -> impl IntoView {
    let session = use_session();
    let org_id = org
        .with_untracked(|o| o.as_ref().map(|o| o.id))
        .unwrap_or_default();
    let is_lead = Memo::new(move |_| read(org, |o| o.viewer.is_lead));
    let editing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let saved = RwSignal::new(None::<String>);

    let on_submit = Callback::new(move |body: SaveOrganisation| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        saved.set(None);
        spawn_local(async move {
            let result = api::update_organisation(org_id, &body).await;
            // The person may have left the page meanwhile: then leave the title alone.
            if busy.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(view) => {
                    set_page_title(&view.profile.name);
                    org.set(Some(view));
                    editing.set(false);
                    saved.set(Some("Profile saved.".to_owned()));
                    focus_later("org-edit");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        show_api_error(errors, e);
                    }
                }
            }
            busy.set(false);
        });
    });
    let on_cancel = Callback::new(move |()| {
        editing.set(false);
        errors.set(FormErrors::default());
        focus_later("org-edit");
    });

    let details = move || {
        let Some(o) = org.get() else {
            return ().into_any();
        };
        let p = o.profile;
        let activities = if p.activity_types.is_empty() {
            "Not given".to_owned()
        } else {
            p.activity_types
                .iter()
                .map(|a| a.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        view! {
            {(!p.description.is_empty())
                .then(|| view! { <p class="org-description" id="org-description-text">{p.description.clone()}</p> })}
            <dl class="facts">
                <div>
                    <dt>"Locality"</dt>
                    <dd id="org-locality-text">{p.locality.clone()}</dd>
                </div>
                <div>
                    <dt>"Activities"</dt>
                    <dd id="org-activities-text">{activities}</dd>
                </div>
                {(!p.populations_served.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Who they work with"</dt>
                                <dd>{p.populations_served.clone()}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Size"</dt>
                    <dd>{p.size.label()}</dd>
                </div>
                {p
                    .charity_number
                    .clone()
                    .map(|n| {
                        view! {
                            <div>
                                <dt>"Charity or company number"</dt>
                                <dd>{n}</dd>
                            </div>
                        }
                    })}
            </dl>
        }
        .into_any()
    };

    view! {
        <Show
            when=move || editing.get()
            fallback=move || {
                view! {
                    {details}
                    <p id="org-profile-status" class="form-status" role="status">
                        {move || saved.get()}
                    </p>
                    <Show when=move || is_lead.get()>
                        <button
                            type="button"
                            id="org-edit"
                            class="button secondary"
                            on:click=move |_| {
                                saved.set(None);
                                editing.set(true);
                                focus_later("org-name");
                            }
                        >
                            "Edit profile"
                        </button>
                    </Show>
                }
            }
        >
            <OrgProfileForm
                initial=org.with_untracked(|o| o.as_ref().map(|o| o.profile.clone()))
                submit_label="Save profile"
                busy=busy
                errors=errors
                on_submit=on_submit
                on_cancel=on_cancel
            />
        </Show>
    }
}
