//! Accepting a staff invitation link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::api::organisations::InvitePreview;
use shared::limits::INVITE_VALID_DAYS;
use shared::{ApiError, ErrorKind};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::focus_later;
use crate::components::org_invite::format_day;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    Ready(InvitePreview),
    /// Used, expired or never issued: the server does not say which.
    Unusable,
    Failed(String),
}

fn unusable() -> String {
    format!(
        "This invitation link cannot be used. It may have been used already (each link works once), it may have expired (links last {INVITE_VALID_DAYS} days), or it may have been copied incompletely."
    )
}

#[component]
pub fn JoinPage() -> impl IntoView {
    set_page_title("Join an organisation");
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let phase = RwSignal::new(Phase::Loading);
    let accepting = RwSignal::new(false);
    let accept_error = RwSignal::new(None::<String>);
    // Already on the staff: the way on is the organisation itself.
    let already_staff = RwSignal::new(false);

    let failed = move |e: ApiError| {
        if session.auth.check(&e) {
            return;
        }
        if e.kind == ErrorKind::NotFound {
            set_page_title("Invitation link cannot be used");
            phase.set(Phase::Unusable);
        } else {
            phase.set(Phase::Failed(e.message));
        }
    };

    let load = move || {
        let token = token.get_untracked();
        phase.set(Phase::Loading);
        spawn_local(async move {
            let result = api::invite(&token).await;
            // The person may have left the page meanwhile.
            if phase.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(preview) => {
                    set_page_title(&format!("Join {}", preview.organisation_name));
                    phase.set(Phase::Ready(preview));
                }
                Err(e) => failed(e),
            }
        });
    };
    Effect::new(move |_| {
        token.track();
        load();
    });

    let accept = move |_| {
        if accepting.get_untracked() {
            return;
        }
        accepting.set(true);
        accept_error.set(None);
        let token = token.get_untracked();
        spawn_local(async move {
            let result = api::accept_invite(&token).await;
            if phase.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(org) => {
                    let path = format!("/organisations/{}", org.id);
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) if e.kind == ErrorKind::NotFound => failed(e),
                Err(e) if e.kind == ErrorKind::Conflict => {
                    already_staff.set(true);
                    accept_error.set(Some(e.message));
                    focus_later("join-error");
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        accept_error.set(Some(format!("Could not join. {}", e.message)));
                        focus_later("join-error");
                    }
                }
            }
            accepting.set(false);
        });
    };

    view! {
        <main id="main" class="page narrow">
            {move || match phase.get() {
                Phase::Loading => {
                    view! {
                        <h1>"Join an organisation"</h1>
                        <p class="muted" role="status">
                            "Checking the invitation link…"
                        </p>
                    }
                        .into_any()
                }
                Phase::Ready(preview) => {
                    let expires = format_day(&preview.expires_at);
                    view! {
                        <h1 id="join-heading">
                            "Join " {preview.organisation_name.clone()} " as staff"
                        </h1>
                        <p id="join-preview">
                            {preview.invited_by.display_name.clone()} " invited you to join "
                            <strong>{preview.organisation_name.clone()}</strong>
                            " as a member of its staff. Staff see the organisation's mentorships and can talk with its mentors; its leads can also make you a lead."
                        </p>
                        <p class="muted">"This invitation expires on " {expires} "."</p>
                        <div id="join-error" class="form-error" role="alert" tabindex="-1">
                            {move || accept_error.get().map(|m| view! { <p>{m}</p> })}
                        </div>
                        <Show when=move || already_staff.get()>
                            <p>
                                <a href=format!("/organisations/{}", preview.organisation_id)>
                                    "Go to " {preview.organisation_name.clone()}
                                </a>
                            </p>
                        </Show>
                        <div class="inline-actions">
                            <button
                                type="button"
                                id="join-accept"
                                class="button primary"
                                aria-busy=move || accepting.get().then_some("true")
                                on:click=accept
                            >
                                "Accept and join"
                            </button>
                            <a href="/programme" class="button secondary">
                                "Not now"
                            </a>
                        </div>
                    }
                        .into_any()
                }
                Phase::Unusable => {
                    view! {
                        <h1>"This invitation link cannot be used"</h1>
                        <p id="join-unusable">{unusable()}</p>
                        <p>
                            "Ask a lead of the organisation to create a new link for you."
                        </p>
                        <p>
                            <a href="/organisations">"Browse organisations"</a>
                        </p>
                    }
                        .into_any()
                }
                Phase::Failed(message) => {
                    view! {
                        <h1>"Join an organisation"</h1>
                        <RetryNotice message=message on_retry=Callback::new(move |()| load()) />
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
